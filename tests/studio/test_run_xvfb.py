"""The run panel on a real X server (Qt's xcb plugin under Xvfb): a wet run caught mid-way — steps done, one
running (an HTTP call the local server holds), one pruned — saved as a screenshot for a person to look at."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from studio_support import ROOT
from test_xvfb_smoke import display

__all__ = ["display"]  # the Xvfb fixture, imported for pytest

TEMPLATE = """\
name: rollout-check
description: Check a rollout, mid-run.
title_format: rollout check
steps:
  prepare:
    description: Gather the rollout plan.
    action:
      type: echo
      configuration:
        output: {hosts: [web-1, web-2, web-3]}
  lookup:
    description: Find the release.
    dependencies: [prepare]
    custom_states: [NOT_FOUND]
    action:
      type: echo
      configuration:
        output: {release: "2026.11"}
  create_release:
    description: Only when no release exists.
    dependencies: ["lookup:NOT_FOUND"]
    action:
      type: echo
      configuration:
        output: {}
  each_host:
    description: Tag every host.
    dependencies: [prepare]
    foreach: "{{.step.prepare.output.hosts | toJson}}"
    action:
      type: echo
      configuration:
        output: {host: "{{.iterator}}"}
  health:
    description: Ask the health endpoint.
    dependencies: [lookup, each_host]
    action:
      type: http
      configuration:
        url: "URL/slow"
        method: GET
  announce:
    description: Tell the channel.
    dependencies: [health]
    action:
      type: echo
      configuration:
        output: {done: true}
"""

# Runs in the subprocess, on xcb: a local server holding /slow, the studio with its run panel, a wet run from the
# Run action, a screenshot once `health` is RUNNING, then a clean shutdown.
SCRIPT = r"""
import sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from studio.app import _application
from studio.main_window import MainWindow
from studio.run import attach_run_panel
from studio.run.inputs_form import InputMemory
from studio.settings import StudioSettings

template, png, work = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
gate = threading.Event()

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        gate.wait(60)
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}")
    def log_message(self, *args):
        pass

httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
httpd.daemon_threads = True
threading.Thread(target=httpd.serve_forever, daemon=True).start()
template.write_text(template.read_text().replace("URL", f"http://127.0.0.1:{httpd.server_address[1]}"))
app = _application()
window = MainWindow(settings=StudioSettings(work / "settings.ini"), run_panel=False)
window.resize(1280, 800)
window.open_file(template)
panel = attach_run_panel(window, store_path=work / "runs.sqlite", memory=InputMemory(work / "inputs.json"),
                         ask_resume=lambda found: False)
panel.exec_dialog = lambda dialog: (dialog.accept(), True)[1]
window.show()
panel.actions.dry_run.trigger()  # the DRY RUN chip's action: now a wet run
panel.actions.run.trigger()
deadline = time.monotonic() + 30
def state(name):
    node = window.scene.nodes[name]
    return node.run_view.state if node.run_view is not None else None
while time.monotonic() < deadline and not (state("health") == "RUNNING" and state("create_release") == "PRUNE"):
    app.processEvents()
    time.sleep(0.01)
window.scene.select_step("lookup")
for _ in range(40):  # let the pulse, the inspector and the dock settle
    app.processEvents()
    time.sleep(0.02)
states = {name: state(name) for name in window.scene.nodes}
ok = window.grab().save(png, "PNG")
gate.set()
end = time.monotonic() + 20
while time.monotonic() < end and not panel.controller.idle():
    app.processEvents()
    time.sleep(0.01)
print(states, panel.controller.state)
panel.shutdown()
httpd.shutdown()
sys.exit(0 if ok else 3)
"""


def test_mid_run_screenshot_on_a_real_x_server(display: str, artifacts: Path, tmp_path: Path) -> None:
    png = artifacts / "xvfb-run-mid-run.png"
    png.unlink(missing_ok=True)
    template = tmp_path / "rollout-check.yaml"
    template.write_text(TEMPLATE)
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display, QT_API="pyside6")
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(template), str(png), str(tmp_path)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    shown = result.stdout.strip().splitlines()[-1]
    for expected in ("'prepare': 'DONE'", "'health': 'RUNNING'", "'create_release': 'PRUNE'",
                     "'announce': 'TODO'", "'each_host': 'DONE'"):
        assert expected in shown, shown
    assert shown.endswith("DONE"), "the run ends once the server answers"
    assert png.exists() and png.stat().st_size > 20_000

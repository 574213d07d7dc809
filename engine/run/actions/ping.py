"""The `ping` plugin (µTask v0.1): ICMP echo statistics for a host.

Spec: utask-plugins.md §7. How we ping without root, in order:
1. an unprivileged ICMP datagram socket (what µTask's go-ping does; Linux needs the engine's group in
   `net.ipv4.ping_group_range`);
2. a raw ICMP socket (works for root or with CAP_NET_RAW);
3. the system `ping` binary (usually setuid or file-capable), whose per-reply lines are parsed.
Deviations, deliberate: replies are awaited at most `max(interval, 2 s)` after the last request (go-ping
waits forever when packets are lost), and when none of the three methods can send anything the step fails
with `can't initiate ping: ...` instead of reporting zero packets sent. Durations are integers in
nanoseconds, as µTask outputs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import re
import shutil
import socket
import struct
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from engine.run.actions._common import go_parse_uint
from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import go_quote
from engine.run.actions.base import Action, ActionError, ActionRequest, ActionResult, ConfigError

__all__ = ["PingAction", "statistics"]

CONFIG = Struct("Config", (F("hostname", "string"), F("count", "string"), F("interval_second", "string")))
METHODS = ("dgram", "raw", "binary")
_REPLY_LINE = re.compile(r"icmp_seq=(\d+).*?time[=<]([0-9.]+) ?ms")


def _default(text: str) -> int:
    return 1 if text in ("", "0") else go_parse_uint(text)


def statistics(sent: int, rtts: Sequence[int], address: str) -> dict[str, Any]:
    """go-ping's Statistics with µTask's JSON names (durations in nanoseconds)."""
    received = len(rtts)
    loss = (sent - received) / sent * 100 if sent else math.nan
    if math.isnan(loss) or math.isinf(loss):
        loss = 0.0
    stats: dict[str, Any] = {"packets_received": received, "packets_sent": sent, "packet_loss": loss,
                             "ip_addr": address, "rtts": list(rtts) if rtts else None, "min_rtt": 0, "max_rtt": 0,
                             "avg_rtt": 0, "std_dev_rtt": 0}
    if rtts:
        average = sum(rtts) // received
        squares = sum((rtt - average) ** 2 for rtt in rtts)
        stats.update(min_rtt=min(rtts), max_rtt=max(rtts), avg_rtt=average,
                     std_dev_rtt=int(math.sqrt(squares // received)))
    return stats


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = int(sum(struct.unpack(f"!{len(data) // 2}H", data)))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


async def _icmp(address: str, family: int, count: int, interval: float, raw: bool) -> tuple[int, list[int]]:
    protocol = socket.IPPROTO_ICMP if family == socket.AF_INET else socket.IPPROTO_ICMPV6
    sock = socket.socket(family, socket.SOCK_RAW if raw else socket.SOCK_DGRAM, protocol)
    with sock:
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        ident = random.randrange(1, 0xFFFF)
        request_type, reply_type = (8, 0) if family == socket.AF_INET else (128, 129)
        sent_at: dict[int, int] = {}
        rtts: dict[int, int] = {}

        async def receive() -> None:
            while len(rtts) < count:
                data = await loop.sock_recv(sock, 4096)
                if raw and family == socket.AF_INET:
                    data = data[(data[0] & 0x0F) * 4:]
                if len(data) < 8:
                    continue
                kind, _code, _sum, packet_id, seq = struct.unpack("!BBHHH", data[:8])
                if kind != reply_type or (raw and packet_id != ident) or seq not in sent_at or seq in rtts:
                    continue
                rtts[seq] = time.perf_counter_ns() - sent_at[seq]

        receiver = asyncio.ensure_future(receive())
        sent = 0
        try:
            for seq in range(count):
                payload = struct.pack("!Q", time.time_ns()) + os.urandom(8)
                header = struct.pack("!BBHHH", request_type, 0, 0, ident, seq)
                packet = header[:2] + struct.pack("!H", _checksum(header + payload)) + header[4:] + payload
                sent_at[seq] = time.perf_counter_ns()
                await loop.sock_sendto(sock, packet, (address, 0))
                sent += 1
                if seq < count - 1:
                    await asyncio.sleep(interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(receiver), max(interval, 2.0))
        finally:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, OSError):
                await receiver
        return sent, [rtts[seq] for seq in sorted(rtts)]


async def _binary(address: str, count: int, interval: int) -> tuple[int, list[int]]:
    program = shutil.which("ping")
    if program is None:
        raise OSError("no ping binary")
    process = await asyncio.create_subprocess_exec(
        program, "-n", "-c", str(count), "-i", str(interval), address, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    try:
        stdout, _ = await asyncio.wait_for(process.communicate(), count * interval + 5.0)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        stdout, _ = await process.communicate()
    replies: dict[int, int] = {}
    for match in _REPLY_LINE.finditer(stdout.decode("utf-8", "replace")):
        replies.setdefault(int(match.group(1)), int(float(match.group(2)) * 1_000_000))
    if not replies and process.returncode not in (0, 1):
        raise OSError(f"ping exited with status {process.returncode}")
    return count, [replies[seq] for seq in sorted(replies)]


class PingAction(Action):
    name: ClassVar[str] = "ping"
    version: ClassVar[str] = "0.1"
    side_effects: ClassVar[bool] = False

    def __init__(self, methods: Sequence[str] = METHODS) -> None:
        self.methods = tuple(methods)

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        if not cfg["hostname"]:
            raise ConfigError("hostname is missing")
        for key, label in (("count", "count"), ("interval_second", "interval_second")):
            if cfg[key]:
                try:
                    go_parse_uint(cfg[key])
                except ValueError as exc:
                    raise ConfigError(f"can't parse {label} field {go_quote(cfg[key])}: {exc}") from None

    def resources(self, configuration: Mapping[str, Any]) -> list[str]:
        try:
            cfg = decode(configuration, CONFIG)
        except ConfigError:
            return []
        return ["socket", f"url:{cfg['hostname']}"]

    @staticmethod
    def _metadata(cfg: Mapping[str, Any]) -> dict[str, Any]:
        metadata = {"hostname": cfg["hostname"]}
        metadata.update({key: cfg[key] for key in ("count", "interval_second") if cfg[key]})
        return metadata

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
            count, interval = _default(cfg["count"]), _default(cfg["interval_second"])
        except (ConfigError, ValueError) as exc:
            return {"action": self.name, "error": str(exc)}
        return {"action": self.name, "hostname": cfg["hostname"], "count": count, "interval_seconds": interval,
                "methods": list(self.methods)}

    async def execute(self, request: ActionRequest) -> ActionResult:
        cfg = decode_or_fail(request.configuration, CONFIG)
        try:
            count, interval = _default(cfg["count"]), _default(cfg["interval_second"])
        except ValueError as exc:
            raise ActionError(f"can't initiate ping: {exc}") from None
        address, family = await _resolve(cfg["hostname"])
        failures = []
        for method in self.methods:
            try:
                if method == "binary":
                    sent, rtts = await _binary(address, count, interval)
                else:
                    sent, rtts = await _icmp(address, family, count, float(interval), raw=method == "raw")
            except OSError as exc:
                failures.append(f"{method}: {exc.strerror or exc}")
                continue
            return ActionResult(output=statistics(sent, rtts, address), metadata=self._metadata(cfg))
        raise ActionError("can't initiate ping: no way to send ICMP echo requests (" + "; ".join(failures) + ")",
                          metadata=self._metadata(cfg))


async def _resolve(hostname: str) -> tuple[str, int]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(hostname, None, type=socket.SOCK_RAW)
    except (socket.gaierror, UnicodeError):
        raise ActionError(f"can't initiate ping: lookup {hostname}: no such host") from None
    infos.sort(key=lambda info: info[0] != socket.AF_INET)
    family, _, _, _, sockaddr = infos[0]
    return str(sockaddr[0]), int(family)

"""The inspector: forms generated from schemas/ for the selected step, or for the template itself.

    inspector = Inspector()
    inspector.set_session(session)      # follows session.selection; every commit is one session.push(edit)
"""

from studio.inspector.inspector import Inspector

__all__ = ["Inspector"]

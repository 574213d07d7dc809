"""Would Go's `xml.Unmarshal(body, &anInterface)` succeed? (µTask's http plugin then sends application/xml.)

Decoding into an interface skips the first element: it succeeds when, after any text, comments or processing
instructions, one element is well formed up to its end tag; whatever follows is not read. We check the same
with expat, wrapping the body in a synthetic root so that leading text is accepted as Go accepts it.
"""

from __future__ import annotations

import re
from xml.parsers import expat

__all__ = ["looks_like_xml"]

_DECLARATION = re.compile(rb"\A\s*<\?xml[^>]*\?>")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class _FirstElementDone(Exception):
    pass


def looks_like_xml(body: bytes) -> bool:
    match = _DECLARATION.match(body)
    if match:
        body = body[match.end():]
    if _DOCTYPE.search(body):
        return False  # never expand entities declared by the payload
    depth = 0
    seen_element = False

    def start(_name: str, _attributes: dict[str, str]) -> None:
        nonlocal depth, seen_element
        depth += 1
        if depth == 2:
            seen_element = True

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1
        if depth == 1 and seen_element:
            raise _FirstElementDone

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(b"<utask-sniff-root>", False)
        parser.Parse(body, False)
        parser.Parse(b"</utask-sniff-root>", True)
    except _FirstElementDone:
        return True
    except expat.ExpatError:
        return False
    return False

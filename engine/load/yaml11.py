"""A fast, safe YAML 1.1 reader: libyaml events in, plain Python data plus source positions out.

We walk libyaml's event stream ourselves instead of using PyYAML's constructors because that is about
four times faster, lets us resolve scalars exactly like µTask's go-yaml v2, and lets us record where
every key and value sits without building a node tree. Only the standard tags are accepted, alias
expansion and nesting depth are bounded, and the first document is the only one read (as µTask does).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

from engine.diagnostics import JsonPath
from engine.gcpause import gc_paused
from engine.load.resolve import MERGE_KEY, PLAIN_VALUES, go_scalar_to_string, resolve_plain, resolve_tagged
from engine.load.source import SourceMap

_Parser: Any
try:  # libyaml is what makes this fast; the pure-Python parser is a slow but correct fallback.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml on every platform we support
    _Parser = None

_MISSING = object()
# Plain words with a fixed meaning (booleans, nulls, special floats); `<<` stays out for the slow path.
_FIXED_PLAIN = {text: value for text, value in PLAIN_VALUES.items() if value is not MERGE_KEY}
_NUMBER_START = frozenset("0123456789+-.")

__all__ = ["Limits", "ParsedYaml", "YamlProblem", "YamlSyntaxError", "parse_yaml"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep hostile files from eating the machine."""

    max_depth: int = 100
    # Nodes that aliases may add on top of the document itself (a "billion laughs" file needs billions).
    max_alias_nodes: int = 200_000


@dataclass(slots=True)
class YamlProblem:
    """A non-fatal problem found while reading (the data is still usable)."""

    code: str
    message: str
    hint: str
    path: JsonPath
    line: int
    column: int


class YamlSyntaxError(Exception):
    """The text cannot be read as YAML at all (or breaks a limit); carries a 1-based position."""

    def __init__(self, code: str, message: str, hint: str, line: int, column: int) -> None:
        super().__init__(message)
        self.code, self.message, self.hint, self.line, self.column = code, message, hint, line, column


@dataclass(slots=True)
class ParsedYaml:
    data: Any
    source_map: SourceMap
    problems: list[YamlProblem] = field(default_factory=list)


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: JsonPath
    anchor: str | None
    line: int
    column: int
    nodes: int = 1
    key: Any = None  # mappings: the pending key (None while a key is expected)
    key_line: int = 0
    key_column: int = 0
    has_key: bool = False
    seen: dict[str, int] = field(default_factory=dict)  # mappings: key -> line, for duplicates


def parse_yaml(text: str, limits: Limits | None = None) -> ParsedYaml:
    """Read the first YAML document of `text`; raise YamlSyntaxError when that is impossible."""
    builder = _Builder(limits or Limits())
    parser: Any = _Parser(text) if _Parser is not None else yaml.parse(text)
    get_event = parser.get_event if _Parser is not None else parser.__next__
    try:
        with gc_paused():
            builder.run(get_event)
    except yaml.MarkedYAMLError as exc:
        mark: Any = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise YamlSyntaxError("yaml-syntax", f"YAML syntax error: {problem}{context}",
                              _syntax_hint(text, line, problem), line, column) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError("yaml-syntax", f"YAML error: {exc}", "fix the YAML syntax", 1, 1) from None
    return ParsedYaml(builder.root, builder.source_map, builder.problems)


def _syntax_hint(text: str, line: int, problem: str) -> str:
    lines = text.splitlines()
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    indentation = current[: len(current) - len(current.lstrip())]
    if "\t" in indentation or ("cannot start any token" in problem and "\t" in current):
        return "YAML does not allow tabs for indentation: indent with spaces (µTask servers reject tabs too)"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, or the indentation of this line is off"
    if "could not find expected ':'" in problem:
        return "check the indentation and quoting of the lines just above"
    return "fix the YAML syntax at this position"


class _Builder:
    """Turns the event stream into Python values; see the module docstring."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.root: Any = None
        self.source_map = SourceMap()
        self.problems: list[YamlProblem] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.alias_nodes = 0

    def run(self, get_event: Any) -> None:
        event = get_event()  # StreamStart
        event = get_event()
        if isinstance(event, ev.StreamEndEvent) or event is None:
            return
        self._loop(get_event)
        self._check_trailing_documents(get_event)

    def _loop(self, get_event: Any) -> None:
        """The event loop, with the common cases inlined: this is the loader's hot path."""
        scalar_event, mapping_start, sequence_start = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
        ends = (ev.MappingEndEvent, ev.SequenceEndEvent)
        stack, values, keys = self.stack, self.source_map.values, self.source_map.keys
        fixed, missing, number_start = _FIXED_PLAIN, _MISSING, _NUMBER_START
        while True:
            event = get_event()
            cls = event.__class__
            if cls is scalar_event:
                frame = stack[-1] if stack else None
                if frame is None or event.anchor is not None or not event.implicit[0] or event.style:
                    self._scalar(event)
                    continue
                text = event.value
                value = fixed.get(text, missing) if text else None
                if value is missing:
                    value = text if text[0] not in number_start else resolve_plain(text)
                mark = event.start_mark
                container = frame.container
                if container.__class__ is dict:
                    if not frame.has_key:
                        if value.__class__ is str and value not in frame.seen and value != "<<":
                            frame.has_key, frame.key = True, value
                            frame.key_line, frame.key_column = line, column = mark.line + 1, mark.column + 1
                            keys[(*frame.path, value)] = (line, column)
                        else:
                            self._take_key(frame, resolve_plain(text) if text else None, mark)
                        continue
                    key = frame.key
                    if key.__class__ is not str or key in frame.seen:
                        self._scalar(event)
                        continue
                    path = (*frame.path, key)
                    frame.has_key = False
                    frame.seen[key] = frame.key_line
                    container[key] = value
                else:
                    path = (*frame.path, len(container))
                    container.append(value)  # type: ignore[union-attr]  # a list here
                end = event.end_mark
                values[path] = (mark.line + 1, mark.column + 1, end.line + 1, end.column + 1)
                frame.nodes += 1
            elif cls is mapping_start:
                self._start(event, {})
            elif cls is sequence_start:
                self._start(event, [])
            elif cls in ends:
                self._end(event)
            elif cls is ev.AliasEvent:
                self._alias(event)
            elif cls is ev.DocumentEndEvent:
                return

    def _check_trailing_documents(self, get_event: Any) -> None:
        event = get_event()
        if isinstance(event, ev.DocumentStartEvent):
            mark: Any = event.start_mark
            self.problems.append(YamlProblem(
                "yaml-multiple-documents", "only the first YAML document is read; the rest is ignored",
                "remove the extra `---` documents or move them to files of their own", (),
                mark.line + 1, mark.column + 1))

    # -- values -------------------------------------------------------------------------------------

    def _scalar(self, event: Any) -> None:
        frame = self.stack[-1] if self.stack else None
        value = self._scalar_value(event)
        mark = event.start_mark
        if frame is not None and isinstance(frame.container, dict) and not frame.has_key:
            self._take_key(frame, value, mark)
            return
        end = event.end_mark
        self._store(value, 1, event.anchor, mark.line + 1, mark.column + 1, end.line + 1, end.column + 1)

    def _scalar_value(self, event: Any) -> Any:
        if event.implicit[0] and event.style in ("", None):
            return resolve_plain(event.value)
        if event.tag is None or event.tag == "!" or event.implicit[1] and event.tag is None:
            return event.value
        try:
            if event.tag == "tag:yaml.org,2002:binary":
                return base64.b64decode(event.value).decode("utf-8", "replace")
            return resolve_tagged(event.tag, event.value)
        except (ValueError, TypeError) as exc:
            mark = event.start_mark
            raise YamlSyntaxError("yaml-tag", f"{exc}", "remove the tag: µTask templates only use plain "
                                  "YAML values", mark.line + 1, mark.column + 1) from None

    def _start(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        tag = event.tag
        if tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"):
            mark = event.start_mark
            raise YamlSyntaxError("yaml-tag", f"unsupported YAML tag {tag!r}", "remove the tag: µTask "
                                  "templates only use plain YAML values", mark.line + 1, mark.column + 1)
        mark = event.start_mark
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.container, dict) and not parent.has_key:
            raise YamlSyntaxError("yaml-complex-key", "a mapping or a list cannot be used as a key",
                                  "use a plain string as key", mark.line + 1, mark.column + 1)
        if len(self.stack) >= self.limits.max_depth:
            raise YamlSyntaxError("yaml-too-deep", f"nesting deeper than {self.limits.max_depth} levels",
                                  "flatten the document: no template needs this depth", mark.line + 1,
                                  mark.column + 1)
        path = self._child_path(parent)
        self.stack.append(_Frame(container, path, event.anchor, mark.line + 1, mark.column + 1))

    def _end(self, event: Any) -> None:
        frame = self.stack.pop()
        end = event.end_mark
        self._store(frame.container, frame.nodes, frame.anchor, frame.line, frame.column,
                    end.line + 1, end.column + 1, own_frame=frame)

    def _alias(self, event: Any) -> None:
        mark = event.start_mark
        if event.anchor not in self.anchors:
            raise YamlSyntaxError("yaml-alias", f"unknown alias *{event.anchor}", "define the anchor "
                                  f"&{event.anchor} before using it", mark.line + 1, mark.column + 1)
        value, nodes = self.anchors[event.anchor]
        self.alias_nodes += nodes
        if self.alias_nodes > self.limits.max_alias_nodes:
            raise YamlSyntaxError("yaml-alias-bomb", "aliases expand to too many values (over "
                                  f"{self.limits.max_alias_nodes:,}); this looks like a 'billion laughs' file",
                                  "use fewer nested aliases", mark.line + 1, mark.column + 1)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and not frame.has_key:
            self._take_key(frame, value, mark)
            return
        end = event.end_mark
        self._store(value, nodes, None, mark.line + 1, mark.column + 1, end.line + 1, end.column + 1)

    def _store(self, value: Any, nodes: int, anchor: str | None, line: int, column: int,
               end_line: int, end_column: int, own_frame: _Frame | None = None) -> None:
        if anchor:
            self.anchors[anchor] = (value, nodes)
        parent = self.stack[-1] if self.stack else None
        path = own_frame.path if own_frame is not None else self._child_path(parent)
        self.source_map.values[path] = (line, column, end_line, end_column)
        if parent is None:
            self.root = value
            return
        parent.nodes += nodes
        if isinstance(parent.container, list):
            parent.container.append(value)
            return
        self._set_entry(parent, value, path, line, column)

    def _child_path(self, parent: _Frame | None) -> JsonPath:
        if parent is None:
            return ()
        if isinstance(parent.container, list):
            return (*parent.path, len(parent.container))
        key = parent.key if isinstance(parent.key, str) else "<<"
        return (*parent.path, key)

    # -- mappings -------------------------------------------------------------------------------------

    def _take_key(self, frame: _Frame, value: Any, mark: Any) -> None:
        frame.has_key, frame.key_line, frame.key_column = True, mark.line + 1, mark.column + 1
        if value is MERGE_KEY:
            frame.key = MERGE_KEY
            return
        key = go_scalar_to_string(value)
        if isinstance(value, bool):
            self.problems.append(YamlProblem(
                "yaml-boolean-key", f"this key is read as the boolean {key} (YAML 1.1), so it becomes {key!r}",
                "quote the key if you meant the text", (*frame.path, str(key)), frame.key_line, frame.key_column))
        if key is None:
            raise YamlSyntaxError("yaml-key", f"unsupported mapping key {value!r}", "use a plain string "
                                  "as key (a null, list or mapping key cannot become JSON)",
                                  mark.line + 1, mark.column + 1)
        frame.key = key
        self.source_map.keys[(*frame.path, key)] = (frame.key_line, frame.key_column)

    def _set_entry(self, frame: _Frame, value: Any, path: JsonPath, line: int, column: int) -> None:
        mapping = frame.container
        assert isinstance(mapping, dict)
        frame.has_key = False
        if frame.key is MERGE_KEY:
            self._merge(mapping, value, line, column)
            return
        key = frame.key
        first_line = frame.seen.get(key)
        if first_line is not None:
            self.problems.append(YamlProblem(
                "yaml-duplicate-key", f"duplicate key {key!r} (first defined on line {first_line})",
                "remove one of them: µTask would silently keep only the last one", path,
                frame.key_line, frame.key_column))
            mapping.pop(key, None)
        frame.seen[key] = frame.key_line
        mapping[key] = value

    def _merge(self, mapping: dict[str, Any], value: Any, line: int, column: int) -> None:
        # go-yaml v2 applies merges in document order; in a list, earlier mappings win.
        sources = reversed(value) if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                raise YamlSyntaxError("yaml-merge", "a merge key `<<` needs a mapping or a list of mappings",
                                      "merge an anchored mapping: `<<: *defaults`", line, column)
            mapping.update(source)

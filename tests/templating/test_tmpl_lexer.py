"""The lexer: token kinds, values and positions, trim markers, comments, and Go's lexer errors."""

from __future__ import annotations

import pytest

from engine.templating import lexer as lx
from engine.templating.lexer import Token, lex, token_string


def kinds(source: str, **options: bool) -> list[tuple[str, str]]:
    return [(lx.KIND_NAMES[t.kind], t.val) for t in lex(source, **options)]


def test_plain_text_is_one_token() -> None:
    assert lex("no actions here") == [Token(lx.TEXT, 0, "no actions here"), Token(lx.EOF, 15, "")]
    assert lex("") == [Token(lx.EOF, 0, "")]
    assert lex("a } b {") == [Token(lx.TEXT, 0, "a } b {"), Token(lx.EOF, 7, "")]


def test_field_chain_and_positions() -> None:
    tokens = lex("x{{.step.getUser.output.id}}y")
    assert [(lx.KIND_NAMES[t.kind], t.pos, t.val) for t in tokens] == [
        ("TEXT", 0, "x"),
        ("LEFT_DELIM", 1, "{{"),
        ("FIELD", 3, ".step"),
        ("FIELD", 8, ".getUser"),
        ("FIELD", 16, ".output"),
        ("FIELD", 23, ".id"),
        ("RIGHT_DELIM", 26, "}}"),
        ("TEXT", 28, "y"),
        ("EOF", 29, ""),
    ]


def test_all_token_kinds() -> None:
    source = "{{$x := .a | printf \"%d\" `raw` 'c' 1.5 1+2i nil true ( . ) , $ = }}"
    assert [k for k, _ in kinds(source) if k != "SPACE"] == [
        "LEFT_DELIM", "VARIABLE", "DECLARE", "FIELD", "PIPE", "IDENTIFIER", "STRING", "RAW_STRING",
        "CHAR_CONSTANT", "NUMBER", "COMPLEX", "NIL", "BOOL", "LEFT_PAREN", "DOT", "RIGHT_PAREN", "CHAR",
        "VARIABLE", "ASSIGN", "RIGHT_DELIM", "EOF",
    ]  # fmt: skip


@pytest.mark.parametrize("word", ["if", "else", "end", "range", "with", "define", "template", "block"])
def test_keywords(word: str) -> None:
    assert kinds("{{" + word + "}}")[1] == (word.upper(), word)


def test_break_and_continue_become_identifiers_when_functions_exist() -> None:
    assert kinds("{{break}}")[1] == ("BREAK", "break")
    assert kinds("{{break}}", break_ok=False)[1] == ("IDENTIFIER", "break")
    assert kinds("{{continue}}", continue_ok=False)[1] == ("IDENTIFIER", "continue")


def test_unicode_identifiers_and_fields() -> None:
    assert kinds("{{.é.ü $ö x٣}}")[1:-2] == [
        ("FIELD", ".é"), ("FIELD", ".ü"), ("SPACE", " "), ("VARIABLE", "$ö"), ("SPACE", " "),
        ("IDENTIFIER", "x٣"),
    ]  # fmt: skip


def test_superscript_digit_is_not_alphanumeric_for_go() -> None:
    # Python's \w accepts "²" (category No); Go's isAlphaNumeric does not.
    assert kinds("{{.x²}}")[-1] == ("ERROR", "bad character U+00B2 '²'")


def test_lone_dot_and_dollar() -> None:
    assert kinds("{{. $}}")[1:4] == [("DOT", "."), ("SPACE", " "), ("VARIABLE", "$")]
    assert kinds("{{$.x}}")[1:3] == [("VARIABLE", "$"), ("FIELD", ".x")]
    assert kinds("{{.x.}}")[1:3] == [("FIELD", ".x"), ("DOT", ".")]


def test_trim_markers() -> None:
    assert kinds("a \n{{- .x -}} \n b") == [
        ("TEXT", "a"), ("LEFT_DELIM", "{{"), ("FIELD", ".x"), ("RIGHT_DELIM", "}}"), ("TEXT", "b"),
        ("EOF", ""),
    ]  # fmt: skip
    # A trim marker needs ASCII whitespace next to the dash: "{{-3}}" is the number -3.
    assert kinds("a {{-3}}")[:3] == [("TEXT", "a "), ("LEFT_DELIM", "{{"), ("NUMBER", "-3")]
    # Only ASCII space, tab, CR and LF are trimmed.
    assert kinds("a\u00a0{{- 1}}")[0] == ("TEXT", "a\u00a0")


def test_trim_marker_after_several_spaces_keeps_a_space_token() -> None:
    assert kinds("{{.x   -}}")[1:4] == [("FIELD", ".x"), ("SPACE", "  "), ("RIGHT_DELIM", "}}")]


def test_right_delim_position_skips_the_trim_marker() -> None:
    tokens = lex("{{.x -}}")
    assert tokens[2] == Token(lx.RIGHT_DELIM, 6, "}}")


def test_comments_are_dropped_unless_requested() -> None:
    assert kinds("a{{/* c */}}b") == [("TEXT", "a"), ("TEXT", "b"), ("EOF", "")]
    assert kinds("a {{- /* c */ -}} b", emit_comments=True) == [
        ("TEXT", "a"), ("COMMENT", "/* c */"), ("TEXT", "b"), ("EOF", ""),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "message", "pos"),
    [
        ("{{.x", "unclosed action", 4),
        ("{{/* x", "unclosed comment", 2),
        ("{{/* x */ }}", "comment ends before closing delimiter", 2),
        ('{{"abc}}', "unterminated quoted string", 2),
        ('{{"a\nb"}}', "unterminated quoted string", 2),
        ("{{`abc}}", "unterminated raw quoted string", 2),
        ("{{'a}}", "unterminated character constant", 2),
        ("{{.a-b}}", "bad character U+002D '-'", 2),
        ("{{x[0]}}", "bad character U+005B '['", 2),
        ("{{$x+}}", "bad character U+002B '+'", 2),
        ("{{\x00}}", "unrecognized character in action: U+0000", 2),
        ("{{ → }}", "unrecognized character in action: U+2192 '→'", 3),
        ("{{.x)}}", "unexpected right paren", 4),
        ("{{(.x}}", "unclosed left paren", 5),
        ("{{:}}", "expected :=", 2),
        ("{{3-}}", 'bad number syntax: "3-"', 2),
        ("{{0x1g}}", 'bad number syntax: "0x1g"', 2),
        ("{{-.in}}", 'bad number syntax: "-.in"', 2),
    ],
)
def test_lexer_errors(source: str, message: str, pos: int) -> None:
    tokens = lex(source)
    assert tokens[-1] == Token(lx.ERROR, pos, message)


def test_lexing_stops_at_the_first_error() -> None:
    tokens = lex("{{.a-b}} {{ more }}")
    assert tokens[-1].kind == lx.ERROR
    assert all(t.kind != lx.EOF for t in tokens)


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("1", "NUMBER"), ("-1", "NUMBER"), ("+1", "NUMBER"), ("0x1F", "NUMBER"), ("0o17", "NUMBER"),
        ("0b101", "NUMBER"), ("1_000", "NUMBER"), (".5", "NUMBER"), ("1.", "NUMBER"), ("1e-3", "NUMBER"),
        ("0x1p-2", "NUMBER"), ("2i", "NUMBER"), ("1+2i", "COMPLEX"), ("1e3-2.5i", "COMPLEX"),
        ("08", "NUMBER"), ("0x", "NUMBER"), ("-", "NUMBER"),
    ],
)  # fmt: skip
def test_number_scanning(number: str, kind: str) -> None:
    # The lexer accepts number-ish text; the parser validates it (e.g. "08" and "0x" are parse errors).
    assert kinds("{{" + number + "}}")[1] == (kind, number)


def test_dot_at_end_of_input_is_lexed_as_a_number() -> None:
    assert kinds("{{.")[1] == ("NUMBER", ".")


@pytest.mark.parametrize(
    ("token", "text"),
    [
        (Token(lx.EOF, 0, ""), "EOF"),
        (Token(lx.ERROR, 0, "boom"), "boom"),
        (Token(lx.DOT, 0, "."), "<.>"),
        (Token(lx.WITH, 0, "with"), "<with>"),
        (Token(lx.NIL, 0, "nil"), "<nil>"),
        (Token(lx.RIGHT_DELIM, 0, "}}"), '"}}"'),
        (Token(lx.STRING, 0, '"abcdefghijkl"'), '"\\"abcdefghi"...'),
        # 14 bytes > 10, so "..." is added even though 10 runes cover the whole value (Go's quirk).
        (Token(lx.STRING, 0, '"éééééé"'), '"\\"éééééé\\""...'),
        (Token(lx.IDENTIFIER, 0, "\x01"), '"\\x01"'),
    ],
)
def test_token_string_matches_go_item_string(token: Token, text: str) -> None:
    assert token_string(token) == text


# Where the common-token regex hands over to the step-by-step lexer: numbers that continue past the
# digits, non-ASCII letters, trim markers after several spaces, parentheses and ends of input.
@pytest.mark.parametrize(("source", "expected"), [
    ("{{1. }}", [("NUMBER", 2, "1."), ("SPACE", 4, " "), ("RIGHT_DELIM", 5, "}}")]),
    ("{{1.5.x}}", [("NUMBER", 2, "1.5"), ("FIELD", 5, ".x"), ("RIGHT_DELIM", 7, "}}")]),
    ("{{1_000}}", [("NUMBER", 2, "1_000"), ("RIGHT_DELIM", 7, "}}")]),
    ("{{0x1F}}", [("NUMBER", 2, "0x1F"), ("RIGHT_DELIM", 6, "}}")]),
    ("{{-1}}", [("NUMBER", 2, "-1"), ("RIGHT_DELIM", 4, "}}")]),
    ("{{1+2i}}", [("COMPLEX", 2, "1+2i"), ("RIGHT_DELIM", 6, "}}")]),
    ("{{f 1,2}}", [("IDENTIFIER", 2, "f"), ("SPACE", 3, " "), ("NUMBER", 4, "1"), ("CHAR", 5, ","),
                   ("NUMBER", 6, "2"), ("RIGHT_DELIM", 7, "}}")]),
    ("{{a:=1}}", [("IDENTIFIER", 2, "a"), ("DECLARE", 3, ":="), ("NUMBER", 5, "1"), ("RIGHT_DELIM", 6, "}}")]),
    ("{{.aé}}", [("FIELD", 2, ".aé"), ("RIGHT_DELIM", 5, "}}")]),
    ("{{$é}}", [("VARIABLE", 2, "$é"), ("RIGHT_DELIM", 4, "}}")]),
    ("{{.x.}}", [("FIELD", 2, ".x"), ("DOT", 4, "."), ("RIGHT_DELIM", 5, "}}")]),
    ("{{.5}}", [("NUMBER", 2, ".5"), ("RIGHT_DELIM", 4, "}}")]),
    ("{{.x  -}} y", [("FIELD", 2, ".x"), ("SPACE", 4, " "), ("RIGHT_DELIM", 7, "}}"), ("TEXT", 10, "y")]),
    ("{{.x -}}", [("FIELD", 2, ".x"), ("RIGHT_DELIM", 6, "}}")]),
    ("{{x²}}", [("ERROR", 2, "bad character U+00B2 '²'")]),
    ("{{.x$}}", [("ERROR", 2, "bad character U+0024 '$'")]),
    ("{{1x}}", [("ERROR", 2, 'bad number syntax: "1x"')]),
    ("{{1)}}", [("NUMBER", 2, "1"), ("ERROR", 3, "unexpected right paren")]),
    ("{{(1}}", [("LEFT_PAREN", 2, "("), ("NUMBER", 3, "1"), ("ERROR", 4, "unclosed left paren")]),
    ("{{ ( 1 -}}", [("SPACE", 2, " "), ("LEFT_PAREN", 3, "("), ("SPACE", 4, " "), ("NUMBER", 5, "1"),
                    ("ERROR", 6, "unclosed left paren")]),
    ("{{.a.b", [("FIELD", 2, ".a"), ("FIELD", 4, ".b"), ("ERROR", 6, "unclosed action")]),
    ("{{.", [("NUMBER", 2, "."), ("ERROR", 3, "unclosed action")]),
    ('{{"unterminated}}', [("ERROR", 2, "unterminated quoted string")]),
])  # fmt: skip
def test_common_and_rare_tokens_meet(source: str, expected: list[tuple[str, int, str]]) -> None:
    tokens = [(lx.KIND_NAMES[t.kind], t.pos, t.val) for t in lex(source)]
    assert tokens[0] == ("LEFT_DELIM", 0, "{{")
    ends = [] if expected[-1][0] == "ERROR" else [("EOF", len(source), "")]  # an error is the last token
    assert tokens[1:] == expected + ends

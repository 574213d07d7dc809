"""The parser: tree shapes, Go String() forms, positions, scoping, define/block rules and errors."""

from __future__ import annotations

import pickle

import pytest

from engine.templating import FUNCTION_NAMES, TemplateError, Tree, check_syntax, parse
from engine.templating import nodes as n
from engine.templating.errors import exec_error, exec_error_without_node, go_location


def action_pipe(source: str, index: int = 0) -> n.PipeNode:
    node = parse(source).root.nodes[index]
    assert isinstance(node, n.ActionNode)
    return node.pipe


def parse_error(source: str, **kwargs: object) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        parse(source, **kwargs)  # type: ignore[arg-type]
    assert caught.value.kind == "parse"
    return caught.value


# --------------------------------------------------------------------------------------------- shapes


def test_field_chain_is_one_field_node() -> None:
    pipe = action_pipe("{{.step.getUser.output.id}}")
    (cmd,) = pipe.cmds
    (field,) = cmd.args
    assert isinstance(field, n.FieldNode)
    assert field.ident == ("step", "getUser", "output", "id")
    # Go positions a multi-field FieldNode at its *second* field (the chain it was built from).
    assert field.pos == 7


def test_single_field_position_is_its_dot() -> None:
    field = action_pipe("{{.input}}").cmds[0].args[0]
    assert isinstance(field, n.FieldNode) and field.pos == 2


def test_text_and_actions() -> None:
    tree = parse("https://api/{{.input.a}}/x/{{.input.b}}")
    kinds = [type(node).__name__ for node in tree.root.nodes]
    assert kinds == ["TextNode", "ActionNode", "TextNode", "ActionNode"]
    assert str(tree.root) == "https://api/{{.input.a}}/x/{{.input.b}}"


def test_plain_text_fast_path() -> None:
    tree = parse("no actions")
    assert [type(x) for x in tree.root.nodes] == [n.TextNode]
    assert tree.defines == {"tmpl": tree}
    assert parse("").root.nodes == []


def test_pipeline_and_arguments() -> None:
    pipe = action_pipe('{{.a | printf "%s-%d" .b 3 | upper}}')
    assert [str(cmd) for cmd in pipe.cmds] == [".a", 'printf "%s-%d" .b 3', "upper"]
    printf = pipe.cmds[1].args
    assert isinstance(printf[0], n.IdentifierNode) and printf[0].ident == "printf"
    assert isinstance(printf[1], n.StringNode) and printf[1].text == "%s-%d"
    assert isinstance(printf[3], n.NumberNode) and printf[3].int64 == 3


def test_parenthesized_pipeline_and_chain() -> None:
    pipe = action_pipe("{{(index .l 2).state.x}}")
    chain = pipe.cmds[0].args[0]
    assert isinstance(chain, n.ChainNode)
    assert isinstance(chain.node, n.PipeNode) and chain.fields == ["state", "x"]
    assert str(chain) == "(index .l 2).state.x"
    assert str(pipe) == "(index .l 2).state.x"


def test_variables_and_declarations() -> None:
    tree = parse("{{$x := .a}}{{$x.b.c}}{{$x = 2}}{{$}}{{$.a}}")
    decl, use, assign, dollar, dollar_field = (node.pipe for node in tree.root.nodes)  # type: ignore[attr-defined]
    assert [v.ident for v in decl.decl] == [("$x",)] and not decl.is_assign
    assert use.cmds[0].args[0].ident == ("$x", "b", "c")
    assert assign.is_assign
    assert dollar.cmds[0].args[0].ident == ("$",)
    assert dollar_field.cmds[0].args[0].ident == ("$", "a")


def test_literals() -> None:
    args = action_pipe("{{print nil true false 'a' 1.5 2i `r` \"s\"}}").cmds[0].args[1:]
    assert [type(a).__name__ for a in args] == [
        "NilNode", "BoolNode", "BoolNode", "NumberNode", "NumberNode", "NumberNode", "StringNode", "StringNode",
    ]  # fmt: skip
    char = args[3]
    assert isinstance(char, n.NumberNode) and char.text == "'a'" and char.int64 == 97


def test_if_else_if_chain() -> None:
    tree = parse("{{if .a}}A{{else if .b}}B{{else}}C{{end}}")
    (node,) = tree.root.nodes
    assert isinstance(node, n.IfNode) and node.else_list is not None
    (nested,) = node.else_list.nodes
    assert isinstance(nested, n.IfNode) and str(nested.pipe) == ".b"
    assert str(node) == "{{if .a}}A{{else}}{{if .b}}B{{else}}C{{end}}{{end}}"


def test_with_else_with_chain() -> None:
    (node,) = parse("{{with .a}}A{{else with .b}}B{{end}}").root.nodes
    assert isinstance(node, n.WithNode) and node.else_list is not None
    assert isinstance(node.else_list.nodes[0], n.WithNode)


def test_range_with_two_variables_break_continue() -> None:
    (node,) = parse("{{range $i, $v := .l}}{{if $i}}{{break}}{{end}}{{continue}}{{else}}none{{end}}").root.nodes
    assert isinstance(node, n.RangeNode)
    assert [v.ident for v in node.pipe.decl] == [("$i",), ("$v",)]
    assert str(node) == "{{range $i, $v := .l}}{{if $i}}{{break}}{{end}}{{continue}}{{else}}none{{end}}"


def test_define_template_and_block() -> None:
    tree = parse('{{define "t"}}T{{.}}{{end}}{{template "t" .a}}{{block "b" .}}B{{end}}')
    assert set(tree.defines) == {"tmpl", "t", "b"}
    assert str(tree.defines["t"].root) == "T{{.}}"
    assert str(tree.defines["b"].root) == "B"
    assert str(tree.root) == '{{template "t" .a}}{{template "b" .}}'
    assert all(t.defines is tree.defines for t in tree.defines.values())


def test_define_named_like_the_main_template_wins_over_empty_text() -> None:
    tree = parse('{{define "tmpl"}}body{{end}}  \n')
    assert tree.name == "tmpl" and str(tree.root) == "body"


def test_empty_redefinition_is_ignored_and_empty_definition_is_replaced() -> None:
    assert str(parse('{{define "x"}}a{{end}}{{define "x"}} {{end}}').defines["x"].root) == "a"
    assert str(parse('{{define "x"}}{{end}}{{define "x"}}b{{end}}').defines["x"].root) == "b"


def test_comments_are_kept_on_request() -> None:
    tree = parse("a{{/* note */}}b", comments=True)
    assert [type(x).__name__ for x in tree.root.nodes] == ["TextNode", "CommentNode", "TextNode"]
    assert str(tree.root) == "a{{/* note */}}b"
    assert [type(x).__name__ for x in parse("a{{/* note */}}b").root.nodes] == ["TextNode", "TextNode"]


@pytest.mark.parametrize(
    "source",
    [
        "{{.a.b}}", "{{index .a 1}}", '{{printf "%d" (len .x) | print}}', "{{$x := 1}}", "{{$x = 1}}",
        '{{template "t"}}', "{{range .}}{{.}}{{end}}", "{{with $w := .a}}x{{else}}y{{end}}", "{{(.a).x}}",
        "{{nil}}", "{{'\\n'}}", "{{0x1F}}", "{{`raw`}}",
    ],
)  # fmt: skip
def test_string_round_trips_go_canonical_forms(source: str) -> None:
    tree = parse(source, funcs=FUNCTION_NAMES)
    expected = source.replace("$x = 1", "$x := 1")  # Go prints ":=" for assignments too
    assert str(tree.root) == expected


def test_node_equality_is_identity() -> None:
    first, second = parse("{{.a}}{{.a}}").root.nodes
    assert first != second and len({first, second}) == 2


def test_error_context_uses_go_byte_columns() -> None:
    source = "é{{.a}}\n€€{{.input.nul.x}}"
    tree = parse(source)
    action = tree.root.nodes[3]
    assert isinstance(action, n.ActionNode)
    field = action.pipe.cmds[0].args[0]
    assert tree.error_context(field) == ("tmpl:2:14", ".input.nul.x")  # "€€{{.input" is 6+2+6 bytes
    assert go_location(source, 0) == (1, 0)


# -------------------------------------------------------------------------------------------- scoping


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{$x}}", 'undefined variable "$x"'),
        ("{{if true}}{{$x := 1}}{{end}}{{$x}}", 'undefined variable "$x"'),
        ("{{with $x := .a}}{{end}}{{$x}}", 'undefined variable "$x"'),
        ("{{range $i, $v := .}}{{end}}{{$v}}", 'undefined variable "$v"'),
        ('{{$x := 1}}{{define "t"}}{{$x}}{{end}}', 'undefined variable "$x"'),
        ('{{$x := 1}}{{block "b" .}}{{$x}}{{end}}', 'undefined variable "$x"'),
        ("{{$x.y := 1}}", 'undefined variable "$x"'),
    ],
)
def test_undefined_variables(source: str, message: str) -> None:
    assert parse_error(source).message == f"template: tmpl:1: {message}"


@pytest.mark.parametrize(
    "source",
    [
        "{{$x := 1}}{{if 1}}{{$x}}{{end}}{{$x}}",
        "{{if $a := 1}}{{else}}{{$a}}{{end}}",
        "{{if $a := 1}}{{else if $b := 2}}{{$a}}{{$b}}{{end}}",
        "{{range $i, $v := .}}{{$i}}{{$v}}{{end}}",
        "{{$y = 1}}",  # assignment to an undeclared variable fails only at execution
        "{{$x := 1}}{{$x := 2}}{{$x}}",
    ],
)
def test_variables_in_scope(source: str) -> None:
    parse(source)


# --------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{.x", "template: tmpl:1: unclosed action"),
        ("line1\n{{", "template: tmpl:2: unclosed action"),
        ('line1\n{{"x"\n"y"\n', "template: tmpl:4: unclosed action started at tmpl:2"),
        ("{{\n\n\n\n\n", "template: tmpl:6: unclosed action started at tmpl:1"),
        ('{{.a\n"x\n}}', "template: tmpl:2: unterminated quoted string in action started at tmpl:1"),
        ("line1\n{{\nx\n}}", 'template: tmpl:3: function "x" not defined'),
        ("{{if .x}}\n\nbody", "template: tmpl:3: unexpected EOF"),
        ("\n\n{{.x | nofunc}}", 'template: tmpl:3: function "nofunc" not defined'),
        ('{{block "b" .}}\nx\n{{else}}{{end}}', "template: tmpl:1: unexpected {{else}} in block clause"),
        ('{{define "a"}}\n\n{{else}}{{end}}', "template: tmpl:3: unexpected {{else}} in define clause"),
        ('{{define "tmpl"}}x{{end}}\n\nmain\n', 'template: tmpl:4: template: multiple definition of template "tmpl"'),
        ("{{end}}", "template: tmpl:1: unexpected {{end}}"),
        ("{{else}}", "template: tmpl:1: unexpected {{else}}"),
        ("{{if 1}}{{else}}{{else}}{{end}}", "template: tmpl:1: expected end; found {{else}}"),
        ("{{with 1}}{{else if 2}}{{end}}", "template: tmpl:1: unexpected <if> in input"),
        ("{{break}}", "template: tmpl:1: {{break}} outside {{range}}"),
        ("{{range .}}{{else}}{{continue}}{{end}}", "template: tmpl:1: {{continue}} outside {{range}}"),
        ("{{range .}}{{break 1}}{{end}}", 'template: tmpl:1: unexpected "1" in {{break}}'),
        ("{{range $a, $b, $c := .}}{{end}}", "template: tmpl:1: too many declarations in range"),
        ("{{range $a, 1}}{{end}}", "template: tmpl:1: range can only initialize variables"),
        ("{{$a, $b := 1}}", "template: tmpl:1: too many declarations in command"),
        ("{{.x | 1}}", "template: tmpl:1: non executable command in pipeline stage 2"),
        ("{{()}}", "template: tmpl:1: missing value for parenthesized pipeline"),
        ('{{"a".x}}', 'template: tmpl:1: unexpected . after term "\\"a\\""'),
        ("{{true.x}}", 'template: tmpl:1: unexpected . after term "true"'),
        ("{{.1.2}}", 'template: tmpl:1: unexpected ".2" in operand'),
        ("{{template .x}}", 'template: tmpl:1: unexpected ".x" in template clause'),
        ('{{template "\\z"}}', "template: tmpl:1: invalid syntax"),
        ("{{define x}}{{end}}", 'template: tmpl:1: unexpected "x" in define clause'),
        ('{{end "abcdefghijkl"}}', 'template: tmpl:1: unexpected "\\"abcdefghi"... in end'),
        ("{{.", 'template: tmpl:1: illegal number syntax: "."'),
    ],
)
def test_parse_errors(source: str, message: str) -> None:
    assert parse_error(source).message == message


def test_error_attributes() -> None:
    error = parse_error("{{.a}}\n{{.b | nosuch}}")
    assert (error.kind, error.line, error.column, error.offset) == ("parse", 2, None, 14)
    assert str(error) == 'template: tmpl:2: function "nosuch" not defined'
    assert isinstance(error, Exception)


def test_error_name_is_configurable() -> None:
    assert parse_error("{{end}}", name="title").message == "template: title:1: unexpected {{end}}"


def test_errors_pickle() -> None:
    error = parse_error("{{end}}")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.kind, copy.line, copy.offset) == (error.message, "parse", 1, error.offset)


def test_exec_error_helpers() -> None:
    error = exec_error("ab\n€{{.x}}", "tmpl", "tmpl", 6, ".x", "boom")
    assert error.message == 'template: tmpl:2:5: executing "tmpl" at <.x>: boom'
    assert (error.kind, error.line, error.column, error.offset) == ("exec", 2, 4, 6)
    assert exec_error_without_node("tmpl", "oops").message == "template: tmpl: oops"


# ------------------------------------------------------------------------------------------ functions


def test_function_names() -> None:
    for name in ("and", "index", "printf", "toJson", "sha512sum", "date_in_zone", "fromJson", "field", "b64RawDec"):
        assert name in FUNCTION_NAMES
    assert len(FUNCTION_NAMES) == 19 + 211 + 9 - 3  # slice, fromJson and mustFromJson are shared


def test_builtins_are_always_known() -> None:
    parse("{{len .x}}", funcs=())
    assert parse_error("{{upper .x}}", funcs=()).message == 'template: tmpl:1: function "upper" not defined'


def test_a_function_named_break_turns_the_keyword_into_a_call() -> None:
    (node,) = parse("{{break}}", funcs={"break"}).root.nodes
    assert isinstance(node, n.ActionNode) and str(node) == "{{break}}"


def test_check_syntax() -> None:
    assert check_syntax("{{.a | toJson}}") is None
    assert check_syntax("plain") is None
    error = check_syntax("{{required .a}}")
    assert error is not None and error.message == 'template: tmpl:1: function "required" not defined'


def test_deep_nesting_is_a_template_error_not_a_crash() -> None:
    depth = 2000
    with pytest.raises(TemplateError) as caught:
        parse("{{" + "(" * depth + "1" + ")" * depth + "}}")
    assert caught.value.kind == "parse"


def test_tree_type_is_exported() -> None:
    assert isinstance(parse("{{.}}"), Tree)

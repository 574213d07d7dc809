// Command go_oracle parses templates with Go's text/template and prints, for each one, the parse error or
// a dump of every tree (node types, byte positions, number classification) and its String() form.
// It backs tests/templating/data/go_parse_golden.jsonl; see regen.py. Build: go build -o oracle .
// Input: a JSON array of function names on the first line, then one JSON string (a template) per line.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"text/template"
	"text/template/parse"
)

func dump(n parse.Node, b *strings.Builder) {
	switch x := n.(type) {
	case nil:
		b.WriteString("nil")
	case *parse.ListNode:
		if x == nil {
			b.WriteString("nil")
			return
		}
		fmt.Fprintf(b, "(list %d", x.Pos)
		for _, c := range x.Nodes {
			b.WriteString(" ")
			dump(c, b)
		}
		b.WriteString(")")
	case *parse.TextNode:
		fmt.Fprintf(b, "(text %d %q)", x.Pos, string(x.Text))
	case *parse.ActionNode:
		fmt.Fprintf(b, "(action %d ", x.Pos)
		dump(x.Pipe, b)
		b.WriteString(")")
	case *parse.PipeNode:
		if x == nil {
			b.WriteString("nil")
			return
		}
		fmt.Fprintf(b, "(pipe %d %v [", x.Pos, x.IsAssign)
		for _, d := range x.Decl {
			dump(d, b)
		}
		b.WriteString("]")
		for _, c := range x.Cmds {
			b.WriteString(" ")
			dump(c, b)
		}
		b.WriteString(")")
	case *parse.CommandNode:
		fmt.Fprintf(b, "(cmd %d", x.Pos)
		for _, c := range x.Args {
			b.WriteString(" ")
			dump(c, b)
		}
		b.WriteString(")")
	case *parse.FieldNode:
		fmt.Fprintf(b, "(field %d %q)", x.Pos, strings.Join(x.Ident, "|"))
	case *parse.VariableNode:
		fmt.Fprintf(b, "(var %d %q)", x.Pos, strings.Join(x.Ident, "|"))
	case *parse.ChainNode:
		fmt.Fprintf(b, "(chain %d ", x.Pos)
		dump(x.Node, b)
		fmt.Fprintf(b, " %q)", strings.Join(x.Field, "|"))
	case *parse.DotNode:
		fmt.Fprintf(b, "(dot %d)", x.Pos)
	case *parse.NilNode:
		fmt.Fprintf(b, "(nil %d)", x.Pos)
	case *parse.BoolNode:
		fmt.Fprintf(b, "(bool %d %v)", x.Pos, x.True)
	case *parse.NumberNode:
		fmt.Fprintf(b, "(num %d %q %v %v %v %v %d %d %d %d %d)", x.Pos, x.Text, x.IsInt, x.IsUint, x.IsFloat, x.IsComplex,
			x.Int64, x.Uint64, math.Float64bits(x.Float64), math.Float64bits(real(x.Complex128)), math.Float64bits(imag(x.Complex128)))
	case *parse.StringNode:
		fmt.Fprintf(b, "(str %d %q %q)", x.Pos, x.Quoted, x.Text)
	case *parse.IdentifierNode:
		fmt.Fprintf(b, "(ident %d %q)", x.Pos, x.Ident)
	case *parse.IfNode:
		branch("if", &x.BranchNode, b)
	case *parse.RangeNode:
		branch("range", &x.BranchNode, b)
	case *parse.WithNode:
		branch("with", &x.BranchNode, b)
	case *parse.TemplateNode:
		fmt.Fprintf(b, "(template %d %q ", x.Pos, x.Name)
		dump(x.Pipe, b)
		b.WriteString(")")
	case *parse.BreakNode:
		fmt.Fprintf(b, "(break %d)", x.Pos)
	case *parse.ContinueNode:
		fmt.Fprintf(b, "(continue %d)", x.Pos)
	default:
		fmt.Fprintf(b, "(UNKNOWN %T)", n)
	}
}

func branch(name string, x *parse.BranchNode, b *strings.Builder) {
	fmt.Fprintf(b, "(%s %d ", name, x.Pos)
	dump(x.Pipe, b)
	b.WriteString(" ")
	dump(x.List, b)
	b.WriteString(" ")
	dump(x.ElseList, b)
	b.WriteString(")")
}

type result struct {
	Err    *string           `json:"err"`
	Trees  map[string]string `json:"trees"`
	Strs   map[string]string `json:"strs"`
}

func main() {
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	// The first input line is a JSON array of the function names to register (FUNCTION_NAMES).
	var names []string
	if !sc.Scan() || json.Unmarshal(sc.Bytes(), &names) != nil {
		panic("first line must be a JSON array of function names")
	}
	fm := template.FuncMap{}
	for _, n := range names {
		fm[n] = func() string { return "" }
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for sc.Scan() {
		var src string
		if err := json.Unmarshal(sc.Bytes(), &src); err != nil {
			panic(err)
		}
		var r result
		t, err := template.New("tmpl").Funcs(fm).Parse(src)
		if err != nil {
			s := err.Error()
			r.Err = &s
		} else {
			r.Trees = map[string]string{}
			r.Strs = map[string]string{}
			ts := t.Templates()
			sort.Slice(ts, func(i, j int) bool { return ts[i].Name() < ts[j].Name() })
			for _, tt := range ts {
				var b strings.Builder
				if tt.Tree != nil {
					dump(tt.Tree.Root, &b)
					r.Strs[tt.Name()] = tt.Tree.Root.String()
				}
				r.Trees[tt.Name()] = b.String()
			}
		}
		enc.Encode(r)
	}
}

package apidocs

import (
	"fmt"
	"strings"

	"github.com/google/cel-go/common"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/parser"
)

// readableMessage renders a CEL messageExpression for people: its string
// literals as they are, a field of the object as ‹field› (self.
// dropped), a lookup in a map of messages as the messages with their keys,
// and a conditional as both messages, "A, or else B". An expression it
// cannot read is shown as it is, in code quotes.
func readableMessage(expr string) string {
	p, err := parser.NewParser()
	if err == nil {
		tree, errs := p.Parse(common.NewTextSource(expr))
		if len(errs.GetErrors()) == 0 {
			if s, ok := render(tree.Expr()); ok {
				return s
			}
		}
	}
	return "`" + expr + "`"
}

func render(e ast.Expr) (string, bool) {
	switch e.Kind() {
	case ast.LiteralKind:
		v := e.AsLiteral()
		if s, ok := v.(types.String); ok {
			return string(s), true
		}
		return fmt.Sprint(v.Value()), true
	case ast.SelectKind, ast.IdentKind:
		path, ok := fieldPath(e)
		return "‹" + path + "›", ok
	case ast.CallKind:
		c := e.AsCall()
		args := c.Args()
		switch c.FunctionName() {
		case operators.Add:
			a, ok1 := render(args[0])
			b, ok2 := render(args[1])
			return a + b, ok1 && ok2
		case operators.Conditional:
			a, ok1 := render(args[1])
			b, ok2 := render(args[2])
			return a + ", or else " + b, ok1 && ok2
		case operators.Index:
			if args[0].Kind() == ast.MapKind {
				return lookup(args[0].AsMap(), args[1])
			}
		case "string":
			if len(args) == 1 {
				return render(args[0])
			}
		}
	}
	return "", false
}

// lookup renders {'Boolean': 'x', 'Level': 'y'}[self.measure.type] as
// "‹measure.type›: x (Boolean); y (Level)".
func lookup(m ast.MapExpr, key ast.Expr) (string, bool) {
	k, ok := fieldPath(key)
	if !ok {
		return "", false
	}
	var parts []string
	for _, entry := range m.Entries() {
		me := entry.AsMapEntry()
		name, ok1 := render(me.Key())
		val, ok2 := render(me.Value())
		if !ok1 || !ok2 {
			return "", false
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", val, name))
	}
	return "[by ‹" + k + "›: " + strings.Join(parts, "; ") + "]", true
}

// fieldPath is self.a.b as "a.b" (self alone as "value").
func fieldPath(e ast.Expr) (string, bool) {
	switch e.Kind() {
	case ast.IdentKind:
		if e.AsIdent() == "self" {
			return "value", true
		}
		return e.AsIdent(), true
	case ast.SelectKind:
		s := e.AsSelect()
		if s.Operand().Kind() == ast.IdentKind && s.Operand().AsIdent() == "self" {
			return s.FieldName(), true
		}
		base, ok := fieldPath(s.Operand())
		return base + "." + s.FieldName(), ok
	}
	return "", false
}

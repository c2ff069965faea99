package apidocs

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestAPIReferenceIsFresh fails when docs/api.md does not match the CRDs:
// run make docs.
func TestAPIReferenceIsFresh(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatalf("%v (run make docs)", err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Fatal("docs/api.md is stale: run make docs and commit it")
	}
	for _, want := range []string{"## Indicator", "`spec.target.operator`", "One of: Equals, AtLeast", "`spec.measure`: measure.scale applies only to type Ratio",
		// messageExpression rules, rendered with their literal text.
		"`spec`: target.operator ‹target.operator› does not apply to a ‹measure.type› measure: use [by ‹measure.type›: Equals with value \"true\" or \"false\" (Boolean); Equals, AtLeast or AtMost (Level);",
		"`spec.derived`: derived.operation ‹operation› takes exactly 2 inputs: the numerator, then the denominator, or else the first minus the second",
		// The rules of the Period and Decimal types, with what to write.
		"`spec.period`: not a period: write it year first, in quotes",
		"`spec.value`: not a number: write the figure alone, in quotes",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the reference lacks %q", want)
		}
	}
	if strings.Contains(b.String(), "message computed from the object") {
		t.Error("the reference hides a rule's message behind \"message computed from the object\"")
	}
}

// TestReadableMessage renders messageExpressions.
func TestReadableMessage(t *testing.T) {
	for expr, want := range map[string]string{
		`'a ' + self.x + ' b'`:                         "a ‹x› b",
		`'scale ' + self + ' must be above 0'`:         "scale ‹value› must be above 0",
		`self.t == 'R' ? 'ratio' : 'sum of ' + self.t`: "ratio, or else sum of ‹t›",
		`'use ' + {'A': 'x', 'B': 'y'}[self.m.type]`:   "use [by ‹m.type›: x (A); y (B)]",
		`size(self.x) + 'z'`:                           "`size(self.x) + 'z'`",
	} {
		if got := readableMessage(expr); got != want {
			t.Errorf("readableMessage(%s) = %q, want %q", expr, got, want)
		}
	}
}

package evaluate

import (
	"testing"

	"github.com/concord-operator/concord/api/v1alpha1"
)

func TestWords(t *testing.T) {
	q := func(s string) Period {
		p, err := ParsePeriod(s, v1alpha1.CadenceQuarterly)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct{ got, want string }{
		{duePeriodsText(q("2026-Q1"), q("2026-Q1"), ""), "The due period 2026-Q1"},
		{duePeriodsText(q("2026-Q1"), q("2026-Q3"), ""), "Every due period from 2026-Q1 to 2026-Q3"},
		{duePeriodsText(q("2026-Q1"), q("2026-Q1"), " of its inputs"), "The due period 2026-Q1 of its inputs"},
		{allOf(1, "member", "has", "have"), "its one member has"},
		{allOf(2, "member", "has", "have"), "both members have"},
		{allOf(5, "required sector", "has", "have"), "all 5 required sectors have"},
		{someOf(1, 1, "indicator", "is", "are"), "1 of 1 indicator is"},
		{someOf(1, 3, "indicator", "is", "are"), "1 of 3 indicators is"},
		{someOf(2, 3, "indicator", "is", "are"), "2 of 3 indicators are"},
		{expectedText(1), "the one expected reporter"},
		{expectedText(4), "all 4 expected reporters"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

package cli

import (
	"fmt"
	"io"

	"github.com/concord-operator/concord/internal/textsafe"
	"github.com/concord-operator/concord/internal/validate"
)

// printIssues prints a validation report's errors, warnings and skipped
// objects, one a line, as file:line: Kind namespace/name: field: message.
// Text from manifests is escaped: a terminal shows control characters and
// bidirectional overrides, it does not obey them.
func printIssues(w io.Writer, r validate.Report) {
	for _, i := range r.Errors {
		fmt.Fprintln(w, textsafe.Escape(i.String()))
	}
	for _, i := range r.Warnings {
		fmt.Fprintln(w, "warning: "+textsafe.Escape(i.String()))
	}
	for _, i := range r.Skipped {
		fmt.Fprintln(w, "skipped: "+textsafe.Escape(i.String()))
	}
}

// skippedCount is ", N skipped (not Concord's)", or "" when none was.
func skippedCount(r validate.Report) string {
	if len(r.Skipped) == 0 {
		return ""
	}
	return fmt.Sprintf(", %d skipped (not Concord's)", len(r.Skipped))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

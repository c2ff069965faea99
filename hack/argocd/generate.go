// Package argocd generates Argo CD health checks for Concord's kinds. The
// checks are one script; Argo CD wants a copy per kind in the
// resource_customizations layout, so the copies are generated from
// health.lua.tmpl (go run ./hack/argocd/gen) and a test fails when they are
// stale.
package argocd

import (
	"bytes"
	_ "embed"
	"path/filepath"
	"text/template"
)

//go:embed health.lua.tmpl
var healthTemplate string

// Kind describes what a kind's health check says of itself.
type Kind struct {
	Kind string
	// ReadyFalse names what makes Ready False for the kind.
	ReadyFalse string
	// Data lists the conditions that never affect health.
	Data string
	// Suspend: the kind has spec.suspend.
	Suspend bool
	// Waiting lists the reasons of Ready False that mean the object waits
	// for someone else's action rather than being broken (Progressing).
	Waiting []string
}

// Kinds are Concord's kinds, in the order of the design.
var Kinds = []Kind{
	{"Indicator", "InvalidSpec, or an unresolved reference: MechanismNotFound", "TargetMet, EvidenceMissing, DataOverdue, OnTrack and Anomalous", true, nil},
	{"Measurement", "an unresolved reference (IndicatorNotFound), or content its Indicator refuses:\n--                PeriodMismatch, ValueInvalid, BreakdownInconsistent or ReportTimeInFuture,\n--                which also set Stalled True: only a new Measurement can fix them",
		"Superseded and Verified (Accepted sets Ready for the reasons above)", false, []string{"AwaitingApproval"}},
	{"Evidence", "InvalidSpec; this kind has no reference to resolve", "Verified and Expired", true, nil},
	{"CooperationMechanism", "InvalidSpec; this kind has no reference to resolve", "Formalized, RolesDefined, SectorsRepresented, MeetingsRegular and IndicatorsOnTrack", true, nil},
	{"ActionPlan", "InvalidSpec; this kind has no reference to resolve", "OnTrack", true, nil},
}

var tmpl = template.Must(template.New("health.lua").Parse(healthTemplate))

// Render returns a kind's health.lua.
func Render(k Kind) ([]byte, error) {
	var b bytes.Buffer
	err := tmpl.Execute(&b, k)
	return b.Bytes(), err
}

// ScriptPath is where a kind's script goes, below the repository root.
func ScriptPath(k Kind) string {
	return filepath.Join("hack", "argocd", "resource_customizations", "monitoring.concord.dev", k.Kind, "health.lua")
}

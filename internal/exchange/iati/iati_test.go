package iati_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concord-operator/concord/internal/exchange"
	"github.com/concord-operator/concord/internal/exchange/exchangetest"
	"github.com/concord-operator/concord/internal/exchange/iati"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

const (
	scenario   = "../../../examples/national-plan"
	exampleMap = "../../../examples/exchange/iati.yaml"
	fixture    = "../testdata/disclosure.yaml"
)

func export(t *testing.T, m *exchange.Map, objs exchange.Objects) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := exchange.Write(m, iati.Codec{}, objs, false, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// validate checks an IATI file against the official 2.03 schema with
// xmllint, the schema read in place from the shared standards
// (exchangetest.Shared). In CI (CI set) a missing xmllint fails the test:
// .ci/run installs libxml2-utils.
func validate(t *testing.T, doc []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing: .ci/run must install libxml2-utils")
		}
		t.Skip("xmllint is missing: apt-get install -y libxml2-utils to validate against the IATI schema")
	}
	schema := exchangetest.Shared(t, "standards", "iati-2.03", "iati-activities-schema.xsd")
	path := filepath.Join(t.TempDir(), "activities.xml")
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, path).CombinedOutput()
	if err != nil {
		t.Errorf("the export does not validate against the IATI 2.03 schema: %v\n%s", err, out)
	}
}

// TestGoldenExample: the IATI export of the example plan at 2026-11-21,
// with examples/exchange/iati.yaml, valid against the IATI 2.03 schema.
func TestGoldenExample(t *testing.T) {
	m, err := exchange.LoadMap(exampleMap)
	if err != nil {
		t.Fatal(err)
	}
	out := export(t, m, exchangetest.Objects(t, exchangetest.At, scenario))
	exchangetest.Golden(t, filepath.Join("testdata", "npa-results.xml"), out, *update)
	validate(t, out)
	for _, want := range []string{
		`<indicator measure="5">`, // Boolean: qualitative
		`<narrative>Yes</narrative>`,
		`<indicator measure="2" ascending="true">`, // a percentage
		`<dimension name="gender" value="female"></dimension>`,
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("the example export lacks %s", want)
		}
	}
}

// TestDisclosure: withheld figures have no value and say they are
// withheld; small figures appear nowhere; the file still validates.
func TestDisclosure(t *testing.T) {
	m := exchangetest.Map(t, `
format: iati
namespace: ex
indicators: [{indicator: victims, code: VT-1}, {indicator: sops-endorsed}]
dimensions: [{dimension: gender, source: sex, categories: {F: female, M: male}}]
options:
  identifier: XM-EXAMPLE-1
  reportingOrg: {ref: XM-EXAMPLE, type: "10", name: Secretariat}
`)
	out := export(t, m, exchangetest.Objects(t, exchangetest.At, fixture))
	validate(t, out)
	s := string(out)
	for _, small := range []string{`value="3"`, `value="4"`, `value="1"`, `value="4.5"`} {
		if strings.Contains(s, small) {
			t.Errorf("the export holds the withheld figure %s:\n%s", small, s)
		}
	}
	for _, want := range []string{
		`<baseline year="2025" iso-date="2025-10-01">`,
		"Withheld by disclosure control: a figure below 5",
		`<actual value="38">`,
		`<dimension name="sex" value="F"></dimension>`,
		`<document-link url="https://records.gov.example/register-2026-q1.pdf" format="application/pdf">`,
		`<reference vocabulary="99" code="VT-1"></reference>`,
		`<target value="25"></target>`,
		`<period-end iso-date="2026-06-30"></period-end>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the export lacks %s:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "Withheld by disclosure control"); n != 6 {
		t.Errorf("%d withheld figures, want 6: the baseline, the two cells of 2026-Q1, the total and two cells of 2026-Q2:\n%s", n, s)
	}
}

func TestOptionErrors(t *testing.T) {
	objs := exchangetest.Objects(t, exchangetest.At, fixture)
	for name, tc := range map[string]struct{ options, want string }{
		"no identifier":    {`{reportingOrg: {ref: X, type: "10", name: S}}`, "map.yaml: options.identifier is required"},
		"no org":           {`{identifier: X-1}`, "map.yaml: options.reportingOrg needs ref, type and name"},
		"unknown plan":     {`{identifier: X-1, reportingOrg: {ref: X, type: "10", name: S}, actionPlan: nope}`, `map.yaml: options.actionPlan "nope": no such ActionPlan in namespace ex`},
		"unknown option":   {`{identifier: X-1, reportingOrg: {ref: X, type: "10", name: S}, plan: x}`, `map.yaml: options: json: unknown field "plan"`},
		"participant role": {`{identifier: X-1, reportingOrg: {ref: X, type: "10", name: S}, participatingOrgs: [{name: D}]}`, "options.participatingOrgs[0] needs role and name"},
	} {
		t.Run(name, func(t *testing.T) {
			m := exchangetest.Map(t, "format: iati\nnamespace: ex\nindicators: [{indicator: victims}]\noptions: "+tc.options)
			var b bytes.Buffer
			err := exchange.Write(m, iati.Codec{}, objs, false, &b)
			if err == nil || !strings.Contains(err.Error(), tc.want) || b.Len() != 0 {
				t.Errorf("got %v (written %d bytes), want %q", err, b.Len(), tc.want)
			}
		})
	}
}

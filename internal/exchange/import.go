package exchange

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation"

	"go.yaml.in/yaml/v3"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/offline"
	"github.com/concord-operator/concord/internal/parallel"
	"github.com/concord-operator/concord/internal/textsafe"
	"github.com/concord-operator/concord/internal/validate"
)

// ImportGCPercent is the garbage collector's target `concordctl import`
// sets (as GOGC=200 would, unless GOGC is set): validating each
// Measurement as the API server would allocates much short-lived memory,
// and a heap that may grow to three times what is live spends about a
// tenth less CPU than with Go's default of 100 (docs/interop.md, "Speed").
const ImportGCPercent = 200

// ImportRequest is what an import reads.
type ImportRequest struct {
	// Map is the mapping file; Codec reads Files under it.
	Map   *Map
	Codec Codec
	Files []string
	// Base is the set the import is checked against, as `concordctl
	// validate` reads it: the Indicators of the map's namespace, the
	// Measurements already there (from --indicators PATH, or the cluster),
	// and whatever else was read with them.
	Base []manifest.Object
	// Now is the time of the import (zero: the wall clock): Measurements
	// are validated at it, and no reportTime may be later.
	Now time.Time
}

// Outcome is what an import does with one Measurement's figures.
type Outcome string

// Outcomes.
const (
	// OutcomeCreated: no counted Measurement holds the slot (indicator,
	// period, reporter); a new one is written.
	OutcomeCreated Outcome = "created"
	// OutcomeUnchanged: the slot's newest counted Measurement holds the
	// same figures; nothing is written.
	OutcomeUnchanged Outcome = "unchanged"
	// OutcomeCorrection: the slot's newest counted Measurement holds other
	// figures (a conflict); a new Measurement with a later reportTime is
	// written, which supersedes it. The existing one is never changed.
	OutcomeCorrection Outcome = "correction"
)

// ImportedMeasurement is one Measurement an import made from its figures.
type ImportedMeasurement struct {
	Measurement *v1alpha1.Measurement
	Outcome     Outcome
	// Existing names the Measurement of the slot this one equals
	// (unchanged) or supersedes (correction).
	Existing string
	// Sources are where its figures were read: the total's, then the
	// cells' in file order.
	Sources []Location
}

// ImportResult is the outcome of an import: nothing may be written unless
// Errors is empty.
type ImportResult struct {
	Files []string
	// Figures counts the figures read.
	Figures int
	// Measurements, sorted by name: created, unchanged and corrections.
	Measurements []ImportedMeasurement
	// Ignored rows, in file order.
	Ignored []Ignored
	// Errors and Warnings, each "file:line: message".
	Errors   []string
	Warnings []string
}

// OK reports whether the import may be written.
func (r *ImportResult) OK() bool { return len(r.Errors) == 0 }

// Written returns the Measurements to write: the created ones and the
// corrections, sorted by name.
func (r *ImportResult) Written() []*v1alpha1.Measurement {
	var out []*v1alpha1.Measurement
	for _, im := range r.Measurements {
		if im.Outcome != OutcomeUnchanged {
			out = append(out, im.Measurement)
		}
	}
	return out
}

// Count returns the number of Measurements of an outcome.
func (r *ImportResult) Count(o Outcome) int {
	n := 0
	for _, im := range r.Measurements {
		if im.Outcome == o {
			n++
		}
	}
	return n
}

// slot groups the figures of one (indicator, period, reporter).
type slot struct {
	ind              *v1alpha1.Indicator
	period, reporter string
	total            *Figure
	cells            []*Figure
	seen             map[string]Location
	reported         time.Time
}

// Import reads the files, turns their figures into Measurements (one per
// indicator, period and reporter, with the breakdown cells in file order),
// compares them with the existing Measurements and validates the ones to
// write with the Base as `concordctl validate` would. Problems are in the
// result's Errors, each with the file and line it comes from.
func Import(ctx context.Context, req ImportRequest) *ImportResult {
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	res := &ImportResult{Files: req.Files}
	fail := func(format string, a ...any) { res.Errors = append(res.Errors, fmt.Sprintf(format, a...)) }
	m := req.Map

	var fixed time.Time
	if m.ReportTime != "" {
		t, err := time.Parse(time.RFC3339, m.ReportTime)
		switch {
		case err != nil:
			fail("%s: reportTime %q is not an RFC 3339 time such as 2026-04-08T10:00:00Z", m.File, m.ReportTime)
		case t.After(now):
			fail("%s: reportTime %s is later than now (%s): figures cannot be reported in the future", m.File, m.ReportTime, now.Format(time.RFC3339))
		default:
			fixed = t.UTC()
		}
	}

	var files [][]Figure // each file's, in order
	fileTimes := map[string]time.Time{}
	for _, name := range req.Files {
		rd, mtime, err := readFile(req.Codec, m, name)
		if err != nil {
			res.Errors = append(res.Errors, errorLines(err)...)
		}
		if mtime.After(now) {
			mtime = now // a clock ahead of ours: never a time in the future
		}
		fileTimes[name] = mtime.Truncate(time.Second)
		files = append(files, rd.Figures)
		res.Figures += len(rd.Figures)
		res.Ignored = append(res.Ignored, rd.Ignored...)
	}

	set, _ := offline.Decode(req.Base) // objects that do not decode are validate's errors
	ns := m.Namespace
	indicators := map[string]*v1alpha1.Indicator{}
	for _, ind := range set.Indicators {
		if ind.Namespace == ns {
			indicators[ind.Name] = ind
		}
	}
	for i, in := range m.Indicators {
		if indicators[in.Indicator] == nil {
			fail("%s: indicators[%d]: Indicator %q is not among the Indicators of namespace %q read: pass its manifest with --indicators, or use --from-cluster",
				m.File, i, in.Indicator, ns)
		}
	}

	slots := map[string]*slot{}
	var order []*slot
	for _, figures := range files {
		for i := range figures {
			if s := addFigure(&figures[i], indicators, slots, fixed, fileTimes, fail); s != nil {
				order = append(order, s)
			}
		}
	}

	existing, newest := existingSlots(set, ns, indicators, now)
	used := map[string]bool{}
	for _, s := range order {
		if s.total == nil {
			fail("%s: %s %s of %q has breakdown cells but no total: give the total (a row without categories), or leave these cells blank",
				s.cells[0].Source, s.ind.Name, s.period, s.reporter)
			continue
		}
		meas := measurementOf(ns, s)
		sources := []Location{s.total.Source}
		for _, c := range s.cells {
			sources = append(sources, c.Source)
		}
		im := ImportedMeasurement{Measurement: meas, Outcome: OutcomeCreated, Sources: sources}
		name := measurementName(s.ind.Name, s.period, s.reporter)
		if old := newest[slotID(s.ind.Name, s.period, s.reporter)]; old != nil {
			im.Existing = old.Name
			if sameFigures(old, meas) {
				im.Outcome = OutcomeUnchanged
				meas.Name = old.Name
				res.Measurements = append(res.Measurements, im)
				continue
			}
			im.Outcome = OutcomeCorrection
			oldTime := old.CreationTimestamp.Time
			if old.Spec.ReportTime != nil {
				oldTime = old.Spec.ReportTime.Time
			}
			if !meas.Spec.ReportTime.After(oldTime) {
				fail("%s: %s %s of %q differs from Measurement %s, reported %s, but this import's reportTime %s is not later: a correction must be newer to supersede it; set reportTime in %s to when the corrected figures were reported",
					s.total.Source, s.ind.Name, s.period, s.reporter, old.Name, oldTime.UTC().Format(time.RFC3339), meas.Spec.ReportTime.UTC().Format(time.RFC3339), m.File)
				continue
			}
			if old.Spec.ReportTime == nil && old.CreationTimestamp.IsZero() {
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s: Measurement %s gives no reportTime: the correction (reportTime %s) supersedes it only if the cluster created it before then; check with --from-cluster",
					s.total.Source, old.Name, meas.Spec.ReportTime.UTC().Format(time.RFC3339)))
			}
			name = fitName(name + "-" + contentHash(meas))
		}
		meas.Name = uniqueName(name, existing, used)
		used[meas.Name] = true
		res.Measurements = append(res.Measurements, im)
	}
	sort.Slice(res.Measurements, func(i, j int) bool {
		return res.Measurements[i].Measurement.Name < res.Measurements[j].Measurement.Name
	})
	if !res.OK() {
		return res
	}
	validateWritten(ctx, req.Base, res, now)
	return res
}

// addFigure files a figure under its slot (indicator, period, reporter),
// after checking it against its Indicator; it returns the slot when the
// figure opened it. Problems are reported with fail.
func addFigure(f *Figure, indicators map[string]*v1alpha1.Indicator, slots map[string]*slot, fixed time.Time, fileTimes map[string]time.Time, fail func(string, ...any)) *slot {
	ind := indicators[f.Indicator]
	if ind == nil {
		return nil // reported: the map names an Indicator not read
	}
	if msg := checkFigure(ind, f); msg != "" {
		fail("%s: %s", f.Source, msg)
		return nil
	}
	key := f.Indicator + "\x00" + f.Period + "\x00" + f.Reporter
	s, opened := slots[key], false
	if s == nil {
		s = &slot{ind: ind, period: f.Period, reporter: f.Reporter, seen: map[string]Location{}}
		slots[key], opened = s, true
	}
	ck := categoriesKey(f.Categories)
	if prev, dup := s.seen[ck]; dup {
		fail("%s: repeats the figure of %s (%s %s of %q, %s): remove one of the two rows", f.Source, prev, f.Indicator, f.Period, f.Reporter, CellText(f.Categories))
	} else {
		s.seen[ck] = f.Source
		if len(f.Categories) == 0 {
			s.total = f
		} else {
			s.cells = append(s.cells, f)
		}
		t := fixed
		if t.IsZero() {
			t = fileTimes[f.Source.File]
		}
		if t.After(s.reported) {
			s.reported = t
		}
	}
	if opened {
		return s
	}
	return nil
}

// readFile reads one file with the codec, and its modification time.
func readFile(c Codec, m *Map, name string) (Read, time.Time, error) {
	f, err := os.Open(name)
	if err != nil {
		return Read{}, time.Time{}, fmt.Errorf("%s: cannot be read: %w", name, unwrapPath(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Read{}, time.Time{}, fmt.Errorf("%s: cannot be read: %w", name, unwrapPath(err))
	}
	if st.IsDir() {
		return Read{}, time.Time{}, fmt.Errorf("%s: is a directory: name the files to import", name)
	}
	rd, err := c.Read(m, name, f)
	return rd, st.ModTime().UTC(), err
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// errorLines splits joined errors into one message each.
func errorLines(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, errorLines(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

// checkFigure checks a figure against its Indicator: the period of its
// cadence, the value of its measure, the dimensions and categories it
// declares. It returns what is wrong and what to write instead.
func checkFigure(ind *v1alpha1.Indicator, f *Figure) string {
	if _, err := evaluate.ParsePeriod(f.Period, ind.Spec.Cadence); err != nil {
		return fmt.Sprintf("%v: Indicator %s is reported %s", err, ind.Name, ind.Spec.Cadence)
	}
	ms := ind.Spec.Measure
	if ms.Type == v1alpha1.MeasureRatio {
		if f.Value != "" || f.Numerator == "" {
			return fmt.Sprintf("Indicator %s is a Ratio: its figures are a numerator and a denominator, not a value; map those columns", ind.Name)
		}
		if n, err := evaluate.ParseNumber(f.Numerator); err != nil || n.Sign() < 0 {
			return fmt.Sprintf("numerator %q is not a Ratio numerator: write a number of 0 or more", f.Numerator)
		}
		if d, err := evaluate.ParseNumber(f.Denominator); err != nil || d.Sign() <= 0 {
			return fmt.Sprintf("denominator %q is not a Ratio denominator: write a number greater than 0", f.Denominator)
		}
	} else {
		if f.Value == "" {
			return fmt.Sprintf("Indicator %s is a %s measure: its figures are values, not a numerator and a denominator; map a value column", ind.Name, ms.Type)
		}
		if _, err := evaluate.ParseMeasureValue(ms, f.Value); err != nil {
			return fmt.Sprintf("value: %v (Indicator %s is a %s measure)", err, ind.Name, ms.Type)
		}
	}
	dims := map[string]v1alpha1.Disaggregation{}
	for _, d := range ind.Spec.Disaggregations {
		dims[d.Dimension] = d
	}
	for _, dim := range slices.Sorted(maps.Keys(f.Categories)) {
		cat := f.Categories[dim]
		d, ok := dims[dim]
		if !ok {
			return fmt.Sprintf("dimension %s is not one of Indicator %s's disaggregations: map the column to one of them, or declare it", dim, ind.Name)
		}
		if len(d.Categories) > 0 && !slices.Contains(d.Categories, cat) {
			return fmt.Sprintf("category %q of %s is not one Indicator %s declares (%s): map the label to one of them", cat, dim, ind.Name, strings.Join(d.Categories, ", "))
		}
	}
	return ""
}

// categoriesKey identifies a cell by its categories.
func categoriesKey(c map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(c)) {
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(c[k])
		b.WriteByte(0)
	}
	return b.String()
}

// CellText names a cell for people: "the total" or "sex=female, age=child".
func CellText(c map[string]string) string {
	if len(c) == 0 {
		return "the total"
	}
	parts := make([]string, 0, len(c))
	for _, k := range slices.Sorted(maps.Keys(c)) {
		parts = append(parts, k+"="+c[k])
	}
	return strings.Join(parts, ", ")
}

// measurementOf builds the Measurement of a slot (its name is set later).
func measurementOf(ns string, s *slot) *v1alpha1.Measurement {
	meas := &v1alpha1.Measurement{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "Measurement"},
		ObjectMeta: metav1.ObjectMeta{Namespace: ns},
		Spec: v1alpha1.MeasurementSpec{
			IndicatorRef: v1alpha1.LocalObjectReference{Name: s.ind.Name},
			Period:       v1alpha1.Period(s.period),
			Reporter:     s.reporter,
			ReportTime:   &metav1.Time{Time: s.reported},
		},
	}
	meas.Spec.Value, meas.Spec.Numerator, meas.Spec.Denominator = decimals(s.total)
	for _, c := range s.cells {
		cell := v1alpha1.BreakdownCell{Categories: map[string]v1alpha1.Category{}}
		for k, v := range c.Categories {
			cell.Categories[k] = v1alpha1.Category(v)
		}
		cell.Value, cell.Numerator, cell.Denominator = decimals(c)
		meas.Spec.Breakdown = append(meas.Spec.Breakdown, cell)
	}
	return meas
}

func decimals(f *Figure) (value, num, den *v1alpha1.Decimal) {
	p := func(s string) *v1alpha1.Decimal {
		if s == "" {
			return nil
		}
		d := v1alpha1.Decimal(s)
		return &d
	}
	return p(f.Value), p(f.Numerator), p(f.Denominator)
}

func slotID(indicator, period, reporter string) string {
	return indicator + "\x00" + period + "\x00" + reporter
}

// existingSlots indexes the namespace's Measurements by name, and the
// newest counted one of each slot, as the evaluator supersedes them:
// among those their Indicator accepts, the newest reportTime (else
// creation time) wins.
func existingSlots(set *offline.Set, ns string, indicators map[string]*v1alpha1.Indicator, now time.Time) (map[string]bool, map[string]*v1alpha1.Measurement) {
	names := map[string]bool{}
	byIndicator := map[string][]*v1alpha1.Measurement{}
	for _, m := range set.Measurements {
		if m.Namespace != ns {
			continue
		}
		names[m.Name] = true
		byIndicator[m.Spec.IndicatorRef.Name] = append(byIndicator[m.Spec.IndicatorRef.Name], m)
	}
	newest := map[string]*v1alpha1.Measurement{}
	for name, ms := range byIndicator {
		ind := indicators[name]
		if ind == nil {
			continue
		}
		var accepted []*v1alpha1.Measurement
		for _, m := range ms {
			if evaluate.Accept(ind, m, now).Status == metav1.ConditionTrue {
				accepted = append(accepted, m)
			}
		}
		for _, m := range evaluate.Latest(accepted) {
			newest[slotID(name, string(m.Spec.Period), m.Spec.Reporter)] = m
		}
	}
	return names, newest
}

// sameFigures reports whether two Measurements of a slot give the same
// figures: value (or numerator and denominator) and the same breakdown
// cells, numbers compared as numbers.
func sameFigures(a, b *v1alpha1.Measurement) bool {
	if !sameNumbers(a.Spec.Value, a.Spec.Numerator, a.Spec.Denominator, b.Spec.Value, b.Spec.Numerator, b.Spec.Denominator) {
		return false
	}
	if len(a.Spec.Breakdown) != len(b.Spec.Breakdown) {
		return false
	}
	cells := map[string]v1alpha1.BreakdownCell{}
	for _, c := range a.Spec.Breakdown {
		cells[cellCategoriesKey(c)] = c
	}
	for _, c := range b.Spec.Breakdown {
		o, ok := cells[cellCategoriesKey(c)]
		if !ok || !sameNumbers(o.Value, o.Numerator, o.Denominator, c.Value, c.Numerator, c.Denominator) {
			return false
		}
	}
	return true
}

func cellCategoriesKey(c v1alpha1.BreakdownCell) string {
	m := make(map[string]string, len(c.Categories))
	for k, v := range c.Categories {
		m[k] = string(v)
	}
	return categoriesKey(m)
}

func sameNumbers(av, an, ad, bv, bn, bd *v1alpha1.Decimal) bool {
	return sameDecimal(av, bv) && sameDecimal(an, bn) && sameDecimal(ad, bd)
}

func sameDecimal(a, b *v1alpha1.Decimal) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ra, ea := evaluate.ParseNumber(string(*a))
	rb, eb := evaluate.ParseNumber(string(*b))
	if ea != nil || eb != nil {
		return *a == *b // "true"/"false"
	}
	return ra.Cmp(rb) == 0
}

// measurementName is "<indicator>-<period lowercased>-<reporter slug>".
func measurementName(indicator, period, reporter string) string {
	r := slug(reporter)
	if r == "" { // a reporter written without Latin letters or digits
		r = "r" + shortHash(reporter)
	}
	return fitName(strings.Trim(slug(indicator)+"-"+strings.ToLower(period)+"-"+r, "-"))
}

// slug lowercases s and turns every run of characters other than a-z and
// 0-9 into one '-'.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// fitName keeps a name within the 253 characters of a DNS-1123
// subdomain: a longer one is cut and ends with a hash of the whole.
func fitName(name string) string {
	if len(name) <= validation.DNS1123SubdomainMaxLength {
		return name
	}
	return strings.TrimRight(name[:validation.DNS1123SubdomainMaxLength-9], "-.") + "-" + shortHash(name)
}

// uniqueName returns name, or name-2, name-3... when an existing
// Measurement of another slot, or another imported one, has it.
func uniqueName(name string, existing, used map[string]bool) string {
	out := name
	for n := 2; existing[out] || used[out]; n++ {
		out = fitName(fmt.Sprintf("%s-%d", name, n))
	}
	return out
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}

// contentHash identifies a Measurement's figures (not its report time).
func contentHash(m *v1alpha1.Measurement) string {
	spec := m.Spec
	spec.ReportTime = nil
	b, _ := json.Marshal(spec)
	return shortHash(string(b))
}

// validateWritten validates the Measurements to write together with the
// base set, as `concordctl validate` would: its errors refuse the import,
// and its warnings about the new Measurements are the import's.
func validateWritten(ctx context.Context, base []manifest.Object, res *ImportResult, now time.Time) {
	v, err := validate.Default()
	if err != nil {
		res.Errors = append(res.Errors, err.Error())
		return
	}
	var ims []ImportedMeasurement
	written := map[string]bool{}
	for _, im := range res.Measurements {
		if im.Outcome != OutcomeUnchanged {
			ims = append(ims, im)
			written[im.Measurement.Name] = true
		}
	}
	objs := make([]manifest.Object, len(base)+len(ims))
	copy(objs, base)
	parallel.Each(len(ims), func(i int) {
		im := ims[i]
		objs[len(base)+i] = manifest.Object{Source: im.Sources[0].File, Line: im.Sources[0].Line, Object: measurementObject(im.Measurement), Imported: true}
	})
	r := v.Objects(ctx, validate.Options{CrossObject: true, Now: now}, objs)
	for _, i := range r.Errors {
		res.Errors = append(res.Errors, i.String())
	}
	for _, i := range r.Warnings {
		if i.Kind == "Measurement" && written[i.Name] {
			res.Warnings = append(res.Warnings, i.String())
		}
	}
}

// measurementObject is the Measurement as its manifest holds it: the
// fields measurementYAML writes, and nothing else.
func measurementObject(m *v1alpha1.Measurement) *unstructured.Unstructured {
	y := yamlOf(m)
	spec := map[string]any{
		"indicatorRef": map[string]any{"name": y.Spec.IndicatorRef.Name},
		"period":       y.Spec.Period,
		"reporter":     y.Spec.Reporter,
	}
	numbers(spec, y.Spec.Value, y.Spec.Numerator, y.Spec.Denominator)
	if y.Spec.ReportTime != "" {
		spec["reportTime"] = y.Spec.ReportTime
	}
	if len(y.Spec.Breakdown) > 0 {
		cells := make([]any, len(y.Spec.Breakdown))
		for i, c := range y.Spec.Breakdown {
			cats := make(map[string]any, len(c.Categories))
			for k, v := range c.Categories {
				cats[k] = v
			}
			cell := map[string]any{"categories": cats}
			numbers(cell, c.Value, c.Numerator, c.Denominator)
			cells[i] = cell
		}
		spec["breakdown"] = cells
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": y.APIVersion,
		"kind":       y.Kind,
		"metadata":   map[string]any{"name": y.Metadata.Name, "namespace": y.Metadata.Namespace},
		"spec":       spec,
	}}
}

// numbers sets value, numerator and denominator where given.
func numbers(into map[string]any, value, num, den *string) {
	if value != nil {
		into["value"] = *value
	}
	if num != nil {
		into["numerator"] = *num
	}
	if den != nil {
		into["denominator"] = *den
	}
}

// MeasurementYAML is a Measurement's manifest, fields in the order people
// write them.
func MeasurementYAML(m *v1alpha1.Measurement) ([]byte, error) {
	return measurementYAML(m)
}

// WriteMeasurements writes one file per Measurement (NAME.yaml) into dir,
// all or nothing as far as the file system allows: the files are written
// into a temporary directory first, then renamed. A dir that does not
// exist is created (by renaming the temporary directory); in one that
// does, a file that would be replaced is an error and nothing is written.
func WriteMeasurements(dir string, ms []*v1alpha1.Measurement) error {
	if len(ms) == 0 {
		return nil
	}
	info, err := os.Stat(dir)
	exists := err == nil
	switch {
	case exists && !info.IsDir():
		return fmt.Errorf("-o %s is not a directory", dir)
	case err != nil && !os.IsNotExist(err):
		return fmt.Errorf("-o %s: %w", dir, unwrapPath(err))
	}
	if exists {
		var clash []string
		for _, m := range ms {
			if _, err := os.Lstat(filepath.Join(dir, m.Name+".yaml")); err == nil {
				clash = append(clash, filepath.Join(dir, m.Name+".yaml"))
			}
		}
		if len(clash) > 0 {
			return fmt.Errorf("%s already exist: an import never replaces a file; pass the directory with --indicators so that its Measurements are compared, or write elsewhere (nothing was written)", strings.Join(clash, ", "))
		}
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if exists {
		parent = dir
	} else if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("-o %s: %w", dir, unwrapPath(err))
	}
	tmp, err := os.MkdirTemp(parent, ".concord-import-")
	if err != nil {
		return fmt.Errorf("-o %s: %w", dir, unwrapPath(err))
	}
	defer os.RemoveAll(tmp)
	for _, m := range ms {
		b, err := measurementYAML(m)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, m.Name+".yaml"), b, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w (nothing was written)", m.Name, unwrapPath(err))
		}
	}
	if !exists {
		if err := os.Chmod(tmp, 0o755); err != nil {
			return err
		}
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("-o %s: %w (nothing was written)", dir, unwrapPath(err))
		}
		return nil
	}
	for _, m := range ms {
		if err := os.Rename(filepath.Join(tmp, m.Name+".yaml"), filepath.Join(dir, m.Name+".yaml")); err != nil {
			return fmt.Errorf("moving %s into %s: %w", m.Name+".yaml", dir, unwrapPath(err))
		}
	}
	return nil
}

// WriteMeasurementStream writes the Measurements as one YAML stream
// ("---" between documents), in memory first and then at once.
func WriteMeasurementStream(w io.Writer, ms []*v1alpha1.Measurement) error {
	var b strings.Builder
	for _, m := range ms {
		y, err := measurementYAML(m)
		if err != nil {
			return err
		}
		b.WriteString("---\n")
		b.Write(y)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// PrintSummary prints the import summary, as DHIS2 prints its import
// summaries: the status, the counts, then each Measurement, ignored row,
// warning and error with where it comes from. Text from the files and
// manifests is escaped.
func (r *ImportResult) PrintSummary(w io.Writer, dryRun bool) {
	status := "OK"
	switch {
	case !r.OK():
		status = "ERROR: nothing was written"
	case dryRun:
		status = "OK (dry run: nothing was written)"
	}
	fmt.Fprintf(w, "Import summary: %s\n", status)
	fmt.Fprintf(w, "  files: %d, figures read: %d, rows ignored: %d\n", len(r.Files), r.Figures, len(r.Ignored))
	fmt.Fprintf(w, "  measurements: %d created, %d unchanged, %d conflicts (written as corrections that supersede the existing Measurement)\n",
		r.Count(OutcomeCreated), r.Count(OutcomeUnchanged), r.Count(OutcomeCorrection))
	for _, im := range r.Measurements {
		m := im.Measurement
		line := fmt.Sprintf("  %-10s %s (%s %s of %q, %d cells) from %s", im.Outcome, m.Name, m.Spec.IndicatorRef.Name, m.Spec.Period, m.Spec.Reporter, len(m.Spec.Breakdown), im.Sources[0])
		switch im.Outcome {
		case OutcomeUnchanged:
			line += ": the same as Measurement " + im.Existing
		case OutcomeCorrection:
			line += ": supersedes Measurement " + im.Existing
		}
		fmt.Fprintln(w, textsafe.Escape(line))
	}
	for _, ig := range r.Ignored {
		fmt.Fprintln(w, textsafe.Escape(fmt.Sprintf("  ignored    %s: %s", ig.Location, ig.Reason)))
	}
	for _, s := range r.Warnings {
		fmt.Fprintln(w, textsafe.Escape("  warning    "+s))
	}
	for _, s := range r.Errors {
		fmt.Fprintln(w, textsafe.Escape("  error      "+s))
	}
}

// yamlMeasurement orders a Measurement's fields as people write them.
type yamlMeasurement struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name      string `yaml:"name"`
		Namespace string `yaml:"namespace"`
	} `yaml:"metadata"`
	Spec struct {
		IndicatorRef struct {
			Name string `yaml:"name"`
		} `yaml:"indicatorRef,flow"`
		Period      string     `yaml:"period"`
		Reporter    string     `yaml:"reporter"`
		Value       *string    `yaml:"value,omitempty"`
		Numerator   *string    `yaml:"numerator,omitempty"`
		Denominator *string    `yaml:"denominator,omitempty"`
		ReportTime  string     `yaml:"reportTime,omitempty"`
		Breakdown   []yamlCell `yaml:"breakdown,omitempty"`
	} `yaml:"spec"`
}

type yamlCell struct {
	Categories  map[string]string `yaml:"categories,flow"`
	Value       *string           `yaml:"value,omitempty"`
	Numerator   *string           `yaml:"numerator,omitempty"`
	Denominator *string           `yaml:"denominator,omitempty"`
}

func strPtr(d *v1alpha1.Decimal) *string {
	if d == nil {
		return nil
	}
	s := string(*d)
	return &s
}

// yamlOf is the manifest of a Measurement.
func yamlOf(m *v1alpha1.Measurement) *yamlMeasurement {
	var y yamlMeasurement
	y.APIVersion, y.Kind = v1alpha1.GroupVersion.String(), "Measurement"
	y.Metadata.Name, y.Metadata.Namespace = m.Name, m.Namespace
	y.Spec.IndicatorRef.Name = m.Spec.IndicatorRef.Name
	y.Spec.Period, y.Spec.Reporter = string(m.Spec.Period), m.Spec.Reporter
	y.Spec.Value, y.Spec.Numerator, y.Spec.Denominator = strPtr(m.Spec.Value), strPtr(m.Spec.Numerator), strPtr(m.Spec.Denominator)
	if m.Spec.ReportTime != nil {
		y.Spec.ReportTime = m.Spec.ReportTime.UTC().Format(time.RFC3339)
	}
	for _, c := range m.Spec.Breakdown {
		cell := yamlCell{Categories: map[string]string{}, Value: strPtr(c.Value), Numerator: strPtr(c.Numerator), Denominator: strPtr(c.Denominator)}
		for k, v := range c.Categories {
			cell.Categories[k] = string(v)
		}
		y.Spec.Breakdown = append(y.Spec.Breakdown, cell)
	}
	return &y
}

func measurementYAML(m *v1alpha1.Measurement) ([]byte, error) {
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(yamlOf(m)); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

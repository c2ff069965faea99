// Package validate checks manifests offline against Concord's generated
// CustomResourceDefinitions, with the API server's own validation libraries
// (k8s.io/apiextensions-apiserver): pruning of unknown fields as strict field
// validation reports them, defaulting, OpenAPI schema validation, list-type
// invariants and the CRDs' CEL rules, transition rules included. It adds the
// cross-object checks the API server cannot make (references to objects
// absent from the input, breakdown dimensions unknown to their indicator).
//
// The pipeline for each Concord object follows the API server's, step by
// step: JSON decoding, schema coercion (pruning, unknown field paths,
// ObjectMeta), defaulting, PrepareForCreate/PrepareForUpdate, then the
// custom resource strategy's Validate/ValidateUpdate. A document whose
// kind, namespace and name repeat an earlier accepted one is validated as an
// update of it, so transition rules (oldSelf) apply as they would when the
// documents are applied in order.
package validate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/model"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	metavalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/apiserver/pkg/cel/common"

	"github.com/concord-operator/concord/config"
	"github.com/concord-operator/concord/internal/manifest"
	"github.com/concord-operator/concord/internal/parallel"
)

// Options select the checks.
type Options struct {
	// CrossObject enables the checks the API server cannot make at
	// admission. Between objects of the input: dangling references,
	// breakdown dimensions and categories unknown to their indicator,
	// Measurements their Indicator rejects for their content (as the
	// controllers' evaluator does), missing ConfigMaps of evidence,
	// duplicates. And times the cluster will not count: a reportTime or
	// collectionTime later than Now plus evaluate.ClockSkew (warnings).
	CrossObject bool
	// Now is the instant the content and time checks are made at; zero
	// means the wall-clock time.
	Now time.Time
}

// Issue is one error or warning, with the document it was found in.
type Issue struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Field is the path of the field at fault (spec.target.operator), as
	// the API server names it; empty for a document that could not be read.
	Field string `json:"field"`
	// Message is the error without the field, as the API server words it
	// (field.Error.ErrorBody), or the decoding error of the document.
	Message string `json:"message"`
	// Hint says what to write instead, where the API server's words do
	// not (a number where a quoted string is due: `value: "60"`).
	Hint string `json:"hint,omitempty"`

	doc int // the line the document starts on, for sorting
}

// Text is the field and message as the API server prints a field error
// ("spec.title: Required value"). A message that already quotes the field
// (unknown field "spec.colour") is not prefixed with it again.
func (i Issue) Text() string {
	if i.Field == "" || strings.Contains(i.Message, `"`+i.Field+`"`) {
		return i.Message
	}
	return i.Field + ": " + i.Message
}

// String is "file:line: Kind namespace/name: field: message".
func (i Issue) String() string {
	var b strings.Builder
	if i.File != "" {
		b.WriteString(i.File)
		if i.Line > 0 {
			fmt.Fprintf(&b, ":%d", i.Line)
		}
		b.WriteString(": ")
	}
	if i.Kind != "" {
		b.WriteString(i.Kind)
		switch {
		case i.Namespace != "":
			fmt.Fprintf(&b, " %s/%s", i.Namespace, i.Name)
		case i.Name != "":
			fmt.Fprintf(&b, " %s", i.Name)
		}
		b.WriteString(": ")
	}
	b.WriteString(i.Text())
	if i.Hint != "" {
		b.WriteString(" (" + i.Hint + ")")
	}
	return b.String()
}

// Report is the outcome of validating a set of manifests.
type Report struct {
	Errors   []Issue `json:"errors"`
	Warnings []Issue `json:"warnings"`
	// Skipped are the objects of kinds that are neither Concord's nor a
	// ConfigMap or Namespace: they are not checked.
	Skipped []Issue `json:"skipped"`
	// Objects counts the documents read (every kind, skipped ones
	// included).
	Objects int `json:"objects"`
}

// skippedMessage is the message of every skipped object.
const skippedMessage = "not one of Concord's kinds, a ConfigMap or a Namespace: not checked"

// OK reports whether there are no errors (and, if strict, no warnings).
func (r Report) OK(strict bool) bool {
	return len(r.Errors) == 0 && (!strict || len(r.Warnings) == 0)
}

// Validator holds the structural schemas, schema validators and compiled
// CEL rules of Concord's CRDs, one per served version.
type Validator struct {
	versions map[schema.GroupVersionKind]*crdVersion
	kinds    map[schema.GroupKind][]string // served versions per kind
}

type crdVersion struct {
	gvk             schema.GroupVersionKind
	namespaced      bool
	structural      *structuralschema.Structural
	schemaValidator apiservervalidation.SchemaValidator
	celValidator    *cel.Validator
	hasStatus       bool
}

var (
	defaultOnce      sync.Once
	defaultValidator *Validator
	defaultErr       error
)

// Default returns the Validator of the CRDs embedded in the binary
// (config/crd/bases). It is built once: compiling the CEL rules takes a
// moment.
func Default() (*Validator, error) {
	defaultOnce.Do(func() {
		var crds []*apiextensionsv1.CustomResourceDefinition
		crds, defaultErr = config.LoadCRDs()
		if defaultErr == nil {
			defaultValidator, defaultErr = New(crds)
		}
	})
	return defaultValidator, defaultErr
}

// New prepares a Validator for CRDs, as the API server prepares to serve
// them: the v1 schema of each served version is converted to the internal
// version, made structural, its defaults pruned, and its CEL rules
// compiled.
func New(crds []*apiextensionsv1.CustomResourceDefinition) (*Validator, error) {
	v := &Validator{versions: map[schema.GroupVersionKind]*crdVersion{}, kinds: map[schema.GroupKind][]string{}}
	for _, crd := range crds {
		for _, ver := range crd.Spec.Versions {
			if !ver.Served {
				continue
			}
			cv, err := newCRDVersion(crd, ver)
			if err != nil {
				return nil, fmt.Errorf("CRD %s version %s: %w", crd.Name, ver.Name, err)
			}
			v.versions[cv.gvk] = cv
			gk := cv.gvk.GroupKind()
			v.kinds[gk] = append(v.kinds[gk], ver.Name)
		}
	}
	return v, nil
}

func newCRDVersion(crd *apiextensionsv1.CustomResourceDefinition, ver apiextensionsv1.CustomResourceDefinitionVersion) (*crdVersion, error) {
	if ver.Schema == nil || ver.Schema.OpenAPIV3Schema == nil {
		return nil, errors.New("no schema")
	}
	internal := &apiextensions.CustomResourceValidation{}
	if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(ver.Schema, internal, nil); err != nil {
		return nil, fmt.Errorf("converting the schema to the internal version: %w", err)
	}
	s, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("the schema is not structural: %w", err)
	}
	s = s.DeepCopy()
	if err := structuraldefaulting.PruneDefaults(s); err != nil {
		return nil, fmt.Errorf("pruning defaults: %w", err)
	}
	sv, _, err := apiservervalidation.NewSchemaValidator(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("building the schema validator: %w", err)
	}
	return &crdVersion{
		gvk:             schema.GroupVersionKind{Group: crd.Spec.Group, Version: ver.Name, Kind: crd.Spec.Names.Kind},
		namespaced:      crd.Spec.Scope == apiextensionsv1.NamespaceScoped,
		structural:      s,
		schemaValidator: sv,
		celValidator:    cel.NewValidator(s, true, celconfig.PerCallLimit),
		hasStatus:       ver.Subresources != nil && ver.Subresources.Status != nil,
	}, nil
}

// key identifies an object as the API server does.
type key struct {
	group, kind, namespace, name string
}

// entry is one document of the input, after validation.
type entry struct {
	src manifest.Object
	key key
	// obj is the object as the API server would have stored it (pruned,
	// defaulted, status dropped), or for other kinds the decoded document.
	obj *unstructured.Unstructured
	// accepted: the API server would have stored this document.
	accepted bool
	// concord: one of the CRDs' kinds.
	concord bool
	// skipped: neither Concord's nor a ConfigMap or Namespace; not checked.
	skipped bool
	// errs are the errors of the document, as the API server reports them.
	errs field.ErrorList
	// typed is obj decoded into its Go type, for the cross-object checks
	// (nil: not of a kind they read, or its fields have the wrong types);
	// set when decoded is.
	typed   runtime.Object
	decoded bool
}

// decode sets typed from obj.
func (e *entry) decode() {
	e.decoded = true
	into := typedOf(e)
	if into != nil && runtime.DefaultUnstructuredConverter.FromUnstructured(e.obj.Object, into) == nil {
		e.typed = into
	}
}

// Paths loads the manifests of paths (files or directories) and validates
// them. Files and documents that cannot be read are reported as errors with
// their file and line, and so are paths that hold no manifest.
func (v *Validator) Paths(ctx context.Context, opts Options, paths ...string) Report {
	_, r := v.Load(ctx, opts, paths...)
	return r
}

// Load is Paths for callers that go on to use the documents: it returns
// the documents read, with their report.
func (v *Validator) Load(ctx context.Context, opts Options, paths ...string) ([]manifest.Object, Report) {
	objs, err := manifest.LoadPaths(paths...)
	r := v.Objects(ctx, opts, objs)
	if err != nil {
		r.Errors = append(loadIssues(err), r.Errors...)
		sortIssues(r.Errors)
	}
	return objs, r
}

// loadIssues turns the joined errors of manifest.LoadPaths into issues.
func loadIssues(err error) []Issue {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []Issue
		for _, e := range j.Unwrap() {
			out = append(out, loadIssues(e)...)
		}
		return out
	}
	var me *manifest.Error
	if errors.As(err, &me) {
		return []Issue{{File: me.Source, Line: me.Line, Message: me.Err.Error(), doc: me.Line}}
	}
	return []Issue{{Message: err.Error()}}
}

// Objects validates documents in order: a document repeating the kind,
// namespace and name of an earlier accepted one is validated as an update
// of it. The Object of an Imported document may be set to nil once it is
// validated: an import keeps its own form of what it made, and a large one
// needs the memory.
func (v *Validator) Objects(ctx context.Context, opts Options, objs []manifest.Object) Report {
	r, _ := v.objects(ctx, opts, objs)
	return r
}

func (v *Validator) objects(ctx context.Context, opts Options, objs []manifest.Object) (Report, []*entry) {
	r := Report{Errors: []Issue{}, Warnings: []Issue{}, Skipped: []Issue{}, Objects: len(objs)}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	lines := newLineFinder()
	stored := map[key]*entry{}
	firstSeen := map[key]*entry{}
	var entries []*entry
	alone := v.alone(ctx, objs, opts.CrossObject)
	for i, o := range objs {
		var e *entry
		var errs field.ErrorList
		if a := alone[i]; a != nil {
			e, errs = a.e, a.errs
		} else {
			e, errs = v.one(ctx, o, stored)
		}
		_, update := stored[e.key]
		errs = withoutNotChecked(dedupe(errs))
		e.errs = errs
		entries = append(entries, e)
		if e.skipped {
			r.Skipped = append(r.Skipped, Issue{File: o.Source, Line: o.Line, Kind: e.key.kind,
				Namespace: o.Object.GetNamespace(), Name: e.key.name, Message: skippedMessage, doc: o.Line})
		}
		for _, fe := range errs {
			r.Errors = append(r.Errors, issue(e, fe, lines))
		}
		if opts.CrossObject {
			if prev, dup := firstSeen[e.key]; dup {
				how := "the later document replaces it"
				switch {
				case e.concord && update:
					how = "validated as an update of it"
				case e.concord:
					how = "validated as a new object, the earlier one being refused"
				}
				r.Warnings = append(r.Warnings, issue(e, &field.Error{
					Type: field.ErrorTypeDuplicate, Field: "metadata.name", BadValue: e.key.name,
					Detail: fmt.Sprintf("%s is also defined at %s; %s", describe(e), prev.src.Location(), how),
				}, lines))
			} else {
				firstSeen[e.key] = e
			}
		}
		if e.accepted {
			if e.concord && e.obj != nil {
				// As stored: with a resourceVersion, which an update of
				// it carries (the API server requires one).
				e.obj.SetResourceVersion(fmt.Sprint(len(entries)))
			}
			stored[e.key] = e
		}
	}
	if opts.CrossObject {
		cerrs, cwarns := crossCheck(entries, lines, now)
		r.Errors = append(r.Errors, cerrs...)
		r.Warnings = append(r.Warnings, cwarns...)
	}
	sortIssues(r.Errors)
	sortIssues(r.Warnings)
	return r, entries
}

// validated is the outcome of one document's validation.
type validated struct {
	e    *entry
	errs field.ErrorList
}

// alone validates, on every core, the documents no other document may be
// an update of or updated by: those whose group, kind and name no other
// document repeats (whatever their namespaces). Validating one of them
// reads no other document, so the outcome is the one validating the input
// in order gives. The others are left nil, for objects to validate in
// order. With typed, the objects are decoded for the cross-object checks,
// and only that form is kept: no later document is an update of them.
func (v *Validator) alone(ctx context.Context, objs []manifest.Object, typed bool) []*validated {
	type gkn struct{ group, kind, name string }
	count := make(map[gkn]int, len(objs))
	for _, o := range objs {
		gvk := o.GVK()
		count[gkn{gvk.Group, gvk.Kind, o.Object.GetName()}]++
	}
	var single []int
	for i, o := range objs {
		gvk := o.GVK()
		if count[gkn{gvk.Group, gvk.Kind, o.Object.GetName()}] == 1 {
			single = append(single, i)
		}
	}
	out := make([]*validated, len(objs))
	parallel.Each(len(single), func(j int) {
		i := single[j]
		e, errs := v.one(ctx, objs[i], nil)
		if typed {
			e.decode()
			e.obj = nil
		}
		if objs[i].Imported {
			// Made by an import, which keeps its own form of it: what
			// is left to report needs neither document.
			objs[i].Object, e.src.Object = nil, nil
		}
		out[i] = &validated{e: e, errs: errs}
	})
	return out
}

// dedupe drops repeated errors, as field.ErrorList.ToAggregate does for the
// API server's message.
func dedupe(errs field.ErrorList) field.ErrorList {
	seen := map[string]bool{}
	var out field.ErrorList
	for _, fe := range errs {
		if t := errorText(fe); !seen[t] {
			seen[t] = true
			out = append(out, fe)
		}
	}
	return out
}

// notCheckedDetail is the API server's note that it skipped the CEL rules
// of an object whose fields have the wrong type.
const notCheckedDetail = "some validation rules were not checked because the object was invalid"

// withoutNotChecked drops that note (a field-less "Invalid value: null"
// line) when the errors that caused it are listed: they say what to fix,
// and the note names no field. The API server's message carries it still.
func withoutNotChecked(errs field.ErrorList) field.ErrorList {
	var out field.ErrorList
	for _, fe := range errs {
		if len(errs) > 1 && fe.Field == nilPath && strings.HasPrefix(fe.Detail, notCheckedDetail) {
			continue
		}
		out = append(out, fe)
	}
	return out
}

// sortIssues orders issues by file and document, keeping the order within
// a document (the API server's, then the cross-object checks').
func sortIssues(issues []Issue) {
	sort.SliceStable(issues, func(i, j int) bool {
		if issues[i].File != issues[j].File {
			return issues[i].File < issues[j].File
		}
		return issues[i].doc < issues[j].doc
	})
}

func describe(e *entry) string {
	if e.key.namespace != "" {
		return fmt.Sprintf("%s %s/%s", e.key.kind, e.key.namespace, e.key.name)
	}
	return fmt.Sprintf("%s %s", e.key.kind, e.key.name)
}

// issue is a field error of a document, located at the field's line when
// lines is given, else at the document's.
func issue(e *entry, fe *field.Error, lines *lineFinder) Issue {
	line := e.src.Line
	if lines != nil {
		line = lines.line(e.src, fe.Field)
	}
	i := Issue{
		File: e.src.Source, Line: line,
		Kind: e.key.kind, Namespace: e.key.namespace, Name: e.key.name,
		Field: fe.Field, Message: errorBody(fe),
		doc: e.src.Line,
	}
	if i.Field == nilPath {
		i.Field = "" // an error about the whole object
	}
	i.Hint = quoteHint(e, fe)
	return i
}

// quoteHint says how to write a number, or true or false, that YAML read
// as such where the schema wants a string (a period or a value): quoted,
// as `value: "60"`. The API server says only that it must be a string.
func quoteHint(e *entry, fe *field.Error) string {
	if (fe.Type != field.ErrorTypeInvalid && fe.Type != field.ErrorTypeTypeInvalid) || !strings.Contains(fe.Detail, "must be of type string") || e.src.Object == nil {
		return ""
	}
	path := strings.Split(fe.Field, ".")
	for _, p := range path {
		if strings.ContainsAny(p, "[]") {
			return "" // a list item: no single key to show
		}
	}
	v, found, err := unstructured.NestedFieldNoCopy(e.src.Object.Object, path...)
	if err != nil || !found {
		return ""
	}
	switch v.(type) {
	case int64, float64, bool, int:
	default:
		return ""
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	what := map[any]string{"integer": "an integer", "number": "a number", "boolean": "a boolean"}[fe.BadValue]
	if what == "" {
		what = "a non-string"
	}
	return fmt.Sprintf("YAML reads an unquoted %s as %s: write it in quotes, %s: %q", raw, what, path[len(path)-1], string(raw))
}

// nilPath is how a field.Error of no path names its field.
var nilPath = (*field.Path)(nil).String()

// errorBody is the error without its field, as the API server words it.
func errorBody(fe *field.Error) string {
	switch fe.BadValue.(type) {
	case unknownField, verbatim:
		return fe.Detail
	}
	return fe.ErrorBody()
}

// errorText is the error with its field, as the API server words it
// (field.Error.Error, or a strict decoding error).
func errorText(fe *field.Error) string {
	switch fe.BadValue.(type) {
	case unknownField:
		return fe.Detail
	case verbatim:
		return fe.Field + ": " + fe.Detail
	}
	return fe.Error()
}

// verbatim marks an error whose Detail is its whole message, with no
// "Invalid value: ..." before it (errorBody, errorText).
type verbatim struct{}

// maxRequestBytes is the largest request body the API server reads
// (k8s.io/apiserver's default MaxRequestBodyBytes); a larger object is
// refused before it is decoded.
const maxRequestBytes = 3 * 1024 * 1024

// tooLarge is the API server's refusal of an object too large to send,
// or nil.
func tooLarge(body []byte) field.ErrorList {
	if len(body) <= maxRequestBytes {
		return nil
	}
	return field.ErrorList{{Type: field.ErrorTypeInvalid, BadValue: verbatim{},
		Detail: fmt.Sprintf("Request entity too large: limit is %d (the object is %d bytes as JSON)", maxRequestBytes, len(body))}}
}

// one validates a document. Concord's kinds go through the API server's
// pipeline; ConfigMaps and Namespaces get their name checked; other kinds
// are only recorded, and marked skipped. A document too large for the API
// server to read is refused as it would refuse it, unchecked.
func (v *Validator) one(ctx context.Context, o manifest.Object, stored map[key]*entry) (*entry, field.ErrorList) {
	gvk := o.GVK()
	e := &entry{src: o, obj: o.Object, key: key{group: gvk.Group, kind: gvk.Kind, namespace: o.Object.GetNamespace(), name: o.Object.GetName()}}
	namespace := gvk.Group == "" && gvk.Kind == "Namespace"
	switch {
	case namespace:
		e.key.namespace = ""
	case e.key.namespace == "":
		e.key.namespace = "default"
	}
	// The request body, as kubectl sends the document.
	body, err := json.Marshal(o.Object.Object)
	if err != nil {
		return e, field.ErrorList{field.InternalError(nil, err)}
	}
	if errs := tooLarge(body); errs != nil {
		return e, errs
	}
	if namespace {
		errs := metavalidation.ValidateObjectMeta(objectMetaOf(o.Object), false, metavalidation.ValidateNamespaceName, field.NewPath("metadata"))
		e.accepted = len(errs) == 0
		return e, errs
	}
	if gvk.Group == "" && gvk.Kind == "ConfigMap" {
		m := objectMetaOf(o.Object)
		m.Namespace = e.key.namespace
		errs := metavalidation.ValidateObjectMeta(m, true, metavalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
		e.accepted = len(errs) == 0
		return e, errs
	}
	versions, ours := v.kinds[gvk.GroupKind()]
	if !ours {
		if _, groupOurs := v.groupKinds()[gvk.Group]; groupOurs {
			e.concord = true
			return e, field.ErrorList{field.NotSupported(field.NewPath("kind"), gvk.Kind, v.groupKinds()[gvk.Group])}
		}
		e.accepted, e.skipped = true, true
		return e, nil
	}
	e.concord = true
	cv := v.versions[gvk]
	if cv == nil {
		return e, field.ErrorList{field.NotSupported(field.NewPath("apiVersion"), gvk.GroupVersion().String(), qualify(gvk.Group, versions))}
	}
	obj, errs := decode(body, cv)
	if obj == nil {
		return e, errs
	}
	if cv.namespaced {
		obj.SetNamespace(e.key.namespace)
	} else {
		e.key.namespace = ""
	}
	e.obj = obj
	if len(errs) > 0 {
		// Strict field validation refuses the document before validating
		// it; the rest of it is validated all the same, so that one run
		// shows every error.
		errs = append(errs, v.validateNew(ctx, cv, obj, stored[e.key])...)
		return e, errs
	}
	errs = v.validateNew(ctx, cv, obj, stored[e.key])
	e.accepted = len(errs) == 0
	return e, errs
}

func (v *Validator) groupKinds() map[string][]string {
	out := map[string][]string{}
	for gk := range v.kinds {
		out[gk.Group] = append(out[gk.Group], gk.Kind)
	}
	for g := range out {
		sort.Strings(out[g])
	}
	return out
}

func qualify(group string, versions []string) []string {
	var out []string
	for _, ver := range versions {
		out = append(out, group+"/"+ver)
	}
	return out
}

// decode does what the API server's decoder does with a request body: JSON
// decoding (integers become int64, as in a request), then
// unstructuredSchemaCoercer.apply with strict field validation (pruning
// with unknown field paths, ObjectMeta coercion), then defaulting. Unknown
// fields are returned as errors worded as the API server's strict decoding
// errors.
func decode(body []byte, cv *crdVersion) (*unstructured.Unstructured, field.ErrorList) {
	ro, _, err := unstructured.UnstructuredJSONScheme.Decode(body, nil, nil)
	if err != nil {
		return nil, field.ErrorList{field.InternalError(nil, err)}
	}
	obj, ok := ro.(*unstructured.Unstructured)
	if !ok {
		return nil, field.ErrorList{field.Invalid(nil, nil, fmt.Sprintf("decoded as %T, not an object", ro))}
	}

	var unknown []string
	kind, apiVersion := obj.GetKind(), obj.GetAPIVersion()
	objectMeta, foundMeta, metaUnknown, err := schemaobjectmeta.GetObjectMetaWithOptions(obj.Object, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		return nil, field.ErrorList{field.Invalid(field.NewPath("metadata"), nil, err.Error())}
	}
	unknown = append(unknown, metaUnknown...)
	unknown = append(unknown, structuralpruning.PruneWithOptions(obj.Object, cv.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})...)
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj.Object, cv.structural)
	ferr, paths := schemaobjectmeta.CoerceWithOptions(nil, obj.Object, cv.structural, false, schemaobjectmeta.CoerceOptions{ReturnUnknownFieldPaths: true})
	if ferr != nil {
		return nil, field.ErrorList{ferr}
	}
	unknown = append(unknown, paths...)
	obj.SetKind(kind)
	obj.SetAPIVersion(apiVersion)
	if foundMeta {
		if err := schemaobjectmeta.SetObjectMeta(obj.Object, objectMeta); err != nil {
			return nil, field.ErrorList{field.Invalid(field.NewPath("metadata"), nil, err.Error())}
		}
	}
	structuraldefaulting.Default(obj.Object, cv.structural)

	var errs field.ErrorList
	for _, p := range unknown {
		errs = append(errs, &field.Error{Type: field.ErrorTypeInvalid, Field: p, BadValue: unknownField{}, Detail: fmt.Sprintf("unknown field %q", p)})
	}
	return obj, errs
}

// unknownField marks a strict decoding error, which the API server words
// as its Detail alone (errorBody, errorText).
type unknownField struct{}

// validateNew is the custom resource strategy: PrepareForCreate and
// Validate, or PrepareForUpdate and ValidateUpdate when old (an earlier
// accepted document for the same object) is given.
func (v *Validator) validateNew(ctx context.Context, cv *crdVersion, obj *unstructured.Unstructured, old *entry) field.ErrorList {
	if old == nil {
		if cv.hasStatus {
			delete(obj.Object, "status")
		}
		obj.SetGeneration(1)
		return cv.validate(ctx, obj)
	}
	if cv.hasStatus {
		if st, ok := old.obj.Object["status"]; ok {
			obj.Object["status"] = runtime.DeepCopyJSONValue(st)
		} else {
			delete(obj.Object, "status")
		}
	}
	obj.SetGeneration(old.obj.GetGeneration() + 1)
	if obj.GetResourceVersion() == "" {
		obj.SetResourceVersion(old.obj.GetResourceVersion())
	}
	return cv.validateUpdate(ctx, obj, old.obj)
}

// validate is customResourceStrategy.Validate.
func (cv *crdVersion) validate(ctx context.Context, u *unstructured.Unstructured) field.ErrorList {
	var errs field.ErrorList
	if tm := cv.validateTypeMeta(u); len(tm) > 0 {
		errs = append(errs, tm...)
	} else {
		errs = append(errs, cv.validateObjectMeta(u, nil)...)
		errs = append(errs, sorted(apiservervalidation.ValidateCustomResource(nil, u.UnstructuredContent(), cv.schemaValidator))...)
	}
	errs = append(errs, schemaobjectmeta.Validate(ctx, nil, u.Object, cv.structural, false)...)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, cv.structural, u.Object)...)
	if cv.celValidator == nil {
		// No CEL rules in the schema: nothing more to check, and no
		// "rules were not checked" error either.
	} else if blocking, err := hasBlockingErr(errs); blocking {
		errs = append(errs, err)
	} else {
		cerrs, _ := cv.celValidator.Validate(ctx, nil, cv.structural, u.Object, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, cerrs...)
	}
	return errs
}

// validateUpdate is customResourceStrategy.ValidateUpdate, with validation
// ratcheting (CRDValidationRatcheting is GA and locked on).
func (cv *crdVersion) validateUpdate(ctx context.Context, u, old *unstructured.Unstructured) field.ErrorList {
	correlated := common.NewCorrelatedObject(u.Object, old.Object, &model.Structural{Structural: cv.structural})
	var errs field.ErrorList
	if tm := cv.validateTypeMeta(u); len(tm) > 0 {
		errs = append(errs, tm...)
	} else {
		errs = append(errs, cv.validateObjectMeta(u, old)...)
		errs = append(errs, sorted(apiservervalidation.ValidateCustomResourceUpdate(nil, u.UnstructuredContent(), old.UnstructuredContent(), cv.schemaValidator, apiservervalidation.WithRatcheting(correlated)))...)
	}
	errs = append(errs, schemaobjectmeta.Validate(ctx, nil, u.Object, cv.structural, false)...)
	if oldErrs := structurallisttype.ValidateListSetsAndMaps(nil, cv.structural, old.Object); len(oldErrs) == 0 {
		errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, cv.structural, u.Object)...)
	}
	if cv.celValidator == nil {
		// No CEL rules in the schema: nothing more to check, and no
		// "rules were not checked" error either.
	} else if blocking, err := hasBlockingErr(errs); blocking {
		errs = append(errs, err)
	} else {
		cerrs, _ := cv.celValidator.Validate(ctx, nil, cv.structural, u.Object, old.Object, celconfig.RuntimeCELCostBudget, cel.WithRatcheting(correlated))
		errs = append(errs, cerrs...)
	}
	return errs
}

func (cv *crdVersion) validateTypeMeta(u *unstructured.Unstructured) field.ErrorList {
	var errs field.ErrorList
	if u.GetKind() != cv.gvk.Kind {
		errs = append(errs, field.Invalid(field.NewPath("kind"), u.GetKind(), fmt.Sprintf("must be %v", cv.gvk.Kind)))
	}
	if want := cv.gvk.GroupVersion().String(); u.GetAPIVersion() != want {
		errs = append(errs, field.Invalid(field.NewPath("apiVersion"), u.GetAPIVersion(), fmt.Sprintf("must be %v", want)))
	}
	return errs
}

// validateObjectMeta checks the name (a DNS-1123 subdomain), namespace,
// labels, annotations and the rest of metadata, as on create, or the
// metadata update when old is given.
func (cv *crdVersion) validateObjectMeta(u, old *unstructured.Unstructured) field.ErrorList {
	m, errs := objectMeta(u)
	if len(errs) > 0 {
		return errs
	}
	if old == nil {
		return metavalidation.ValidateObjectMeta(m, cv.namespaced, metavalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
	}
	om, errs := objectMeta(old)
	if len(errs) > 0 {
		return errs
	}
	return metavalidation.ValidateObjectMetaUpdate(m, om, field.NewPath("metadata"))
}

func objectMeta(u *unstructured.Unstructured) (*metav1.ObjectMeta, field.ErrorList) {
	raw := u.Object["metadata"]
	if raw == nil {
		return &metav1.ObjectMeta{}, nil
	}
	mm, ok := raw.(map[string]any)
	if !ok {
		return nil, field.ErrorList{field.Invalid(field.NewPath("metadata"), raw, fmt.Sprintf("expected map[string]interface{}, got %T", raw))}
	}
	m := &metav1.ObjectMeta{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(mm, m); err != nil {
		return nil, field.ErrorList{field.Invalid(field.NewPath("metadata"), raw, err.Error())}
	}
	return m, nil
}

func objectMetaOf(u *unstructured.Unstructured) *metav1.ObjectMeta {
	m, errs := objectMeta(u)
	if len(errs) > 0 {
		return &metav1.ObjectMeta{Name: u.GetName(), Namespace: u.GetNamespace()}
	}
	return m
}

// sorted orders the errors of OpenAPI schema validation by field, then
// message. The validator walks object properties in Go map order, so the
// API server lists them in no fixed order; sorting them gives one of the
// orders it may give, every time.
func sorted(errs field.ErrorList) field.ErrorList {
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Field != errs[j].Field {
			return errs[i].Field < errs[j].Field
		}
		return errs[i].Error() < errs[j].Error()
	})
	return errs
}

// hasBlockingErr is the API server's: OpenAPI type, maxLength, maxItems,
// maxProperties, required and enum violations stop CEL validation, which
// could otherwise exceed its cost budget on an object of unbounded size.
func hasBlockingErr(errs field.ErrorList) (bool, *field.Error) {
	for _, err := range errs {
		if err.Type == field.ErrorTypeNotSupported || err.Type == field.ErrorTypeRequired || err.Type == field.ErrorTypeTooLong || err.Type == field.ErrorTypeTooMany || err.Type == field.ErrorTypeTypeInvalid {
			return true, field.Invalid(nil, nil, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")
		}
	}
	return false, nil
}

package integration

import (
	"context"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/devenv"
	"github.com/concord-operator/concord/internal/manifest"
)

// The error a Measurement meets in a namespace without a ReporterBinding
// (docs/security.md quotes it).
const noBindingRefusal = "ValidatingAdmissionPolicy 'concord-reporter-binding' with binding 'concord-reporter-binding' denied request: " +
	"failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction"

// TestReporterBinding applies the roles for people, the approval policy and
// the reporter-binding policy of config/rbac, and shows, as impersonated
// users against the real API server, that a Measurement is admitted only
// under a reporter name its namespace's ReporterBinding binds to the user
// (by username or group), or from a user who may report-as-any; that a
// namespace without a ReporterBinding takes no Measurements; that updates
// other than approval are held to the same rule; and that only editors
// write ReporterBindings.
func TestReporterBinding(t *testing.T) {
	const ns, bare = "concord-reporters", "concord-reporters-unbound"
	createNamespace(t, ns, nil)
	createNamespace(t, bare, nil)
	// Cleanups run last registered first: this one runs after
	// applyConfigRBAC's has deleted the policy, and waits until the API
	// server stops enforcing it, so that later tests may create
	// Measurements in namespaces without a ReporterBinding.
	t.Cleanup(func() { waitReporterPolicyGone(t, bare) })
	applyConfigRBAC(t, "people_roles.yaml", "approval_policy.yaml", "reporter_binding_policy.yaml")

	const gitops = "system:serviceaccount:concord-gitops:applier"
	for _, n := range []string{ns, bare} {
		bind(t, n, "alice-reporter", "alice", "concord-reporter")
		bind(t, n, "bob-reporter", "bob", "concord-reporter")
		bind(t, n, "gitops-reporter", gitops, "concord-reporter")
		bind(t, n, "gitops-report-as-any", gitops, "concord-gitops-reporter")
	}
	bind(t, ns, "carol-approver", "carol", "concord-approver")
	bind(t, ns, "erin-editor", "erin", "concord-editor")
	alice := as(t, "alice")
	bob := as(t, "bob", "ngo-b-reporters") // bound to "NGO B" through this group only
	carol := as(t, "carol")
	erin := as(t, "erin")
	applier := as(t, gitops, "system:serviceaccounts", "system:serviceaccounts:concord-gitops")

	// The policy is enforced once even an administrator's (dry-run)
	// Measurement is refused in a namespace without a ReporterBinding.
	eventually(t, "the reporter-binding policy to be enforced", func() (bool, string) {
		err := k8s.Create(context.Background(), measurementBy(bare, "probe", "NGO A", nil), client.DryRunAll)
		return err != nil && strings.Contains(err.Error(), noBindingRefusal), errString(err)
	})

	t.Run("an editor declares the namespace's ReporterBinding", func(t *testing.T) {
		rb := &v1alpha1.ReporterBinding{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: v1alpha1.ReporterBindingName},
			Spec: v1alpha1.ReporterBindingSpec{Reporters: []v1alpha1.ReporterEntry{
				{Name: "NGO A", Users: []string{"alice"}},
				{Name: "NGO B", Groups: []string{"ngo-b-reporters"}},
			}},
		}
		eventually(t, "erin, an editor, to create the ReporterBinding", func() (bool, string) {
			err := erin.Create(context.Background(), rb.DeepCopy())
			return err == nil || apierrors.IsAlreadyExists(err), errString(err)
		})
	})

	t.Run("bound users report: by username and through a group", func(t *testing.T) {
		// The policy sees a new ReporterBinding a moment after it is created.
		eventually(t, "alice, bound by username, to report as NGO A", func() (bool, string) {
			err := alice.Create(context.Background(), measurementBy(ns, "ngo-a-q1", "NGO A", nil))
			return err == nil || apierrors.IsAlreadyExists(err), errString(err)
		})
		if err := bob.Create(ctx(t), measurementBy(ns, "ngo-b-q1", "NGO B", nil)); err != nil {
			t.Errorf("bob, bound through group ngo-b-reporters, could not report as NGO B: %v", err)
		}
	})

	t.Run("the attack: a reporter files under another organisation's name", func(t *testing.T) {
		// alice may create Measurements (concord-reporter) but is not bound
		// to "NGO B": a figure dated 9999-12-31 would otherwise supersede
		// every report NGO B ever makes for the period.
		m := measurementBy(ns, "ngo-b-q1-forged", "NGO B", &metav1.Time{Time: mustTime("9999-12-31T00:00:00Z")})
		err := alice.Create(ctx(t), m)
		t.Logf("alice reporting as NGO B: %v", err)
		want := `reporter "NGO B" is not bound to user alice in namespace ` + ns + `: the ReporterBinding "reporters" of the namespace must list alice or one of their groups under "NGO B" (ask a namespace editor)`
		expectForbidden(t, "alice reporting as NGO B", err, want)
		// Nor the other way round, through a group.
		err = bob.Create(ctx(t), measurementBy(ns, "ngo-a-q1-forged", "NGO A", nil))
		expectForbidden(t, "bob reporting as NGO A", err, `reporter "NGO A" is not bound to user bob in namespace `+ns)
		// Nor under a name nobody holds.
		err = alice.Create(ctx(t), measurementBy(ns, "ngo-z-q1", "NGO Z", nil))
		expectForbidden(t, "alice reporting as NGO Z", err, `reporter "NGO Z" is not bound to user alice`)
	})

	t.Run("a namespace without a ReporterBinding takes no Measurements", func(t *testing.T) {
		for who, c := range map[string]client.Client{"alice, a reporter": alice, "the GitOps applier (report-as-any)": applier, "a cluster administrator": k8s} {
			err := c.Create(ctx(t), measurementBy(bare, "q1", "NGO A", nil))
			t.Logf("%s reporting into %s: %v", who, bare, err)
			if err == nil || !strings.Contains(err.Error(), noBindingRefusal) {
				t.Errorf("%s reported into a namespace without a ReporterBinding: want an error containing %q, got %v", who, noBindingRefusal, err)
			}
		}
	})

	t.Run("updates other than approval need the binding too", func(t *testing.T) {
		addEvidence := func(m *v1alpha1.Measurement) {
			m.Spec.Evidence = append(m.Spec.Evidence, v1alpha1.InlineEvidence{Method: v1alpha1.MethodRecordsReview, Description: "Case records Q1"})
		}
		err := updateMeasurement(alice, ns, "ngo-b-q1", addEvidence)
		expectForbidden(t, "alice adding evidence to NGO B's Measurement", err, `reporter "NGO B" is not bound to user alice`)
		err = updateMeasurement(alice, ns, "ngo-b-q1", func(m *v1alpha1.Measurement) {
			m.Spec.EvidenceRefs = []v1alpha1.LocalObjectReference{{Name: "forged-records"}}
		})
		expectForbidden(t, "alice adding evidenceRefs to NGO B's Measurement", err, `reporter "NGO B" is not bound to user alice`)
		if err := updateMeasurement(bob, ns, "ngo-b-q1", addEvidence); err != nil {
			t.Errorf("bob could not add evidence to NGO B's own Measurement: %v", err)
		}
		// carol, an approver bound to no reporter name, approves: an update
		// of spec.approval alone is the approval policy's business.
		approval := &v1alpha1.Approval{ApprovedBy: "National Secretariat", ApprovalTime: &metav1.Time{Time: mustTime("2026-04-20T00:00:00Z")}}
		eventually(t, "carol, an approver, to approve NGO B's Measurement", func() (bool, string) {
			err := updateMeasurement(carol, ns, "ngo-b-q1", func(m *v1alpha1.Measurement) { m.Spec.Approval = approval })
			return err == nil, errString(err)
		})
		// Approving is not a licence to change the figure's evidence.
		err = updateMeasurement(carol, ns, "ngo-b-q1", addEvidence)
		expectForbidden(t, "carol adding evidence to NGO B's Measurement", err, `reporter "NGO B" is not bound to user carol`)
	})

	t.Run("report-as-any reports under any name", func(t *testing.T) {
		for _, reporter := range []string{"NGO B", "Court of Appeal registry"} {
			name := "gitops-" + strings.ToLower(strings.ReplaceAll(reporter, " ", "-"))
			if err := applier.Create(ctx(t), measurementBy(ns, name, reporter, nil)); err != nil {
				t.Errorf("the GitOps applier (concord-gitops-reporter) could not report as %s: %v", reporter, err)
			}
		}
		if err := updateMeasurement(applier, ns, "ngo-a-q1", func(m *v1alpha1.Measurement) {
			m.Spec.EvidenceRefs = []v1alpha1.LocalObjectReference{{Name: "shelter-records-2026-q1"}}
		}); err != nil {
			t.Errorf("the GitOps applier could not update NGO A's Measurement: %v", err)
		}
	})

	t.Run("only editors write ReporterBindings; reporters read them", func(t *testing.T) {
		key := client.ObjectKey{Namespace: ns, Name: v1alpha1.ReporterBindingName}
		rb := &v1alpha1.ReporterBinding{}
		if err := alice.Get(ctx(t), key, rb); err != nil {
			t.Fatalf("alice, a reporter, could not read the ReporterBinding: %v", err)
		}
		rb.Spec.Reporters[1].Users = append(rb.Spec.Reporters[1].Users, "alice")
		if err := alice.Update(ctx(t), rb); !apierrors.IsForbidden(err) {
			t.Errorf("alice, a reporter, bound herself to NGO B: want Forbidden, got %v", err)
		}
		own := &v1alpha1.ReporterBinding{
			ObjectMeta: metav1.ObjectMeta{Namespace: bare, Name: v1alpha1.ReporterBindingName},
			Spec:       v1alpha1.ReporterBindingSpec{Reporters: []v1alpha1.ReporterEntry{{Name: "NGO B", Users: []string{"alice"}}}},
		}
		if err := alice.Create(ctx(t), own); !apierrors.IsForbidden(err) {
			t.Errorf("alice, a reporter, created a ReporterBinding: want Forbidden, got %v", err)
		}
		// erin, an editor, binds alice to NGO B as well; alice may then
		// report as NGO B once the policy sees the change.
		rb = &v1alpha1.ReporterBinding{}
		if err := erin.Get(ctx(t), key, rb); err != nil {
			t.Fatal(err)
		}
		rb.Spec.Reporters[1].Users = append(rb.Spec.Reporters[1].Users, "alice")
		if err := erin.Update(ctx(t), rb); err != nil {
			t.Fatalf("erin, an editor, could not update the ReporterBinding: %v", err)
		}
		eventually(t, "alice, now bound to NGO B, to report as NGO B", func() (bool, string) {
			err := alice.Create(context.Background(), measurementBy(ns, "ngo-b-q1-by-alice", "NGO B", nil))
			return err == nil || apierrors.IsAlreadyExists(err), errString(err)
		})
	})

	t.Run("concordctl dev applies ReporterBindings first and names a missing one", func(t *testing.T) {
		objs, err := manifest.Parse("inline", []byte(`
apiVersion: v1
kind: Namespace
metadata: {name: concord-reporters-dev}
---
apiVersion: monitoring.concord.dev/v1alpha1
kind: Measurement
metadata: {name: q1, namespace: concord-reporters-dev}
spec: {indicatorRef: {name: victims-referred}, period: 2026-Q1, value: "52", reporter: NGO A}
---
apiVersion: monitoring.concord.dev/v1alpha1
kind: ReporterBinding
metadata: {name: reporters, namespace: concord-reporters-dev}
spec:
  reporters: [{name: NGO A, groups: [ngo-a-reporters]}]
`))
		if err != nil {
			t.Fatal(err)
		}
		// As an administrator (report-as-any), in one go: the ReporterBinding
		// is applied first, and the Measurement retried while the policy has
		// not seen it.
		if err := devenv.Apply(ctx(t), k8s, objs); err != nil {
			t.Errorf("applying a namespace, its ReporterBinding and a Measurement: %v", err)
		}
		lag := devenv.AdmissionLag
		devenv.AdmissionLag = time.Second
		defer func() { devenv.AdmissionLag = lag }()
		err = devenv.Apply(ctx(t), k8s, []manifest.Object{{Source: "inline", Line: 1, Object: toUnstructured(t, measurementBy(bare, "q1", "NGO A", nil))}})
		t.Logf("applying a Measurement into %s: %v", bare, err)
		if want := "namespace " + bare + " has no ReporterBinding named reporters"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("applying a Measurement into a namespace without a ReporterBinding: want an error containing %q, got %v", want, err)
		}
	})

	t.Run("the CRD refuses another name and an entry that binds nobody", func(t *testing.T) {
		other := &v1alpha1.ReporterBinding{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "ngo-reporters"},
			Spec:       v1alpha1.ReporterBindingSpec{Reporters: []v1alpha1.ReporterEntry{{Name: "NGO A", Users: []string{"alice"}}}},
		}
		err := erin.Create(ctx(t), other)
		expectInvalid(t, "a ReporterBinding named ngo-reporters", err, "a namespace has one ReporterBinding, named reporters")
		nobody := &v1alpha1.ReporterBinding{
			ObjectMeta: metav1.ObjectMeta{Namespace: bare, Name: v1alpha1.ReporterBindingName},
			Spec:       v1alpha1.ReporterBindingSpec{Reporters: []v1alpha1.ReporterEntry{{Name: "NGO A"}}},
		}
		err = k8s.Create(ctx(t), nobody)
		expectInvalid(t, "an entry without users or groups", err, "spec.reporters[0]: Invalid value: each reporter lists at least one user or group that may report under its name")
	})
}

func toUnstructured(t *testing.T, obj client.Object) *unstructured.Unstructured {
	t.Helper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{Object: m}
	u.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind("Measurement"))
	return u
}

// measurementBy is a Measurement of reporter, reported at reportTime (if
// given).
func measurementBy(ns, name, reporter string, reportTime *metav1.Time) *v1alpha1.Measurement {
	m := newMeasurement(ns, name, "victims-referred", "2026-Q1", "52")
	m.Spec.Reporter = reporter
	m.Spec.ReportTime = reportTime
	return m
}

func expectForbidden(t *testing.T, what string, err error, want string) {
	t.Helper()
	if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: want Forbidden containing %q, got %v", what, want, err)
	}
}

func expectInvalid(t *testing.T, what string, err error, want string) {
	t.Helper()
	t.Logf("%s: %v", what, err)
	if !apierrors.IsInvalid(err) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: want Invalid containing %q, got %v", what, want, err)
	}
}

// waitReporterPolicyGone waits until the API server admits an
// administrator's (dry-run) Measurement into ns, which has no
// ReporterBinding: the deleted reporter-binding policy is no longer
// enforced.
func waitReporterPolicyGone(t *testing.T, ns string) {
	t.Helper()
	eventually(t, "the reporter-binding policy to be gone", func() (bool, string) {
		err := k8s.Create(context.Background(), measurementBy(ns, "probe", "NGO A", nil), client.DryRunAll)
		return err == nil, errString(err)
	})
}

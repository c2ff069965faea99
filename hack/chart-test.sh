#!/usr/bin/env bash
# Tests the Helm chart and the kustomizations without a cluster (`make test-chart`):
#   - helm lint --strict, with default values and with everything enabled;
#   - helm template with default values and with everything enabled, checking the restricted
#     securityContext, that every flag of cmd/concord has a value, the CA bundle mount, the
#     CRDs' keep policy, the people roles, the approval policy and the reporter-binding policy, the
#     ServiceMonitor's honorLabels, and the twelve alerts with their runbook_url (and that each
#     runbook exists), their job selector and installation labels (config/alert_rules_test.go runs
#     the alerts' unit tests over the rendered rules);
#   - values that must be refused are refused;
#   - the chart's copies of config/ (CRDs, manager ClusterRole, people roles, admission policies)
#     are not stale (hack/sync-chart-crds.sh --check);
#   - kubectl kustomize config/default, config/rbac and config/prometheus build.
# test/integration/chart_test.go applies the rendered chart to a real API server.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
HELM="${HELM:-$root/bin/helm}"
KUBECTL="${KUBECTL:-$root/bin/kubectl}"
chart=charts/concord
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
# expect FILE REGEX WHAT: FILE has a line matching the extended REGEX.
expect() { if grep -qE -- "$2" "$1"; then ok "$3"; else fail "$3 (no line matching /$2/ in $(basename "$1"))"; fi; }
# refute FILE REGEX WHAT: FILE has no line matching REGEX.
refute() { if grep -qE -- "$2" "$1"; then fail "$3 (a line matches /$2/ in $(basename "$1"))"; else ok "$3"; fi; }
# count FILE REGEX N WHAT: exactly N lines of FILE match REGEX.
count() {
	local n
	n="$(grep -cE -- "$2" "$1" || true)"
	if [[ "$n" == "$3" ]]; then ok "$4"; else fail "$4 (found $n lines matching /$2/, want $3)"; fi
}
# doc FILE KIND NAME: the rendered document of KIND named NAME.
doc() {
	awk -v kind="$2" -v name="$3" '
		/^---/ { if (k && n) printf "%s", buf; buf = ""; k = 0; n = 0; next }
		{ buf = buf $0 "\n" }
		$0 == "kind: " kind { k = 1 }
		$0 == "  name: " name { n = 1 }
		END { if (k && n) printf "%s", buf }' "$1"
}

all_enabled=(
	--set serviceMonitor.enabled=true
	--set prometheusRule.enabled=true
	--set replicas=2
	--set 'evidence.allowedHosts={docs.example.gov,*.stats.example.org}'
	--set evidence.maxBytes=1048576
	--set evidence.connectTimeout=5s
	--set evidence.fetchTimeout=30s
	--set evidence.recheckInterval=12h
	--set-string 'evidence.caBundle.pem=-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'
	--set leaderElection.namespace=concord-leases
	--set concurrency=8
	--set kubeAPI.qps=20
	--set kubeAPI.burst=40
	--set 'namespaces={protection,prosecution}'
	--set memoryLimit=450Mi
	--set 'extraArgs={--zap-log-level=debug}'
)

echo "== helm lint"
"$HELM" lint "$chart" --strict >"$tmp/lint" 2>&1 && ok "helm lint --strict (defaults)" || { cat "$tmp/lint" >&2; fail "helm lint --strict (defaults)"; }
"$HELM" lint "$chart" --strict "${all_enabled[@]}" >"$tmp/lint" 2>&1 && ok "helm lint --strict (everything enabled)" || { cat "$tmp/lint" >&2; fail "helm lint --strict (everything enabled)"; }

echo "== helm template, default values"
def="$tmp/default.yaml"
"$HELM" template concord "$chart" --namespace concord-system >"$def"
doc "$def" Deployment concord-manager >"$tmp/deployment"
[[ -s "$tmp/deployment" ]] && ok "Deployment concord-manager rendered" || fail "no Deployment concord-manager rendered"
expect "$tmp/deployment" '^ +runAsNonRoot: true$' "runAsNonRoot: true"
expect "$tmp/deployment" '^ +readOnlyRootFilesystem: true$' "readOnlyRootFilesystem: true"
expect "$tmp/deployment" '^ +allowPrivilegeEscalation: false$' "allowPrivilegeEscalation: false"
expect "$tmp/deployment" '^ +type: RuntimeDefault$' "seccompProfile RuntimeDefault"
if grep -A2 -E '^ +capabilities:$' "$tmp/deployment" | grep -A1 -E '^ +drop:$' | grep -qE '^ +- ALL$'; then ok "capabilities drop ALL"; else fail "capabilities drop ALL"; fi
refute "$tmp/deployment" 'privileged: true|hostNetwork|hostPID|hostIPC|hostPath' "no privileged settings or host namespaces"
expect "$tmp/deployment" '^ +path: /healthz$' "liveness probe /healthz"
expect "$tmp/deployment" '^ +path: /readyz$' "readiness probe /readyz"
count "$tmp/deployment" '^ +port: probes$' 2 "both probes on the probes port"
expect "$tmp/deployment" '^ +- --leader-elect=true$' "--leader-elect=true by default"
expect "$tmp/deployment" '^ +image: "ghcr.io/concord-operator/concord:0.1.0"$' "image defaults to the appVersion"
expect "$tmp/deployment" '^ +serviceAccountName: concord-manager$' "runs as ServiceAccount concord-manager"
refute "$tmp/deployment" 'evidence-allowed-hosts|evidence-ca-bundle' "no allowed hosts or CA bundle by default"
count "$def" '^kind: CustomResourceDefinition$' 6 "6 CRDs rendered"
count "$def" '^    helm.sh/resource-policy: keep$' 6 "every CRD keeps on uninstall"
expect "$def" '^  name: reporterbindings.monitoring.concord.dev$' "ReporterBinding CRD rendered"
for r in viewer editor reporter data-reader approver gitops-reporter; do
	expect "$def" "^  name: concord-$r$" "ClusterRole concord-$r"
done
count "$def" '^kind: ValidatingAdmissionPolicy$' 2 "2 ValidatingAdmissionPolicies rendered"
count "$def" '^kind: ValidatingAdmissionPolicyBinding$' 2 "2 ValidatingAdmissionPolicyBindings rendered"
expect "$def" "check\('approve'\)" "the approval policy checks the approve verb"
doc "$def" ValidatingAdmissionPolicy concord-reporter-binding >"$tmp/vap"
expect "$tmp/vap" '^    kind: ReporterBinding$' "the reporter-binding policy takes ReporterBinding params"
expect "$tmp/vap" "check\('report-as-any'\)" "the reporter-binding policy checks the report-as-any verb"
expect "$tmp/vap" '^      resources: \[measurements\]$' "the reporter-binding policy matches Measurements"
expect "$tmp/vap" '^    reason: Forbidden$' "the reporter-binding policy refuses as Forbidden"
doc "$def" ValidatingAdmissionPolicyBinding concord-reporter-binding >"$tmp/vapb"
expect "$tmp/vapb" '^    name: reporters$' "the reporter-binding policy reads the ReporterBinding named reporters"
expect "$tmp/vapb" '^    parameterNotFoundAction: Deny$' "a namespace without a ReporterBinding takes no Measurements"
doc "$def" ClusterRole concord-gitops-reporter >"$tmp/gitops"
expect "$tmp/gitops" '^  verbs: \[report-as-any\]$' "concord-gitops-reporter grants report-as-any"
refute "$tmp/gitops" 'aggregate-to' "concord-gitops-reporter is not aggregated"
for r in editor viewer; do
	doc "$def" ClusterRole concord-$r >"$tmp/role-$r"
	expect "$tmp/role-$r" 'reporterbindings' "concord-$r covers ReporterBindings"
done
doc "$def" ClusterRole concord-reporter >"$tmp/role-reporter"
expect "$tmp/role-reporter" '^  resources: \[reporterbindings\]$' "concord-reporter reads ReporterBindings"
doc "$def" Role concord-leader-election >"$tmp/role"
expect "$tmp/role" '^  namespace: concord-system$' "leader-election Role in the release namespace"
expect "$tmp/role" 'concord.concord.dev' "leader-election Role limited to the lease"
refute "$def" '^kind: (ServiceMonitor|PrometheusRule)$' "no ServiceMonitor or PrometheusRule by default"
expect "$def" '^kind: Service$' "metrics Service rendered"

echo "== helm template, everything enabled"
all="$tmp/all.yaml"
"$HELM" template concord "$chart" --namespace concord-system "${all_enabled[@]}" >"$all"
doc "$all" Deployment concord-manager >"$tmp/deployment"
expect "$tmp/deployment" '^  replicas: 2$' "replicas from values"
for want in \
	'--leader-elect=true' '--leader-election-namespace=concord-leases' '--metrics-bind-address=:8080' \
	'--health-probe-bind-address=:8081' '--concurrency=8' '--kube-api-qps=20' '--kube-api-burst=40' \
	'--graceful-shutdown-timeout=30s' '"--evidence-allowed-hosts=docs.example.gov,\*.stats.example.org"' \
	'--evidence-max-bytes=1048576' '--evidence-connect-timeout=5s' '--evidence-fetch-timeout=30s' \
	'--evidence-recheck-interval=12h' '--evidence-ca-bundle=/etc/concord/evidence-ca/ca.crt' \
	'"--namespaces=protection,prosecution"' '--memory-limit=450Mi' '"--zap-log-level=debug"'; do
	expect "$tmp/deployment" "^ +- $want$" "arg $want"
done
# Every flag cmd/concord defines has a value in the chart, but --version, which prints and exits.
for flag in $(grep -oE 'fs\.[A-Za-z0-9]+\(("|&[A-Za-z.]+, ")[a-z-]+"' cmd/concord/main.go | grep -oE '"[a-z-]+"' | tr -d '"' | grep -vx version); do
	expect "$tmp/deployment" "^ +- \"?--$flag=" "cmd/concord flag --$flag is set by the chart"
done
expect "$tmp/deployment" '^ +mountPath: /etc/concord/evidence-ca$' "CA bundle mounted"
expect "$tmp/deployment" '^ +name: concord-evidence-ca$' "CA bundle from ConfigMap concord-evidence-ca"
expect "$all" '^kind: ConfigMap$' "CA bundle ConfigMap rendered"
doc "$all" Role concord-leader-election >"$tmp/role"
expect "$tmp/role" '^  namespace: concord-leases$' "leader-election Role in leaderElection.namespace"
# A shard's lease is internal/manager.LeaseName: the first 5 bytes of the SHA-256 of its sorted namespaces.
shard_lease="concord-$(printf 'prosecution,protection' | sha256sum | cut -c1-10).concord.dev"
expect "$tmp/role" "^  resourceNames: \\[$shard_lease\\]$" "leader-election Role names the shard's lease ($shard_lease)"
expect "$all" '^kind: ServiceMonitor$' "ServiceMonitor rendered"
doc "$all" ServiceMonitor concord >"$tmp/monitor"
expect "$tmp/monitor" '^ +honorLabels: true$' "the ServiceMonitor keeps the objects' namespace label (honorLabels)"
doc "$all" PrometheusRule concord >"$tmp/rule"
alerts=(ConcordIndicatorEvidenceMissing ConcordIndicatorDataOverdue ConcordReporterMissedPeriods ConcordMeasurementRejected ConcordEvidenceExpiringSoon
	ConcordEvidenceDigestMismatch ConcordMechanismMeetingsOverdue ConcordObjectStalled ConcordObjectNotReady
	ConcordReconcileErrors ConcordManagerAbsent ConcordManagerDown)
count "$tmp/rule" '^ +- alert: ' 12 "PrometheusRule has 12 alerts"
count "$tmp/rule" '^ +runbook_url: ' 12 "every alert has a runbook_url"
count "$tmp/rule" '^ +summary: ' 12 "every alert has a summary"
count "$tmp/rule" '^ +description: ' 12 "every alert has a description"
for a in "${alerts[@]}"; do
	expect "$tmp/rule" "^ +- alert: $a$" "alert $a"
	expect "$tmp/rule" "^ +runbook_url: https://github.com/concord-operator/concord/blob/main/docs/runbooks/$a.md$" "alert $a runbook_url"
	[[ -f "docs/runbooks/$a.md" ]] && ok "runbook docs/runbooks/$a.md exists" || fail "runbook docs/runbooks/$a.md missing"
done
expect "$tmp/rule" '\{\{ \$labels.namespace \}\}/\{\{ \$labels.name \}\}' "descriptions keep Prometheus templates"
count "$tmp/rule" 'job=~".\*concord.\*"\}' 4 "the manager alerts' job selector (3 rules and a description)"
"$HELM" template concord "$chart" --set prometheusRule.enabled=true --set prometheusRule.jobSelector=my-operators \
	--set runbookBaseURL=https://runbooks.example.org/concord/ --show-only templates/monitoring/prometheusrule.yaml >"$tmp/rule2"
expect "$tmp/rule2" 'controller_runtime_reconcile_errors_total\{job=~"my-operators"\}' "job selector from prometheusRule.jobSelector"
expect "$tmp/rule2" 'absent\(controller_runtime_max_concurrent_reconciles\{job=~"my-operators"\}\)' "ConcordManagerAbsent job selector from prometheusRule.jobSelector"
expect "$tmp/rule2" 'up\{job=~"my-operators"\} == 0' "ConcordManagerDown job selector from prometheusRule.jobSelector"
expect "$tmp/rule2" 'runbook_url: https://runbooks.example.org/concord/ConcordReconcileErrors.md$' "runbook URLs from runbookBaseURL"
refute "$tmp/rule" 'cluster=' "no installation labels by default"
"$HELM" template concord "$chart" --set prometheusRule.enabled=true --set prometheusRule.installationLabels.cluster=eu-west \
	--show-only templates/monitoring/prometheusrule.yaml >"$tmp/rule3"
count "$tmp/rule3" '^ +expr: .*cluster="eu-west"' 12 "prometheusRule.installationLabels reaches every alert"
expect "$tmp/rule3" 'absent\(controller_runtime_max_concurrent_reconciles\{job=~".\*concord.\*",cluster="eu-west"\}\)' "ConcordManagerAbsent names the installation"
if "$HELM" template concord "$chart" --set prometheusRule.enabled=true --set 'prometheusRule.installationLabels[0]=eu-west' >/dev/null 2>"$tmp/err"; then
	fail "a list as prometheusRule.installationLabels is accepted"
else
	expect "$tmp/err" 'installationLabels must map label names to values' "a list as prometheusRule.installationLabels is refused"
fi

echo "== other values"
"$HELM" template concord "$chart" --set crds.install=false >"$tmp/nocrds"
refute "$tmp/nocrds" '^kind: CustomResourceDefinition$' "crds.install=false renders no CRD"
"$HELM" template concord "$chart" --set crds.keep=false >"$tmp/nokeep"
count "$tmp/nokeep" '^kind: CustomResourceDefinition$' 6 "crds.keep=false still renders the CRDs"
refute "$tmp/nokeep" 'helm.sh/resource-policy' "crds.keep=false drops the keep policy"
"$HELM" template concord "$chart" --set rbac.peopleRoles=false --set rbac.approvalPolicy=false \
	--set rbac.reporterBindingPolicy=false >"$tmp/norbac"
refute "$tmp/norbac" '^  name: concord-(viewer|editor|reporter|data-reader|approver|gitops-reporter)$|^kind: ValidatingAdmissionPolicy' "people roles and admission policies can be left out"
"$HELM" template concord "$chart" --set rbac.reporterBindingPolicy=false >"$tmp/nobinding"
refute "$tmp/nobinding" '^  name: concord-reporter-binding$' "rbac.reporterBindingPolicy=false leaves the reporter-binding policy out"
expect "$tmp/nobinding" '^  name: concord-measurement-approval$' "rbac.reporterBindingPolicy=false keeps the approval policy"
"$HELM" template concord "$chart" --set evidence.caBundle.existingConfigMap=corporate-ca --set evidence.caBundle.key=bundle.pem >"$tmp/ca"
expect "$tmp/ca" '^ +- --evidence-ca-bundle=/etc/concord/evidence-ca/bundle.pem$' "existing CA ConfigMap: flag"
expect "$tmp/ca" '^ +name: corporate-ca$' "existing CA ConfigMap: volume"
refute "$tmp/ca" '^kind: ConfigMap$' "existing CA ConfigMap: none created"
if "$HELM" template concord "$chart" --set replicas=2 --set leaderElection.enabled=false >/dev/null 2>"$tmp/err"; then
	fail "replicas=2 without leader election is accepted"
else
	expect "$tmp/err" 'needs leaderElection.enabled' "replicas=2 without leader election is refused"
fi

echo "== the chart's copies of config/"
hack/sync-chart-crds.sh --check && ok "chart copies are fresh" || fail "chart copies are stale"

echo "== kustomize"
for k in config/default config/rbac config/prometheus; do
	if "$KUBECTL" kustomize "$k" >"$tmp/kustomize" 2>&1; then ok "kubectl kustomize $k"; else cat "$tmp/kustomize" >&2; fail "kubectl kustomize $k"; fi
done
"$KUBECTL" kustomize config/rbac >"$tmp/kustomize"
expect "$tmp/kustomize" '^  name: concord-measurement-approval$' "config/rbac holds the approval policy"
expect "$tmp/kustomize" '^  name: concord-reporter-binding$' "config/rbac holds the reporter-binding policy"
expect "$tmp/kustomize" '^  name: concord-approver$' "config/rbac holds the people roles"

if ((failures)); then
	echo "chart-test: $failures check(s) failed" >&2
	exit 1
fi
echo "chart-test: all checks passed"

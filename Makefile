# Concord. `make dev` runs it locally; `make test` proves it.

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec
export GOTOOLCHAIN ?= local

BIN := $(CURDIR)/bin
CONTROLLER_GEN_VERSION := v0.23.0
CONTROLLER_GEN := $(BIN)/controller-gen
HELM_VERSION := v3.22.0
# The Kubernetes minor version of helm's k8s.io/client-go (v0.37 for helm v3.22.0): helm's own
# Makefile sets it with -ldflags, which `go install` does not, leaving `helm template` at v1.20.
HELM_K8S_MINOR := 37
HELM := $(BIN)/helm
CONTROL_PLANE := $(BIN)/kube-apiserver $(BIN)/etcd $(BIN)/kubectl
TOOLS_MOD := hack/tools/go.mod hack/tools/go.sum
GO_TEST_FLAGS ?=

.PHONY: all
all: build

##@ Development

.PHONY: dev
dev: build control-plane $(HELM) ## Run a local control plane with the example scenario and the controllers (and bin/helm for the chart).
	$(BIN)/concordctl dev --assets $(BIN) --kubeconfig $(BIN)/dev.kubeconfig

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate deepcopy code.
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths="./api/..."

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate CRDs and RBAC.
	$(CONTROLLER_GEN) crd rbac:roleName=concord-manager paths="./api/..." paths="./internal/manager/..." \
		output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac

.PHONY: fmt
fmt: ## Format the code.
	go fmt ./...

.PHONY: vet
vet: ## Vet the code.
	go vet ./...

##@ Build

.PHONY: build
build: ## Build the manager and concordctl into bin/, stamped with the version (make version).
	go build -ldflags "$(VERSION_LDFLAGS)" -o $(BIN)/concord ./cmd/concord
	go build -ldflags "$(VERSION_LDFLAGS)" -o $(BIN)/concordctl ./cmd/concordctl

.PHONY: control-plane
control-plane: $(CONTROL_PLANE) ## Build kube-apiserver, etcd and kubectl from source into bin/ (again when hack/tools or the stamp change).

# kube-apiserver and kubectl report the Kubernetes version hack/tools builds them from, stamped with
# the -ldflags of Kubernetes' own build (hack/lib/version.sh in k8s.io/kubernetes): without them they
# say v0.0.0-master+$Format:%H$, which the chart's kubeVersion check refuses and on which
# `kubectl version` exits 1. The module zips carry no commit, so gitCommit is left empty.
KUBE_VERSION := $(shell awk '$$1 == "k8s.io/kubernetes" { print $$2; exit }' hack/tools/go.mod)
KUBE_VERSION_PARTS := $(subst ., ,$(patsubst v%,%,$(KUBE_VERSION)))
KUBE_VERSION_PKGS := k8s.io/component-base/version k8s.io/client-go/pkg/version
KUBE_VERSION_VARS := gitVersion=$(KUBE_VERSION) gitMajor=$(word 1,$(KUBE_VERSION_PARTS)) \
	gitMinor=$(word 2,$(KUBE_VERSION_PARTS)) gitTreeState=clean gitCommit=
KUBE_LDFLAGS := $(foreach p,$(KUBE_VERSION_PKGS),$(foreach v,$(KUBE_VERSION_VARS),-X $(p).$(v)))
# The stamp holds the flags (not the build date): it changes, and so rebuilds the binaries, only
# when they do, and a bin/ built before stamping existed has none, so it is rebuilt once.
KUBE_STAMP := $(BIN)/.kube-ldflags
kube_build = date=$$(date -u +%Y-%m-%dT%H:%M:%SZ) && cd hack/tools && \
	go build -ldflags "$(KUBE_LDFLAGS) $(foreach p,$(KUBE_VERSION_PKGS),-X $(p).buildDate=$$date)" -o $@.tmp $(1) && mv $@.tmp $@

$(KUBE_STAMP): FORCE
	@mkdir -p $(BIN)
	@if [ "$$(cat $@ 2>/dev/null)" != "$(KUBE_LDFLAGS)" ]; then echo "$(KUBE_LDFLAGS)" > $@; fi

.PHONY: FORCE
FORCE:

# Built under a temporary name and renamed: bin/ may be shared, and a running binary is not overwritten.
$(BIN)/kube-apiserver: $(TOOLS_MOD) $(KUBE_STAMP)
	$(call kube_build,k8s.io/kubernetes/cmd/kube-apiserver)

$(BIN)/etcd: $(TOOLS_MOD)
	cd hack/tools && go build -o $@.tmp go.etcd.io/etcd/server/v3 && mv $@.tmp $@

$(BIN)/kubectl: $(TOOLS_MOD) hack/tools/kubectl/main.go $(KUBE_STAMP)
	$(call kube_build,./kubectl)

$(CONTROLLER_GEN):
	GOBIN=$(BIN) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_GEN_VERSION)

$(HELM):
	GOBIN=$(BIN) go install -ldflags "-X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION) \
		-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$(HELM_K8S_MINOR) \
		-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$(HELM_K8S_MINOR)" \
		helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

##@ Version

# concord --version and concordctl version print what make build and make release stamp into
# internal/version. VERSION=v0.2.0 (or COMMIT, BUILD_DATE) on the command line overrides it.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
VERSION := $(VERSION)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
COMMIT := $(COMMIT)
# The commit's date (UTC) when the work tree is clean, so that building a commit again gives the same
# bytes (and make release the same SHA256SUMS); the current time when it has uncommitted changes.
BUILD_DATE ?= $(shell if [ -z "$$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && \
	TZ=UTC0 git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd 2>/dev/null | grep .; then :; \
	else date -u +%Y-%m-%dT%H:%M:%SZ; fi)
BUILD_DATE := $(BUILD_DATE)
VERSION_PKG := github.com/concord-operator/concord/internal/version
VERSION_LDFLAGS := -X $(VERSION_PKG).version=$(VERSION) -X $(VERSION_PKG).commit=$(COMMIT) -X $(VERSION_PKG).date=$(BUILD_DATE)

.PHONY: version
version: ## Print the version, commit and build date that make build and make release stamp.
	@echo "$(VERSION) $(COMMIT) $(BUILD_DATE)"

##@ Release

# make release VERSION=v0.2.0 (default: git describe, which must name a tag) builds into dist/:
# concord and concordctl for each platform (CGO_ENABLED=0, -trimpath, stamped), a CycloneDX SBOM of
# each, the chart (version and appVersion 0.2.0), SHA256SUMS, IMAGE (the image reference the chart
# defaults to), and the image itself where docker buildx or ko exists (IMAGE_PUSH=true pushes it).
# docs/releasing.md is the procedure.
DIST ?= $(CURDIR)/dist
RELEASE_PLATFORMS ?= linux/amd64 linux/arm64
# The chart's default image.repository (charts/concord/values.yaml); the tag is the chart's appVersion.
IMAGE_REPO ?= ghcr.io/concord-operator/concord
IMAGE_PUSH ?= false
CYCLONEDX_GOMOD_VERSION := v1.10.0
CYCLONEDX_GOMOD := $(BIN)/cyclonedx-gomod

.PHONY: release
release: $(HELM) $(CYCLONEDX_GOMOD) ## Build the release into dist/: binaries, SBOMs, chart, SHA256SUMS (and the image, given a builder).
	VERSION="$(VERSION)" COMMIT="$(COMMIT)" BUILD_DATE="$(BUILD_DATE)" VERSION_LDFLAGS="$(VERSION_LDFLAGS)" \
	DIST="$(DIST)" PLATFORMS="$(RELEASE_PLATFORMS)" IMAGE_REPO="$(IMAGE_REPO)" IMAGE_PUSH="$(IMAGE_PUSH)" \
	HELM="$(HELM)" CYCLONEDX_GOMOD="$(CYCLONEDX_GOMOD)" hack/release.sh

$(CYCLONEDX_GOMOD):
	GOBIN=$(BIN) go install github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@$(CYCLONEDX_GOMOD_VERSION)

##@ Test

.PHONY: test
test: vet control-plane $(CONTROLLER_GEN) test-chart ## Run every test: unit, generated-file freshness and envtest integration.
	KUBEBUILDER_ASSETS=$(BIN) CONTROLLER_GEN=$(CONTROLLER_GEN) go test -timeout 30m $(GO_TEST_FLAGS) ./...

.PHONY: test-chart
test-chart: $(HELM) $(BIN)/kubectl ## Lint and render the Helm chart, check its CRDs are fresh, build the kustomizations.
	HELM=$(HELM) KUBECTL=$(BIN)/kubectl hack/chart-test.sh

.PHONY: sync-chart
sync-chart: ## Copy the generated CRDs and manager ClusterRole into charts/concord/templates.
	hack/sync-chart-crds.sh

.PHONY: test-unit
test-unit: ## Run the tests that need no API server.
	go test -short ./...

##@ Alert rules

# promtool runs the alert rules' unit tests (config/prometheus/tests, config/alert_rules_test.go),
# which `make test` runs with the other tests of ./config. Built from source like the control plane:
# hack/promtool pins github.com/prometheus/prometheus (v0.316.0). remove_all_sd leaves out the
# service discoveries (AWS, Azure, GCE...), which `promtool test rules` does not use: it halves the
# first build.
PROMTOOL := $(BIN)/promtool
PROMTOOL_MOD := hack/promtool/go.mod hack/promtool/go.sum

$(PROMTOOL): $(PROMTOOL_MOD)
	cd hack/promtool && go build -tags remove_all_sd -o $@ github.com/prometheus/prometheus/cmd/promtool

.PHONY: promtool
promtool: $(PROMTOOL) ## Build Prometheus' promtool from source into bin/ (once).

test: $(PROMTOOL)

.PHONY: test-alerts
test-alerts: $(PROMTOOL) $(HELM) ## Run the alert rules' unit tests over config/prometheus and the chart.
	PROMTOOL=$(PROMTOOL) HELM=$(HELM) go test ./config/ -run 'TestAlertRules|TestScrapeModel|TestPrometheusRule' -count=1

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*?##/ { printf "  %-15s %s\n", $$1, $$2 } /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)

.PHONY: bench
bench: ## Run the evaluation benchmark on one core (10k indicators, 100k measurements per op).
	go test ./internal/evaluate/ -run '^$$' -bench . -benchmem -cpu 1 -benchtime 5x

# The scale benchmark of docs/performance.md (test/scale), not part of make test: N generated
# Indicators (6 objects each) created by 8 client workers, the manager (bin/concord, its own process)
# against the floor of one status patch per object, PAIRS alternating pairs, each run on a fresh etcd
# and kube-apiserver from bin/; VARIANTS (comma-separated, or all): cold, restart, new-measurement,
# evidence-fanout. SCALE_FLAGS adds flags (-plan, -cpu-profile, -manager-flags '--kube-api-qps=2000').
# Results: a Markdown table on stdout, and results.md, results.json, manager logs and profiles in
# bin/scale/.
N ?= 1000
PAIRS ?= 3
VARIANTS ?=
SCALE_FLAGS ?=
SCALE_CONTROL_PLANE := $(BIN)/etcd $(BIN)/kube-apiserver

.PHONY: bench-scale
bench-scale: build $(filter-out $(wildcard $(SCALE_CONTROL_PLANE)),$(SCALE_CONTROL_PLANE)) ## Run the scale benchmark (N=1000 PAIRS=3 VARIANTS=...; docs/performance.md).
	go run ./test/scale -assets $(BIN) -concord $(BIN)/concord -out $(BIN)/scale \
		-n $(N) -pairs $(PAIRS) -variants "$(VARIANTS)" $(SCALE_FLAGS)

# Fuzzing budgets are counts of inputs, not seconds: a time budget ends in
# "context deadline exceeded" on a busy machine, and a count does the same
# work wherever it runs.
FUZZ_PARSE_EXECS ?= 300000x
FUZZ_EVALUATE_EXECS ?= 20000x

.PHONY: fuzz
fuzz: ## Fuzz period and decimal parsing and whole evaluation, with count budgets.
	go test ./internal/evaluate/ -run '^$$' -fuzz FuzzParsePeriod -fuzztime $(FUZZ_PARSE_EXECS)
	go test ./internal/evaluate/ -run '^$$' -fuzz FuzzParseNumber -fuzztime $(FUZZ_PARSE_EXECS)
	go test ./internal/evaluate/ -run '^$$' -fuzz FuzzEvaluateIndicator -fuzztime $(FUZZ_EVALUATE_EXECS)

.PHONY: argocd
argocd: ## Regenerate the per-kind Argo CD health checks from hack/argocd/health.lua.tmpl.
	go run ./hack/argocd/gen

.PHONY: docs
docs: ## Regenerate docs/api.md from the CRDs.
	go run ./hack/gen-api-docs docs/api.md

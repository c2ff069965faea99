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
dev: build control-plane ## Run a local control plane with the example scenario and the controllers.
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
build: ## Build the manager and concordctl into bin/.
	go build -o $(BIN)/concord ./cmd/concord
	go build -o $(BIN)/concordctl ./cmd/concordctl

.PHONY: control-plane
control-plane: $(CONTROL_PLANE) ## Build kube-apiserver, etcd and kubectl from source into bin/ (once).

$(BIN)/kube-apiserver: $(TOOLS_MOD)
	cd hack/tools && go build -o $@ k8s.io/kubernetes/cmd/kube-apiserver

$(BIN)/etcd: $(TOOLS_MOD)
	cd hack/tools && go build -o $@ go.etcd.io/etcd/server/v3

$(BIN)/kubectl: $(TOOLS_MOD) hack/tools/kubectl/main.go
	cd hack/tools && go build -o $@ ./kubectl

$(CONTROLLER_GEN):
	GOBIN=$(BIN) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_GEN_VERSION)

$(HELM):
	GOBIN=$(BIN) go install -ldflags "-X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION) \
		-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$(HELM_K8S_MINOR) \
		-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$(HELM_K8S_MINOR)" \
		helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

##@ Test

.PHONY: test
test: vet control-plane $(CONTROLLER_GEN) test-chart ## Run every test: unit, generated-file freshness and envtest integration.
	KUBEBUILDER_ASSETS=$(BIN) CONTROLLER_GEN=$(CONTROLLER_GEN) go test $(GO_TEST_FLAGS) ./...

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

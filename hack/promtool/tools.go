//go:build tools

// Package promtool pins Prometheus' promtool, which `make test` builds into
// bin/ to run the alert rules' unit tests (config/prometheus/tests). It is a
// module of its own so that Prometheus' dependencies stay out of Concord's
// go.mod and out of hack/tools' Kubernetes build.
package promtool

import (
	_ "github.com/prometheus/prometheus/cmd/promtool"
)

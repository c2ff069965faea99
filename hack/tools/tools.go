//go:build tools

// Package tools pins the control-plane programs that hack/tools builds into
// bin/ for envtest and make dev: kube-apiserver and etcd, from source.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)

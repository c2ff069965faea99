package manager

// The manager's permissions, generated into config/rbac by `make manifests`.
// It reads and watches Concord's kinds, writes their status, reads the
// labelled evidence ConfigMaps and namespaces (for plans), records Events
// and holds a leader-election lease. It never reads Secrets.

// +kubebuilder:rbac:groups=monitoring.concord.dev,resources=indicators;measurements;evidences;cooperationmechanisms;actionplans,verbs=get;list;watch
// +kubebuilder:rbac:groups=monitoring.concord.dev,resources=indicators/status;measurements/status;evidences/status;cooperationmechanisms/status;actionplans/status,verbs=get;update;patch
// +kubebuilder:rbac:groups="",resources=configmaps;namespaces,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=events,verbs=create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch
// +kubebuilder:rbac:groups=coordination.k8s.io,resources=leases,verbs=get;list;watch;create;update;patch;delete

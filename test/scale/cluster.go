package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/concord-operator/concord/internal/devenv"
	"github.com/concord-operator/concord/internal/manager"
)

// Cluster is a fresh etcd and kube-apiserver (envtest) with Concord's CRDs
// (config/crd/bases, as embedded in the binary) and no admission policy.
type Cluster struct {
	env *envtest.Environment
	// Config is the administrator's, with client-side rate limiting off
	// (QPS -1): the API server's priority and fairness is the only limit.
	Config *rest.Config
	Client client.Client
	// Kubeconfig is the path of the administrator's kubeconfig, which the
	// manager is given.
	Kubeconfig string
	clientset  *kubernetes.Clientset
}

// StartCluster starts a control plane from the binaries in assets and
// writes its kubeconfig into dir.
func StartCluster(assets, dir string) (*Cluster, error) {
	crds, err := devenv.CRDs()
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{
		BinaryAssetsDirectory:    assets,
		CRDs:                     crds,
		ControlPlaneStartTimeout: 2 * time.Minute,
		ControlPlaneStopTimeout:  time.Minute,
	}
	cfg, err := env.Start()
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("starting etcd and kube-apiserver from %s: %w", assets, err)
	}
	c := &Cluster{env: env}
	if err := c.init(cfg, dir); err != nil {
		_ = env.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) init(cfg *rest.Config, dir string) error {
	user, err := c.env.AddUser(envtest.User{Name: "concord-scale", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return fmt.Errorf("adding the administrator: %w", err)
	}
	kc, err := user.KubeConfig()
	if err != nil {
		return err
	}
	c.Kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(c.Kubeconfig, kc, 0o600); err != nil {
		return err
	}
	c.Config = rest.CopyConfig(cfg)
	c.Config.QPS, c.Config.Burst = -1, 0
	if c.Client, err = client.New(c.Config, client.Options{Scheme: manager.NewScheme()}); err != nil {
		return err
	}
	c.clientset, err = kubernetes.NewForConfig(c.Config)
	return err
}

// Stop stops the control plane and removes its data.
func (c *Cluster) Stop() error { return c.env.Stop() }

// CreateNamespaces creates the workload's namespaces (before any timing).
func (c *Cluster) CreateNamespaces(ctx context.Context, nss []corev1.Namespace) error {
	for i := range nss {
		ns := nss[i].DeepCopy()
		if err := c.Client.Create(ctx, ns); err != nil {
			return fmt.Errorf("creating namespace %s: %w", ns.Name, err)
		}
	}
	return nil
}

// APIMetrics scrapes the API server's /metrics as the administrator.
func (c *Cluster) APIMetrics(ctx context.Context) (Metrics, error) {
	raw, err := c.clientset.CoreV1().RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return nil, fmt.Errorf("scraping the API server's metrics: %w", err)
	}
	return ParseMetrics(bytes.NewReader(raw))
}

// APICounts scrapes the API server's request counters.
func (c *Cluster) APICounts(ctx context.Context) (APICounts, error) {
	m, err := c.APIMetrics(ctx)
	if err != nil {
		return APICounts{}, err
	}
	return APICountsOf(m), nil
}

// Storage is the size of etcd's database.
type Storage struct {
	// Etcd is what etcd's /metrics says as the run left it: the database
	// holds the revisions the API server has not compacted yet (it
	// compacts every 5 minutes).
	Etcd EtcdCounts `json:"etcd"`
	// LiveBytes is the database's size in use once compacted to the
	// current revision and defragmented: the live keys alone.
	LiveBytes int64 `json:"liveBytes"`
	// DataDirBytes is the size of etcd's data directory (database and
	// write-ahead log) before the compaction.
	DataDirBytes int64 `json:"dataDirBytes"`
	// APIServerBytes is apiserver_storage_size_bytes (0 where absent).
	APIServerBytes float64 `json:"apiServerBytes"`
}

// Storage reads etcd's /metrics (plain HTTP on its client URL, as envtest
// starts it), the size of its data directory and the API server's view,
// then compacts etcd to its current revision, defragments it and reads the
// live size. Watchers are not disturbed: they are past the revision
// compacted.
func (c *Cluster) Storage(ctx context.Context) (Storage, error) {
	var s Storage
	etcd := c.env.ControlPlane.Etcd
	base := etcd.URL.String()
	b, err := get(ctx, base+"/metrics")
	if err != nil {
		return s, fmt.Errorf("scraping etcd's metrics: %w", err)
	}
	m, err := ParseMetrics(bytes.NewReader(b))
	if err != nil {
		return s, fmt.Errorf("etcd's metrics: %w", err)
	}
	s.Etcd = EtcdCountsOf(m)
	_ = filepath.WalkDir(etcd.DataDir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				s.DataDirBytes += info.Size()
			}
		}
		return nil
	})
	if am, err := c.APIMetrics(ctx); err == nil {
		s.APIServerBytes = storageBytes(am)
	}
	s.LiveBytes, err = compact(ctx, base)
	return s, err
}

// compact compacts etcd (through its JSON gateway) to the current
// revision, defragments it, and returns the database's size in use.
func compact(ctx context.Context, base string) (int64, error) {
	var rng struct {
		Header struct {
			Revision string `json:"revision"`
		} `json:"header"`
	}
	if err := etcdCall(ctx, base+"/v3/kv/range", `{"key":"AA=="}`, &rng); err != nil {
		return 0, err
	}
	body := fmt.Sprintf(`{"revision":%q,"physical":true}`, rng.Header.Revision)
	if err := etcdCall(ctx, base+"/v3/kv/compaction", body, nil); err != nil {
		return 0, err
	}
	if err := etcdCall(ctx, base+"/v3/maintenance/defragment", `{}`, nil); err != nil {
		return 0, err
	}
	var st struct {
		DBSizeInUse string `json:"dbSizeInUse"`
	}
	if err := etcdCall(ctx, base+"/v3/maintenance/status", `{}`, &st); err != nil {
		return 0, err
	}
	return strconv.ParseInt(st.DBSizeInUse, 10, 64)
}

func etcdCall(ctx context.Context, url, body string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("etcd %s: %w", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("etcd %s: %s: %s", url, resp.Status, b)
	}
	if into == nil {
		return nil
	}
	return json.Unmarshal(b, into)
}

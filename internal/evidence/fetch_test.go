package evidence

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
)

// marker is in every body, in headers and in redirect targets of the test
// servers: it must never reach a message.
const marker = "SECRET-BODY-MARKER"

var (
	okBody    = "evidence document " + marker
	lyingBody = "0123456789" + marker + strings.Repeat("x", 100-10-len(marker))
	localhost = netip.MustParseAddr("127.0.0.1")
)

func TestPublicAddr(t *testing.T) {
	cases := []struct {
		addr string
		want bool
	}{
		// public
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"93.184.216.34", true},
		{"11.0.0.0", true},
		{"1.0.0.0", true},
		{"9.255.255.255", true},
		{"100.63.255.255", true},
		{"100.128.0.0", true},
		{"126.255.255.255", true},
		{"128.0.0.0", true},
		{"169.253.255.255", true},
		{"169.255.0.0", true},
		{"172.15.255.255", true},
		{"172.32.0.0", true},
		{"192.167.255.255", true},
		{"192.169.0.0", true},
		{"198.17.255.255", true},
		{"198.20.0.0", true},
		{"223.255.255.255", true},
		{"2606:4700:4700::1111", true},
		{"2001:4860:4860::8888", true},
		{"2a00:1450:4001::1", true},
		// unspecified, "this network"
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"::", false},
		// loopback
		{"127.0.0.1", false},
		{"127.255.255.254", false},
		{"::1", false},
		// link-local
		{"169.254.0.1", false},
		{"169.254.169.254", false},
		{"fe80::1", false},
		{"febf::1", false},
		{"fe80::1%eth0", false},
		// private, CGNAT, unique-local, site-local
		{"10.0.0.1", false},
		{"10.255.255.255", false},
		{"172.16.0.0", false},
		{"172.16.5.4", false},
		{"172.31.255.255", false},
		{"192.168.0.1", false},
		{"192.168.1.1", false},
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"fc00::1", false},
		{"fd00::1", false},
		{"fec0::1", false},
		// IPv4 embedded in IPv6, whatever the IPv4
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"::ffff:8.8.8.8", false},
		{"::127.0.0.1", false},
		{"::8.8.8.8", false},
		{"64:ff9b::a00:1", false},
		{"64:ff9b::808:808", false},
		{"64:ff9b:1::1", false},
		{"2002:a00:1::1", false},
		{"2002:808:808::1", false},
		{"2001:0:a00:1::1", false}, // Teredo
		// multicast, broadcast, reserved
		{"224.0.0.1", false},
		{"239.255.255.255", false},
		{"ff02::1", false},
		{"ff0e::1", false},
		{"255.255.255.255", false},
		{"240.0.0.1", false},
		{"192.0.0.8", false},
		{"198.18.0.1", false},
		{"198.19.255.255", false},
		{"100::1", false},
		// documentation
		{"192.0.2.1", false},
		{"198.51.100.1", false},
		{"203.0.113.1", false},
		{"2001:db8::1", false},
		{"3fff::1", false},
	}
	for _, c := range cases {
		if got := PublicAddr(netip.MustParseAddr(c.addr)); got != c.want {
			t.Errorf("PublicAddr(%s) = %v, want %v", c.addr, got, c.want)
		}
	}
	if PublicAddr(netip.Addr{}) {
		t.Error("PublicAddr(invalid) = true")
	}
}

func TestHostAllowed(t *testing.T) {
	f := NewFetcher(FetchOptions{AllowedHosts: []string{"Example.com", "*.example.gov", "93.184.216.34", "2606:4700::1", "bad host", "*", "*.", "example.org:443"}})
	cases := []struct {
		host string
		want bool
	}{
		{"example.com", true},
		{"EXAMPLE.COM", true},
		{"example.com.", true},
		{"www.example.com", false},
		{"a.example.gov", true},
		{"a.b.example.gov", true},
		{"A.Example.Gov", true},
		{"example.gov", false},
		{".example.gov", false},
		{"evilexample.gov", false},
		{"example.gov.evil.net", false},
		{"a.example.gov.evil.net", false},
		{"93.184.216.34", true},
		{"2606:4700::1", true},
		{"2606:4700:0::1", true},
		{"127.0.0.1", false},
		{"example.org", false},
		{"bad host", false},
		{"exämple.com", false},
		{"a。example.gov", false},
		{"", false},
	}
	for _, c := range cases {
		if got := f.hostAllowed(c.host); got != c.want {
			t.Errorf("hostAllowed(%q) = %v, want %v", c.host, got, c.want)
		}
	}
	// A wildcard never matches an IP literal.
	g := NewFetcher(FetchOptions{AllowedHosts: []string{"*.0.0.1", "*.1"}})
	if g.hostAllowed("127.0.0.1") || g.hostAllowed("10.0.0.1") {
		t.Error("a wildcard matched an IP literal")
	}
	if err := CheckAllowedHosts([]string{"example.com", "*.example.gov", "10.1.2.3"}); err != nil {
		t.Errorf("CheckAllowedHosts: %v", err)
	}
	for _, bad := range []string{"*", "example.org:443", "https://example.org", "a..b", "fe80::1%eth0"} {
		if err := CheckAllowedHosts([]string{bad}); err == nil || !strings.Contains(err.Error(), AllowedHostsFlag) {
			t.Errorf("CheckAllowedHosts(%q) = %v, want an error naming the flag", bad, err)
		}
	}
}

// fakeResolver maps names to addresses and never asks DNS.
type fakeResolver map[string][]netip.Addr

func (r fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[strings.ToLower(host)]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func addrs(ss ...string) []netip.Addr {
	as := make([]netip.Addr, len(ss))
	for i, s := range ss {
		as[i] = netip.MustParseAddr(s)
	}
	return as
}

// testEnv is a TLS server on 127.0.0.1 whose certificate is valid for
// example.com, reached through a fake resolver.
type testEnv struct {
	srv  *httptest.Server
	ap   netip.AddrPort
	port string
	base string // https://example.com:port
	res  fakeResolver

	mu   sync.Mutex
	seen []http.Header // request headers at /ok
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	e := &testEnv{}
	mux := http.NewServeMux()
	wait := func(r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	}
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.seen = append(e.seen, r.Header.Clone())
		e.mu.Unlock()
		w.Header().Set("X-Marker", marker)
		fmt.Fprint(w, okBody)
	})
	mux.HandleFunc("/redir-ok", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: marker})
		http.Redirect(w, r, "/ok?token="+marker, http.StatusFound)
	})
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n <= 0 {
			http.Redirect(w, r, "/ok", http.StatusFound)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop?"+marker, http.StatusFound)
	})
	redirect := func(path, to string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Marker", marker)
			http.Redirect(w, r, to, http.StatusFound)
		})
	}
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.PathValue("code"))
		w.Header().Set("X-Marker", marker)
		http.Error(w, marker, code)
	})
	mux.HandleFunc("/big-content-length", func(w http.ResponseWriter, r *http.Request) {
		// Announces 4096 bytes, sends a few and stalls: a client that
		// reads before looking at Content-Length times out instead.
		w.Header().Set("Content-Length", "4096")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, marker)
		w.(http.Flusher).Flush()
		wait(r)
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 8 {
			fmt.Fprint(w, strings.Repeat(marker+"\n", 256/(len(marker)+1)), strings.Repeat("-", 256%(len(marker)+1)))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		chunk := strings.Repeat(marker, 1024/len(marker)+1)[:1024]
		for deadline := time.Now().Add(5 * time.Second); r.Context().Err() == nil && time.Now().Before(deadline); {
			if _, err := fmt.Fprint(w, chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/lying", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n%s", lyingBody)
		buf.Flush()
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		wait(r)
		fmt.Fprint(w, marker)
	})
	e.srv = httptest.NewUnstartedServer(mux)
	e.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	e.srv.StartTLS()
	t.Cleanup(e.srv.Close)
	e.ap = netip.MustParseAddrPort(e.srv.Listener.Addr().String())
	e.port = strconv.Itoa(int(e.ap.Port()))
	e.base = "https://example.com:" + e.port

	redirect("/redir-loopback", "https://loopback.example.gov:1/x?"+marker)
	redirect("/redir-metadata-ip", "https://169.254.169.254/latest/meta-data/?"+marker)
	redirect("/redir-metadata-name", "https://metadata.example.gov/latest/meta-data/?"+marker)
	redirect("/redir-http", "http://example.com:"+e.port+"/ok?"+marker)
	redirect("/redir-userinfo", "https://user:"+marker+"@example.com:"+e.port+"/ok")
	redirect("/redir-not-allowed", "https://"+strings.ToLower(marker)+".example.net:"+e.port+"/ok")

	e.res = fakeResolver{
		"example.com":                            addrs("127.0.0.1"),
		"example.gov":                            addrs("127.0.0.1"),
		"ok.example.gov":                         addrs("127.0.0.1"),
		"untrusted.example.gov":                  addrs("127.0.0.1"),
		"evil.example.net":                       addrs("127.0.0.1"),
		strings.ToLower(marker) + ".example.net": addrs("127.0.0.1"),
		"loopback.example.gov":                   addrs("127.0.0.1"),
		"metadata.example.gov":                   addrs("169.254.169.254"),
		"mixed.example.gov":                      addrs("1.1.1.1", "10.0.0.1"),
		"mixed6.example.gov":                     addrs("2606:4700:4700::1111", "fd00::1"),
	}
	for i, a := range forbidden {
		e.res[fmt.Sprintf("f%d.example.gov", i)] = addrs(a)
	}
	return e
}

// forbidden are addresses a name may resolve to and must never be
// connected to.
var forbidden = []string{
	"127.0.0.1", "::1", "169.254.169.254", "10.0.0.1", "172.16.5.4", "192.168.1.1",
	"100.64.0.1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1",
	"0.0.0.0", "::", "224.0.0.1", "ff02::1", "64:ff9b::a00:1", "fe80::1",
	"2002:a00:1::1", "255.255.255.255", "fec0::1", "::ffff:8.8.8.8",
}

// dialLog records the connections a Fetcher makes and refuses (failing the
// test) any to an address other than 127.0.0.1.
type dialLog struct {
	mu    sync.Mutex
	addrs []string
}

func (d *dialLog) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.addrs)
}

func (e *testEnv) fetcher(t *testing.T, mod func(*FetchOptions)) (*Fetcher, *dialLog) {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(e.srv.Certificate())
	o := FetchOptions{
		AllowedHosts: []string{"example.com", "*.example.gov"},
		RootCAs:      pool,
		Resolver:     e.res,
		AllowAddr:    func(ap netip.AddrPort) bool { return ap == e.ap },
		Timeout:      3 * time.Second,
	}
	if mod != nil {
		mod(&o)
	}
	f := NewFetcher(o)
	dl := &dialLog{}
	inner := f.netDial
	f.netDial = func(ctx context.Context, network, address string) (net.Conn, error) {
		dl.mu.Lock()
		dl.addrs = append(dl.addrs, address)
		dl.mu.Unlock()
		if ap, err := netip.ParseAddrPort(address); err != nil || ap.Addr() != localhost {
			t.Errorf("the fetcher dialed %s: only checked 127.0.0.1 addresses may ever be dialed", address)
			return nil, errors.New("test guard: refused")
		}
		return inner(ctx, network, address)
	}
	return f, dl
}

type fetchCase struct {
	name   string
	url    string
	mod    func(*FetchOptions)
	reason string // "": success with content body
	body   string
	msg    string        // substring of FailMessage
	dials  int           // connections expected; -1: any
	within time.Duration // longest it may take; 0: 2s
}

func TestObserve(t *testing.T) {
	e := newTestEnv(t)
	maxKiB := func(o *FetchOptions) { o.MaxBytes = 1024 }
	cases := []fetchCase{
		{name: "success", url: e.base + "/ok", body: okBody, dials: 1},
		{name: "success, host in upper case", url: "https://EXAMPLE.COM:" + e.port + "/ok", body: okBody, dials: 1},
		{name: "success after a redirect", url: e.base + "/redir-ok", body: okBody, dials: 2},
		{name: "success after 3 redirects", url: e.base + "/chain/2", body: okBody, dials: 4},
		{name: "http", url: "http://example.com:" + e.port + "/ok", reason: v1alpha1.ReasonHostNotAllowed, msg: "https", dials: 0},
		{name: "userinfo", url: "https://user:pass@example.com:" + e.port + "/ok", reason: v1alpha1.ReasonHostNotAllowed, msg: "credentials", dials: 0},
		{name: "host not allowed", url: "https://evil.example.net:" + e.port + "/ok", reason: v1alpha1.ReasonHostNotAllowed, msg: `"evil.example.net" is not allowed`, dials: 0},
		{name: "wildcard does not allow the apex", url: "https://example.gov:" + e.port + "/ok", reason: v1alpha1.ReasonHostNotAllowed, dials: 0},
		{name: "IP literal not listed", url: "https://127.0.0.1:" + e.port + "/ok", reason: v1alpha1.ReasonHostNotAllowed, dials: 0},
		{name: "empty allowlist", url: e.base + "/ok", mod: func(o *FetchOptions) { o.AllowedHosts = nil }, reason: v1alpha1.ReasonHostNotAllowed, msg: "--evidence-allowed-hosts", dials: 0},
		{name: "not a URL", url: "https://exa mple.com/%zz", reason: v1alpha1.ReasonHostNotAllowed, dials: 0},
		{name: "public and private address", url: "https://mixed.example.gov/ok", reason: v1alpha1.ReasonHostNotAllowed, msg: "not public", dials: 0},
		{name: "public and unique-local IPv6", url: "https://mixed6.example.gov/ok", reason: v1alpha1.ReasonHostNotAllowed, msg: "not public", dials: 0},
		{name: "loopback on another port", url: "https://loopback.example.gov:1/x", reason: v1alpha1.ReasonHostNotAllowed, msg: "not public", dials: 0},
		{name: "name resolving to the metadata service", url: "https://metadata.example.gov/latest/meta-data/", reason: v1alpha1.ReasonHostNotAllowed, msg: "not public", dials: 0},
		{name: "redirect to loopback on another port", url: e.base + "/redir-loopback", reason: v1alpha1.ReasonHostNotAllowed, msg: "not public", dials: 1},
		{name: "redirect to 169.254.169.254", url: e.base + "/redir-metadata-ip", reason: v1alpha1.ReasonHostNotAllowed, msg: "redirected", dials: 1},
		{name: "redirect to a name of 169.254.169.254", url: e.base + "/redir-metadata-name", reason: v1alpha1.ReasonHostNotAllowed, msg: "not public", dials: 1},
		{name: "redirect to http", url: e.base + "/redir-http", reason: v1alpha1.ReasonHostNotAllowed, msg: "not https", dials: 1},
		{name: "redirect with userinfo", url: e.base + "/redir-userinfo", reason: v1alpha1.ReasonHostNotAllowed, msg: "credentials", dials: 1},
		{name: "redirect to a host not allowed", url: e.base + "/redir-not-allowed", reason: v1alpha1.ReasonHostNotAllowed, msg: "not allowed", dials: 1},
		{name: "redirect loop", url: e.base + "/loop", reason: v1alpha1.ReasonFetchFailed, msg: "more than 3", dials: 4},
		{name: "4 redirects", url: e.base + "/chain/3", reason: v1alpha1.ReasonFetchFailed, msg: "more than 3", dials: 4},
		{name: "404", url: e.base + "/status/404", reason: v1alpha1.ReasonFetchFailed, msg: "HTTP 4xx", dials: 1},
		{name: "500", url: e.base + "/status/500", reason: v1alpha1.ReasonFetchFailed, msg: "HTTP 5xx", dials: 1},
		{name: "Content-Length over MaxBytes", url: e.base + "/big-content-length", mod: maxKiB, reason: v1alpha1.ReasonTooLarge, msg: "1024 bytes", dials: 1},
		{name: "chunked body over MaxBytes", url: e.base + "/chunked", mod: maxKiB, reason: v1alpha1.ReasonTooLarge, msg: "1024 bytes", dials: 1},
		{name: "endless chunked body", url: e.base + "/endless", mod: func(o *FetchOptions) { o.MaxBytes = 1024; o.Timeout = 2 * time.Second }, reason: v1alpha1.ReasonTooLarge, msg: "1024 bytes", dials: 1, within: time.Second},
		{name: "chunked body under MaxBytes", url: e.base + "/chunked", mod: func(o *FetchOptions) { o.MaxBytes = 2048 }, body: chunkedBody(), dials: 1},
		{name: "body longer than its Content-Length", url: e.base + "/lying", body: lyingBody[:10], dials: 1},
		{name: "slow server", url: e.base + "/slow", mod: func(o *FetchOptions) { o.Timeout = 300 * time.Millisecond }, reason: v1alpha1.ReasonFetchFailed, msg: "timeout", dials: 1},
		{name: "certificate for another name", url: "https://ok.example.gov:" + e.port + "/ok", reason: v1alpha1.ReasonFetchFailed, msg: "not valid", dials: 1},
		{name: "name that does not resolve", url: "https://nxdomain.example.gov/ok", reason: v1alpha1.ReasonFetchFailed, msg: "no such host", dials: 0},
	}
	for i, a := range forbidden {
		cases = append(cases, fetchCase{
			name:   "name resolving to " + a,
			url:    fmt.Sprintf("https://f%d.example.gov/ok", i),
			reason: v1alpha1.ReasonHostNotAllowed,
			msg:    "not public",
			dials:  0,
		})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, dl := e.fetcher(t, c.mod)
			e.run(t, f, dl, c)
		})
	}
}

func chunkedBody() string {
	var b strings.Builder
	for range 8 {
		b.WriteString(strings.Repeat(marker+"\n", 256/(len(marker)+1)) + strings.Repeat("-", 256%(len(marker)+1)))
	}
	return b.String()
}

func (e *testEnv) run(t *testing.T, f *Fetcher, dl *dialLog, c fetchCase) {
	t.Helper()
	start := time.Now()
	obs := f.Observe(context.Background(), c.url)
	took := time.Since(start)
	if c.within == 0 {
		c.within = 2 * time.Second
	}
	if took > c.within {
		t.Errorf("took %s, more than %s", took, c.within)
	}
	if !obs.Checked || obs.Keep || obs.Pending {
		t.Errorf("Checked=%v Keep=%v Pending=%v, want a completed check", obs.Checked, obs.Keep, obs.Pending)
	}
	if c.reason == "" {
		if obs.FailReason != "" {
			t.Fatalf("want success, got %s: %s", obs.FailReason, obs.FailMessage)
		}
		if want := Digest([]byte(c.body)); obs.Digest != want || obs.Size != int64(len(c.body)) {
			t.Errorf("got %s size %d, want %s size %d", obs.Digest, obs.Size, want, len(c.body))
		}
	} else {
		if obs.FailReason != c.reason {
			t.Errorf("reason %q (%s), want %q", obs.FailReason, obs.FailMessage, c.reason)
		}
		if obs.Digest != "" || obs.Size != 0 {
			t.Errorf("a failure carries digest %q size %d", obs.Digest, obs.Size)
		}
		if !strings.Contains(obs.FailMessage, c.msg) {
			t.Errorf("message %q does not contain %q", obs.FailMessage, c.msg)
		}
	}
	if strings.Contains(strings.ToLower(obs.FailMessage), strings.ToLower(marker)) {
		t.Errorf("message quotes the response: %q", obs.FailMessage)
	}
	if c.dials >= 0 && dl.count() != c.dials {
		t.Errorf("%d connections (%v), want %d", dl.count(), dl.addrs, c.dials)
	}
	t.Logf("%s in %s: %s", obs.FailReason, took.Round(time.Millisecond), obs.FailMessage)
}

// TestRequestHeaders: no credentials, cookies or Referer are sent, even
// after a redirect that sets a cookie.
func TestRequestHeaders(t *testing.T) {
	e := newTestEnv(t)
	f, _ := e.fetcher(t, nil)
	if obs := f.Observe(context.Background(), e.base+"/redir-ok"); obs.FailReason != "" {
		t.Fatalf("%s: %s", obs.FailReason, obs.FailMessage)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.seen) != 1 {
		t.Fatalf("%d requests reached /ok", len(e.seen))
	}
	h := e.seen[0]
	if got := h.Get("User-Agent"); got != UserAgent {
		t.Errorf("User-Agent %q", got)
	}
	for _, k := range []string{"Authorization", "Cookie", "Referer", "Proxy-Authorization", "Accept-Encoding"} {
		if v := h.Get(k); v != "" {
			t.Errorf("%s: %q sent", k, v)
		}
	}
}

// TestUntrustedCertificate: a server whose certificate is valid for the
// name but signed by no trusted authority.
func TestUntrustedCertificate(t *testing.T) {
	e := newTestEnv(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "untrusted.example.gov"},
		DNSNames:     []string{"untrusted.example.gov"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, okBody) }))
	other.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	other.Config.ErrorLog = log.New(io.Discard, "", 0)
	other.StartTLS()
	defer other.Close()
	otherAP := netip.MustParseAddrPort(other.Listener.Addr().String())
	allow := func(o *FetchOptions) {
		o.AllowAddr = func(ap netip.AddrPort) bool { return ap == e.ap || ap == otherAP }
	}
	f, dl := e.fetcher(t, allow)
	e.run(t, f, dl, fetchCase{
		url:    fmt.Sprintf("https://untrusted.example.gov:%d/", otherAP.Port()),
		reason: v1alpha1.ReasonFetchFailed,
		msg:    "unknown authority",
		dials:  1,
	})
	// Trusted, the same server is fetched: the failure above is the trust.
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(nil)
	cert, _ := x509.ParseCertificate(der)
	pool.AddCert(cert)
	f, dl = e.fetcher(t, func(o *FetchOptions) { allow(o); o.RootCAs = pool })
	e.run(t, f, dl, fetchCase{url: fmt.Sprintf("https://untrusted.example.gov:%d/", otherAP.Port()), body: okBody, dials: 1})
}

// TestProxyEnvironmentIgnored: HTTPS_PROXY and friends pointing at a local
// listener receive nothing; the fetch goes straight to the checked address.
func TestProxyEnvironmentIgnored(t *testing.T) {
	e := newTestEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	proxy := "http://" + ln.Addr().String()
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"} {
		t.Setenv(k, proxy)
	}
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	f, dl := e.fetcher(t, nil)
	if f.client.Transport.(*http.Transport).Proxy != nil {
		t.Error("the transport has a Proxy function")
	}
	e.run(t, f, dl, fetchCase{url: e.base + "/ok", body: okBody, dials: 1})
	if n := accepted.Load(); n != 0 {
		t.Errorf("the proxy from the environment received %d connections", n)
	}
}

// TestControlRechecks: the socket-level hook refuses what the resolver-level
// check refuses, should anything dial around it.
func TestControlRechecks(t *testing.T) {
	e := newTestEnv(t)
	f, _ := e.fetcher(t, nil)
	for _, a := range []string{"127.0.0.1:1", "[::1]:443", "169.254.169.254:443", "10.0.0.1:443", "[::ffff:8.8.8.8]:443", "[fe80::1%lo]:443", "not-an-address"} {
		var refused *refusedAddrError
		if err := f.control(context.Background(), "tcp", a, nil); !errors.As(err, &refused) {
			t.Errorf("control(%s) = %v, want a refusal", a, err)
		}
	}
	for _, a := range []string{e.ap.String(), "8.8.8.8:443", "[2606:4700:4700::1111]:443"} {
		if err := f.control(context.Background(), "tcp", a, nil); err != nil {
			t.Errorf("control(%s) = %v", a, err)
		}
	}
	// And it is wired into the dialer: dialing around dialContext is refused
	// before any packet is sent.
	_, err := f.dialer.DialContext(context.Background(), "tcp", "127.0.0.1:1")
	var refused *refusedAddrError
	if !errors.As(err, &refused) {
		t.Errorf("dialing 127.0.0.1:1 directly: %v, want a refusal from Control", err)
	}
}

// TestZeroOptions: the zero value fetches nothing, without a lookup.
func TestZeroOptions(t *testing.T) {
	obs := NewFetcher(FetchOptions{}).Observe(context.Background(), "https://example.com/doc.pdf")
	if obs.FailReason != v1alpha1.ReasonHostNotAllowed || !strings.Contains(obs.FailMessage, AllowedHostsFlag) {
		t.Errorf("got %s: %s", obs.FailReason, obs.FailMessage)
	}
}

// TestCancelled: a caller giving up yields Keep, not a failure verdict.
func TestCancelled(t *testing.T) {
	e := newTestEnv(t)
	f, _ := e.fetcher(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if obs := f.Observe(ctx, e.base+"/slow"); !obs.Keep || obs.Checked || obs.FailReason != "" {
		t.Errorf("got %+v, want Keep", obs)
	}
}

// TestDefaultResolverUnmaps: the standard resolver reports an IPv4 literal
// as IPv4-mapped; the production resolver unmaps it so that it is checked
// (and refused) as the IPv4 address it is.
func TestDefaultResolverUnmaps(t *testing.T) {
	got, err := unmappingResolver{net.DefaultResolver}.LookupNetIP(context.Background(), "ip", "10.0.0.1")
	if err != nil || len(got) != 1 || got[0] != netip.MustParseAddr("10.0.0.1") {
		t.Fatalf("got %v, %v", got, err)
	}
	if PublicAddr(got[0]) {
		t.Error("10.0.0.1 is public")
	}
}

// TestAllows: the policy check the controller uses to tell whether a
// stored verdict still holds under today's allow-list, without a fetch.
func TestAllows(t *testing.T) {
	f := NewFetcher(FetchOptions{AllowedHosts: []string{"docs.example.gov", "*.example.org"}})
	for url, want := range map[string]bool{
		"https://docs.example.gov/sop.pdf":      true,
		"https://a.example.org/minutes.pdf":     true,
		"https://example.org/minutes.pdf":       false,
		"https://other.example.gov/sop.pdf":     false,
		"http://docs.example.gov/sop.pdf":       false,
		"https://u:p@docs.example.gov/sop.pdf":  false,
		"https://docs.example.gov.evil/sop.pdf": false,
		"::not a url":                           false,
	} {
		if got := f.Allows(url); got != want {
			t.Errorf("Allows(%q) = %v, want %v", url, got, want)
		}
	}
	if NewFetcher(FetchOptions{}).Allows("https://docs.example.gov/sop.pdf") {
		t.Error("an empty allow-list allows a host")
	}
}

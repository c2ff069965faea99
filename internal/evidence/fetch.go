package evidence

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/concord-operator/concord/api/v1alpha1"
	"github.com/concord-operator/concord/internal/evaluate"
)

// AllowedHostsFlag is the manager flag that lists the hosts URL evidence may
// be fetched from; messages name it.
const AllowedHostsFlag = "--evidence-allowed-hosts"

// UserAgent is sent with every fetch; no other identifying or credential
// header is.
const UserAgent = "concord-evidence"

// Defaults of FetchOptions.
const (
	DefaultMaxBytes       int64 = 32 << 20
	DefaultConnectTimeout       = 10 * time.Second
	DefaultTimeout              = 60 * time.Second
	DefaultMaxRedirects         = 3
)

// FetchOptions configure URL fetching; the zero value fetches nothing (no
// host is allowed).
type FetchOptions struct {
	// AllowedHosts are exact host names, or "*.example.gov" for any
	// subdomain of example.gov (not example.gov itself); case-insensitive;
	// no ports (any port of an allowed host may be fetched); IP literals
	// only when listed exactly. Non-ASCII host names are never allowed (list
	// and use the xn-- form). Entries that are none of these are ignored
	// (see CheckAllowedHosts).
	AllowedHosts []string
	// MaxBytes is the largest document read; default 32 MiB.
	MaxBytes int64
	// ConnectTimeout bounds name resolution plus dialing, and the TLS
	// handshake; default 10s.
	ConnectTimeout time.Duration
	// Timeout is the total per fetch including redirects and reading the
	// body; default 60s.
	Timeout time.Duration
	// MaxRedirects is the most redirects followed; default 3, negative:
	// none.
	MaxRedirects int
	// RootCAs verify servers' certificates; nil: the system pool.
	RootCAs *x509.CertPool
	// Resolver and AllowAddr exist for tests (a local TLS server reached
	// through a fake name); production leaves them nil.
	//
	// Resolver resolves host names; nil: net.DefaultResolver (whose
	// IPv4-mapped answers, as the standard library reports /etc/hosts
	// entries, are unmapped and then checked as the IPv4 addresses the
	// kernel would connect to). Addresses from a non-nil Resolver are
	// checked exactly as returned.
	Resolver interface {
		LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	}
	// AllowAddr is consulted only for addresses PublicAddr refuses, with
	// the exact address and port about to be dialed; nil: refuse them.
	AllowAddr func(netip.AddrPort) bool
}

// Fetcher fetches URL evidence and digests it, refusing anything that could
// turn the manager into a proxy into the cluster or the cloud (SSRF):
//
//   - https only, no credentials in the URL, allowed hosts only, for the
//     URL and for every redirect hop (at most MaxRedirects);
//   - every address a name resolves to must be public (PublicAddr); the
//     connection goes to a checked address (the name is never resolved a
//     second time), and the socket's peer address is checked again just
//     before connect (net.Dialer.Control);
//   - no proxy (HTTP(S)_PROXY are ignored), no cookies, no credentials, no
//     Referer, no compression (the digest is of the bytes served);
//   - bounded in size and time.
//
// A Fetcher is safe for concurrent use.
type Fetcher struct {
	opts     FetchOptions
	exact    map[string]bool
	suffixes []string // ".example.gov" for "*.example.gov"
	resolver interface {
		LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	}
	dialer *net.Dialer
	client *http.Client
	// netDial connects to a checked "ip:port"; tests wrap it to record and
	// guard every connection.
	netDial func(ctx context.Context, network, address string) (net.Conn, error)
}

// NewFetcher returns a Fetcher for o, with defaults filled in.
func NewFetcher(o FetchOptions) *Fetcher {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxRedirects == 0 {
		o.MaxRedirects = DefaultMaxRedirects
	} else if o.MaxRedirects < 0 {
		o.MaxRedirects = 0
	}
	f := &Fetcher{opts: o, exact: map[string]bool{}}
	for _, h := range o.AllowedHosts {
		h, ok := normalizeAllowed(h)
		switch {
		case !ok:
		case strings.HasPrefix(h, "*."):
			f.suffixes = append(f.suffixes, h[1:])
		default:
			f.exact[h] = true
		}
	}
	f.resolver = o.Resolver
	if f.resolver == nil {
		f.resolver = unmappingResolver{net.DefaultResolver}
	}
	f.dialer = &net.Dialer{
		Timeout:        o.ConnectTimeout,
		ControlContext: f.control,
	}
	f.netDial = f.dialer.DialContext
	tr := &http.Transport{
		Proxy:                  nil, // never from the environment
		DialContext:            f.dialContext,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: o.RootCAs},
		TLSHandshakeTimeout:    o.ConnectTimeout,
		ResponseHeaderTimeout:  o.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		DisableCompression:     true,
		DisableKeepAlives:      true, // every fetch resolves and checks afresh
		ForceAttemptHTTP2:      true,
	}
	f.client = &http.Client{
		Transport:     tr,
		CheckRedirect: f.checkRedirect,
		Jar:           nil,
	}
	return f
}

// CheckAllowedHosts reports the first entry NewFetcher would ignore, for
// validating the manager's flag.
func CheckAllowedHosts(hosts []string) error {
	for _, h := range hosts {
		if _, ok := normalizeAllowed(h); !ok {
			return fmt.Errorf("%s: %q is neither a host name, \"*.\" and a domain, nor an IP address", AllowedHostsFlag, h)
		}
	}
	return nil
}

func normalizeAllowed(h string) (string, bool) {
	h = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(h), "."))
	if a, err := netip.ParseAddr(h); err == nil {
		return a.String(), a.Zone() == ""
	}
	name := strings.TrimPrefix(h, "*.")
	if name == "" || !validHostName(name) {
		return "", false
	}
	return h, true
}

// validHostName accepts ASCII letters, digits, '-', '_' and non-empty
// dot-separated labels.
func validHostName(s string) bool {
	for _, label := range strings.Split(s, ".") {
		if label == "" {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// hostAllowed reports whether host (a URL's host name, without port or
// brackets) may be fetched from.
func (f *Fetcher) hostAllowed(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if a, err := netip.ParseAddr(host); err == nil {
		// IP literals: only when listed exactly, never through a wildcard.
		return a.Zone() == "" && f.exact[a.String()]
	}
	if !validHostName(host) {
		return false
	}
	if f.exact[host] {
		return true
	}
	for _, s := range f.suffixes {
		if strings.HasSuffix(host, s) && len(host) > len(s) {
			return true
		}
	}
	return false
}

// checkURL returns why u may not be fetched, or "".
func (f *Fetcher) checkURL(u *url.URL) string {
	switch {
	case u.Scheme != "https":
		return "is not https"
	case u.User != nil:
		return "carries credentials (user:password@)"
	case u.Host == "" || u.Opaque != "":
		return "has no host"
	case !f.hostAllowed(u.Hostname()):
		return "names a host that is not allowed"
	}
	return ""
}

// Allows reports whether rawURL may be fetched at all under the fetcher's
// options (https, no credentials, an allowed host), without fetching it.
// Addresses are checked only when a fetch dials them.
func (f *Fetcher) Allows(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && f.checkURL(u) == ""
}

// Observe fetches rawURL and returns its sha256 digest and size, or the
// reason it could not: HostNotAllowed (not https, credentials in the URL,
// host not allowed, or an address that is loopback/private/...), FetchFailed
// (DNS, connect, TLS, timeout, non-2xx status, too many redirects),
// TooLarge. Messages never contain any of the response body or headers;
// they may state the status code class ("HTTP 4xx"), the host, the size
// limit.
//
// Only the first Content-Length bytes of a response are ever read: Go's
// transport frames the body by Content-Length (or chunked encoding) and
// reports EOF at its end, whatever else the server sends. A declared
// Content-Length above MaxBytes is TooLarge without reading; otherwise at
// most MaxBytes+1 bytes are read.
//
// Every completed attempt is Checked. If ctx ends before the attempt
// completes (not the fetch's own Timeout), the result is Keep: the source
// was not read this time.
func (f *Fetcher) Observe(ctx context.Context, rawURL string) evaluate.Observation {
	u, err := url.Parse(rawURL)
	if err != nil {
		return refuse("The URL is not a valid https URL")
	}
	if why := f.checkURL(u); why != "" {
		host := strings.ToLower(u.Hostname())
		switch {
		case why == "names a host that is not allowed" && len(f.exact) == 0 && len(f.suffixes) == 0:
			return refuse(fmt.Sprintf("No host is allowed: URL evidence is fetched only from the hosts listed by the manager's flag %s", AllowedHostsFlag))
		case why == "names a host that is not allowed":
			return refuse(fmt.Sprintf("Host %q is not allowed by the manager's flag %s", host, AllowedHostsFlag))
		default:
			return refuse(fmt.Sprintf("The URL %s; only https URLs of allowed hosts, without credentials, are fetched", why))
		}
	}
	host := strings.ToLower(u.Hostname())

	st := &fetchState{}
	rctx, cancel := context.WithTimeout(context.WithValue(ctx, fetchStateKey{}, st), f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return refuse("The URL is not a valid https URL")
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "*/*")

	resp, err := f.client.Do(req)
	if err != nil {
		return f.failure(ctx, err, host, st)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return failed(fmt.Sprintf("Host %q answered HTTP %dxx%s", host, resp.StatusCode/100, st.via()))
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return f.tooLarge(host)
	}
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if n > f.opts.MaxBytes {
		return f.tooLarge(host)
	}
	if err != nil {
		return f.failure(ctx, err, host, st)
	}
	return evaluate.Observation{Digest: "sha256:" + hex.EncodeToString(h.Sum(nil)), Size: n, Checked: true}
}

func refuse(msg string) evaluate.Observation {
	return evaluate.Observation{FailReason: v1alpha1.ReasonHostNotAllowed, FailMessage: msg, Checked: true}
}

func failed(msg string) evaluate.Observation {
	return evaluate.Observation{FailReason: v1alpha1.ReasonFetchFailed, FailMessage: msg, Checked: true}
}

func (f *Fetcher) tooLarge(host string) evaluate.Observation {
	return evaluate.Observation{
		FailReason:  v1alpha1.ReasonTooLarge,
		FailMessage: fmt.Sprintf("The document at host %q is larger than the limit of %s", host, sizeString(f.opts.MaxBytes)),
		Checked:     true,
	}
}

func sizeString(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// fetchState follows one Observe through its redirects (the client is
// shared, so it travels in the request's context).
type fetchState struct{ redirects int }

type fetchStateKey struct{}

// via names the redirects in a message without naming their targets (which
// came from a response header).
func (s *fetchState) via() string {
	switch s.redirects {
	case 0:
		return ""
	case 1:
		return " (after a redirect)"
	}
	return fmt.Sprintf(" (after %d redirects)", s.redirects)
}

// checkRedirect allows a hop only to an https URL of an allowed host,
// without credentials, and at most MaxRedirects of them. The address check
// applies to the hop's connection as to any other. It drops the Referer the
// client adds, which would carry the previous URL (query included) to the
// next host.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if st, ok := req.Context().Value(fetchStateKey{}).(*fetchState); ok {
		st.redirects = len(via)
	}
	if why := f.checkURL(req.URL); why != "" {
		return &redirectRefusedError{why: why}
	}
	if len(via) > f.opts.MaxRedirects {
		return &tooManyRedirectsError{max: f.opts.MaxRedirects}
	}
	req.Header.Del("Referer")
	req.Header.Del("Authorization")
	req.Header.Del("Cookie")
	return nil
}

// refusedAddrError: the dial refused a host or address (not allowed, not
// public, or not parseable).
type refusedAddrError struct {
	host, addr string
	notAllowed bool // the host, not an address, is refused
}

func (e *refusedAddrError) Error() string {
	if e.notAllowed {
		return fmt.Sprintf("evidence: refusing to connect to %s: not an allowed host", e.host)
	}
	return fmt.Sprintf("evidence: refusing to connect to %s (%s): not a public address", e.host, e.addr)
}

type redirectRefusedError struct{ why string }

func (e *redirectRefusedError) Error() string {
	return "evidence: redirect refused: the target " + e.why
}

type tooManyRedirectsError struct{ max int }

func (e *tooManyRedirectsError) Error() string {
	return fmt.Sprintf("evidence: stopped after %d redirects", e.max)
}

// permitted: PublicAddr, or the test hook for this exact address and port.
func (f *Fetcher) permitted(ap netip.AddrPort) bool {
	return PublicAddr(ap.Addr()) || f.opts.AllowAddr != nil && f.opts.AllowAddr(ap)
}

// dialContext resolves the host the transport asks for, refuses the whole
// name if any of its addresses is not permitted, and connects to the checked
// addresses in turn (never to the name, so nothing is resolved twice).
func (f *Fetcher) dialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("evidence: invalid port %q", portStr)
	}
	if !f.hostAllowed(host) {
		return nil, &refusedAddrError{host: host, notAllowed: true}
	}
	ctx, cancel := context.WithTimeout(ctx, f.opts.ConnectTimeout)
	defer cancel()
	addrs, err := f.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	aps := make([]netip.AddrPort, len(addrs))
	for i, a := range addrs {
		aps[i] = netip.AddrPortFrom(a, uint16(port))
		if !f.permitted(aps[i]) {
			return nil, &refusedAddrError{host: host, addr: a.String()}
		}
	}
	var first error
	for _, ap := range aps {
		c, err := f.netDial(ctx, network, ap.String())
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

func (f *Fetcher) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	addrs, err := f.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	return addrs, nil
}

// control re-checks, on the socket about to connect, the address it
// connects to: defence in depth should anything but dialContext ever dial.
func (f *Fetcher) control(_ context.Context, _, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !f.permitted(ap) {
		return &refusedAddrError{host: "(socket)", addr: address}
	}
	return nil
}

// unmappingResolver is net.DefaultResolver with IPv4-mapped answers
// unmapped: the standard library reports IP literals and /etc/hosts IPv4
// entries as ::ffff:a.b.c.d, and dials such an address as the IPv4 a.b.c.d;
// so it is checked as that IPv4 address (a mapped private address is still
// refused).
type unmappingResolver struct{ r *net.Resolver }

func (u unmappingResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	addrs, err := u.r.LookupNetIP(ctx, network, host)
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, err
}

// failure maps an error of the request or of reading the body to a reason
// and a message written here: never the error text of anything that may
// quote the response (malformed responses, HTTP/2 GOAWAY debug data,
// certificate names), nor the URL of a redirect.
func (f *Fetcher) failure(parent context.Context, err error, host string, st *fetchState) evaluate.Observation {
	via := st.via()
	var (
		refused  *refusedAddrError
		redirect *redirectRefusedError
		tooMany  *tooManyRedirectsError
		dnsErr   *net.DNSError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
		alert    tls.AlertError
		record   tls.RecordHeaderError
		opErr    *net.OpError
		netErr   net.Error
	)
	switch {
	case errors.As(err, &refused) && refused.notAllowed:
		return refuse(fmt.Sprintf("Host %q%s: the host connected to is not allowed by the manager's flag %s", host, via, AllowedHostsFlag))
	case errors.As(err, &refused) && st.redirects > 0:
		return refuse(fmt.Sprintf("A redirect from host %q led to a host whose address is not public (loopback, private, link-local or reserved); it is not fetched", host))
	case errors.As(err, &refused):
		return refuse(fmt.Sprintf("Host %q resolves to an address that is not public (loopback, private, link-local or reserved); it is not fetched", host))
	case errors.As(err, &redirect):
		return refuse(fmt.Sprintf("Host %q redirected to a URL that %s; only https URLs of allowed hosts, without credentials, are followed", host, redirect.why))
	case errors.As(err, &tooMany):
		return failed(fmt.Sprintf("Host %q redirected more than %d times", host, tooMany.max))
	case parent.Err() != nil:
		// Not our Timeout: the caller gave up (shutdown); nothing was learnt.
		return evaluate.Observation{Keep: true}
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		return failed(fmt.Sprintf("Fetching from host %q hit a timeout%s (connect %s, total %s)", host, via, f.opts.ConnectTimeout, f.opts.Timeout))
	case errors.As(err, &dnsErr):
		return failed(fmt.Sprintf("Resolving host %q%s failed: %s", host, via, dnsErr.Err))
	case errors.As(err, &unknown):
		return failed(fmt.Sprintf("The TLS certificate of host %q%s is signed by an unknown authority", host, via))
	case errors.As(err, &hostErr):
		return failed(fmt.Sprintf("The TLS certificate presented%s is not valid for the host it was fetched from (URL host %q)", via, host))
	case errors.As(err, &invalid):
		what := "is invalid"
		if invalid.Reason == x509.Expired {
			what = "has expired or is not yet valid"
		}
		return failed(fmt.Sprintf("The TLS certificate of host %q%s %s", host, via, what))
	case errors.As(err, &alert):
		return failed(fmt.Sprintf("The TLS handshake with host %q%s failed: %s", host, via, alert.Error()))
	case errors.As(err, &record):
		return failed(fmt.Sprintf("Host %q%s does not speak TLS on that port", host, via))
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return failed(fmt.Sprintf("Connecting to host %q%s failed: %s", host, via, syscallText(opErr.Err)))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET):
		return failed(fmt.Sprintf("Host %q%s closed the connection before the response was complete", host, via))
	}
	if t := innermost(err).Error(); strings.HasPrefix(t, "tls: ") && !strings.ContainsAny(t, "\"'`") {
		// crypto/tls's own handshake errors are fixed texts.
		return failed(fmt.Sprintf("The TLS handshake with host %q%s failed: %s", host, via, t))
	}
	return failed(fmt.Sprintf("Fetching from host %q%s failed: the connection broke or the response was malformed", host, via))
}

// syscallText is the operating system's text for a dial error (such as
// "connect: connection refused"), or a fixed text for anything else.
func syscallText(err error) string {
	var se *net.AddrError
	if errors.As(err, &se) {
		return "invalid address"
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	return "the connection could not be established"
}

func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

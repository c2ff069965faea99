package evidence

import "net/netip"

// refusedV4 are the IPv4 ranges a URL fetch never connects to: everything
// that is not ordinary public unicast, or that reaches the node, the
// cluster, the cloud provider's metadata service or a private network.
var refusedV4 = prefixes(
	"0.0.0.0/8",       // "this network", including the unspecified 0.0.0.0
	"10.0.0.0/8",      // RFC 1918 private
	"100.64.0.0/10",   // CGNAT shared address space
	"127.0.0.0/8",     // loopback
	"169.254.0.0/16",  // link-local, including 169.254.169.254 (cloud metadata)
	"172.16.0.0/12",   // RFC 1918 private
	"192.0.0.0/24",    // IETF protocol assignments
	"192.0.2.0/24",    // documentation (TEST-NET-1)
	"192.88.99.0/24",  // deprecated 6to4 relay anycast
	"192.168.0.0/16",  // RFC 1918 private
	"198.18.0.0/15",   // benchmarking
	"198.51.100.0/24", // documentation (TEST-NET-2)
	"203.0.113.0/24",  // documentation (TEST-NET-3)
	"224.0.0.0/4",     // multicast
	"240.0.0.0/4",     // reserved, including the broadcast 255.255.255.255
)

// globalV6 is the only IPv6 block fetched from (global unicast). Outside it
// lie the unspecified ::, loopback ::1, IPv4-compatible ::/96, IPv4-mapped
// ::ffff:0:0/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, discard 100::/64,
// unique-local fc00::/7, link-local fe80::/10, site-local fec0::/10 and
// multicast ff00::/8: all refused.
var globalV6 = netip.MustParsePrefix("2000::/3")

// refusedV6 are the parts of 2000::/3 that are refused nonetheless.
var refusedV6 = prefixes(
	"2001::/23",     // IETF special purpose: Teredo 2001::/32 (embeds IPv4), benchmarking, ORCHID
	"2001:db8::/32", // documentation
	"2002::/16",     // 6to4 (embeds an IPv4 address)
	"3fff::/20",     // documentation
)

func prefixes(ss ...string) []netip.Prefix {
	ps := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		ps[i] = netip.MustParsePrefix(s)
	}
	return ps
}

// PublicAddr reports whether a URL fetch may connect to a: an ordinary
// public unicast address. It is false for the unspecified, loopback,
// link-local, private (RFC 1918), CGNAT, unique-local, site-local,
// multicast, broadcast, reserved, benchmarking and documentation ranges,
// for every IPv6 address that embeds an IPv4 one (IPv4-mapped,
// IPv4-compatible, NAT64, 6to4, Teredo) whatever that IPv4 address is, and
// for any address with a zone.
func PublicAddr(a netip.Addr) bool {
	if !a.IsValid() || a.Zone() != "" {
		return false
	}
	if a.Is4() {
		return !inAny(a, refusedV4)
	}
	// Is4In6 is IPv6 here: refused outright rather than unmapped, so that
	// ::ffff:10.0.0.1 can never pass as an IPv6 address. (2000::/3 excludes
	// it as well; the explicit test documents the intent.)
	if a.Is4In6() || !globalV6.Contains(a) {
		return false
	}
	return !inAny(a, refusedV6)
}

func inAny(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

package dnsx

import (
	"bufio"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// resolvConf is where the system names its resolvers (resolv.conf(5)).
const resolvConf = "/etc/resolv.conf"

// fallbackServer is used when resolv.conf names none, as glibc does.
const fallbackServer = "127.0.0.1:53"

// systemServer returns the first nameserver of /etc/resolv.conf, else
// 127.0.0.1:53.
func systemServer() string { return serverFromResolvConf(resolvConf) }

// serverFromResolvConf returns the first valid "nameserver ADDR" line of
// the file at path as "host:53" (resolv.conf has no way to name a port),
// or fallbackServer.
func serverFromResolvConf(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return fallbackServer
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || fields[0] != "nameserver" {
			continue
		}
		if ip, err := netip.ParseAddr(fields[1]); err == nil {
			return netip.AddrPortFrom(ip, 53).String()
		}
	}
	return fallbackServer
}

// ParseServer checks the address of a DNS server given by a user, an IP
// address with an optional port ("10.0.0.2", "10.0.0.2:5353", "::1",
// "[::1]:5353"), and returns it as "host:port", the port 53 when none is
// given (RFC 1035 §4.2). A name is refused: it would take a resolver to
// find the resolver.
func ParseServer(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("dnsx: empty resolver address: want an IP address with an optional port, such as 10.0.0.2 or [::1]:53")
	}
	host, port := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"), "53"
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
	} else if strings.Count(s, ":") == 1 || strings.HasPrefix(s, "[") && !strings.HasSuffix(s, "]") {
		return "", fmt.Errorf("dnsx: resolver %q: %w", s, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return "", fmt.Errorf("dnsx: resolver %q: want an IP address (a name would itself need a resolver), such as 10.0.0.2 or [::1]:53", s)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("dnsx: resolver %q: port %q: want a number from 1 to 65535", s, port)
	}
	return net.JoinHostPort(ip.String(), port), nil
}

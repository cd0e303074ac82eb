package dnsx

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// FQDN checks that s is a domain name this package can ask about and
// returns it fully qualified ("example.com."). It takes the host names of
// RFC 1035 §2.3.1 (letters, digits, hyphens) plus underscores, in labels
// of 1 to 63 octets and 253 in all without the final dot (RFC 1035
// §2.3.4). A name in Unicode must be given in its ASCII form
// ("xn--fiqs8s", RFC 5890); an IP address is not a domain.
func FQDN(s string) (string, error) {
	name := strings.TrimSuffix(s, ".")
	switch {
	case name == "":
		return "", fmt.Errorf("dnsx: %q: empty domain name", s)
	case len(name) > 253:
		return "", fmt.Errorf("dnsx: %.40q...: longer than 253 characters (RFC 1035 §2.3.4)", s)
	}
	if _, err := netip.ParseAddr(strings.Trim(name, "[]")); err == nil {
		return "", fmt.Errorf("dnsx: %q is an IP address, not a domain name", s)
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" {
			return "", fmt.Errorf("dnsx: %q: empty label (two dots in a row, or a leading dot)", s)
		}
		if len(label) > 63 {
			return "", fmt.Errorf("dnsx: %q: label %.20q... longer than 63 characters (RFC 1035 §2.3.4)", s, label)
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			switch {
			case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
			case c >= 0x80:
				return "", fmt.Errorf("dnsx: %q: not ASCII; give an internationalized name in its xn-- form (RFC 5890)", s)
			default:
				return "", fmt.Errorf("dnsx: %q: character %q is not allowed in a host name", s, c)
			}
		}
	}
	return name + ".", nil
}

// presentName gives a name from a reply in the text form of RFC 1035
// §5.1: octets that are not printable ASCII, and the backslash, are
// escaped as \DDD, so a hostile server cannot put control characters on
// the user's terminal. (dnsmessage already refuses dots inside labels.)
func presentName(n dnsmessage.Name) string {
	s := n.String()
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			b.WriteByte('\\')
			d := strconv.Itoa(int(c))
			b.WriteString(strings.Repeat("0", 3-len(d)) + d)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// sameName compares names as DNS does: ASCII letters match whatever their
// case (RFC 1035 §2.3.3, RFC 4343).
func sameName(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// typeName gives the mnemonic of a record type, as "MX".
func typeName(t dnsmessage.Type) string {
	return strings.TrimPrefix(t.String(), "Type")
}

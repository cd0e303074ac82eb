package dnsx

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/dns/dnsmessage"
)

func TestFQDN(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"qq.com", "qq.com.", ""},
		{"QQ.com.", "QQ.com.", ""},
		{"_dmarc.example.com", "_dmarc.example.com.", ""},
		{"xn--fiqs8s", "xn--fiqs8s.", ""},
		{"", "", "empty domain name"},
		{".", "", "empty domain name"},
		{"a..b", "", "empty label"},
		{".a", "", "empty label"},
		{"中国", "", "xn-- form"},
		{"a b", "", "not allowed"},
		{"a\nb", "", "not allowed"},
		{"192.0.2.1", "", "is an IP address"},
		{"[2001:db8::1]", "", "is an IP address"},
		{"a\x00b.test", "", "not allowed"},
	}
	long := ""
	for range 64 {
		long += "a"
	}
	tests = append(tests, struct{ in, want, err string }{long + ".com", "", "longer than 63"})
	name := ""
	for range 64 {
		name += "abc."
	}
	tests = append(tests, struct{ in, want, err string }{name, "", "longer than 253"})
	for _, tt := range tests {
		got, err := FQDN(tt.in)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err, "%q", tt.in)
			continue
		}
		require.NoError(t, err, "%q", tt.in)
		assert.Equal(t, tt.want, got)
	}
}

func TestPresentName(t *testing.T) {
	n := dnsmessage.Name{Length: 8}
	copy(n.Data[:], "a\x1bb\\c\xffd.")
	assert.Equal(t, `a\027b\092c\255d.`, presentName(n))
	assert.Equal(t, "mx.qq.com.", presentName(dnsmessage.MustNewName("mx.qq.com.")))
}

func TestParseServer(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"10.0.0.2", "10.0.0.2:53", ""},
		{"10.0.0.2:5353", "10.0.0.2:5353", ""},
		{"::1", "[::1]:53", ""},
		{"[::1]", "[::1]:53", ""},
		{"[2001:db8::53]:5353", "[2001:db8::53]:5353", ""},
		{"", "", "empty"},
		{"dns.google", "", "want an IP address"},
		{"dns.google:53", "", "want an IP address"},
		{"10.0.0.2:0", "", "from 1 to 65535"},
		{"10.0.0.2:dns", "", "from 1 to 65535"},
		{"10.0.0.2:", "", "from 1 to 65535"},
		{"10.0.0.2:99999", "", "from 1 to 65535"},
		{"[::1", "", "resolver"},
	}
	for _, tt := range tests {
		got, err := ParseServer(tt.in)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err, "%q", tt.in)
			continue
		}
		require.NoError(t, err, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}

func TestResolverServerAddr(t *testing.T) {
	for in, want := range map[string]string{"127.0.0.1:5353": "127.0.0.1:5353", "127.0.0.1": "127.0.0.1:53", "ns.test:53": "ns.test:53"} {
		got, err := (&Resolver{Server: in}).ServerAddr()
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := (&Resolver{Server: "ns.test"}).ServerAddr()
	assert.Error(t, err)
}

func TestServerFromResolvConf(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	assert.Equal(t, "10.0.0.2:53", serverFromResolvConf(write("a", "# comment\nsearch corp.test\nnameserver bogus\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n")))
	assert.Equal(t, "[2001:db8::53]:53", serverFromResolvConf(write("b", "nameserver 2001:db8::53\n")))
	assert.Equal(t, "[fe80::1%eth0]:53", serverFromResolvConf(write("c", "nameserver fe80::1%eth0\n")))
	assert.Equal(t, "127.0.0.1:53", serverFromResolvConf(write("d", "options ndots:2\n")))
	assert.Equal(t, "127.0.0.1:53", serverFromResolvConf(filepath.Join(dir, "missing")))
}

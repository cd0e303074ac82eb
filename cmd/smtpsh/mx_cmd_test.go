package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/dnsx/dnstest"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/dns/dnsmessage"
)

// startMXDNS runs a fake DNS server on loopback; no test here asks a real
// DNS server or connects to a real port 25.
func startMXDNS(t *testing.T) string {
	t.Helper()
	srv, err := dnstest.NewServer(dnstest.Zone{
		Records: []dnsmessage.Resource{
			dnstest.MX("example.test", 20, "mx2.example.test"),
			dnstest.MX("example.test", 10, "mx1.example.test"),
			dnstest.MX("example.test", 10, "mx0.example.test"),
			dnstest.A("mx0.example.test", "192.0.2.1"),
			dnstest.AAAA("mx0.example.test", "2001:db8::1"),
			dnstest.A("mx1.example.test", "192.0.2.2"),
			// mx2.example.test does not exist.

			dnstest.A("implicit.test", "192.0.2.10"),
			dnstest.MX("null.test", 0, "."),
			dnstest.MX("dangling.test", 10, "gone.test"),
			dnstest.MX("slow.test", 10, "mx.slow.test"),

			// Every probed MX host is 127.0.0.1; --port picks the server.
			dnstest.MX("probe.test", 10, "localhost"),
			dnstest.A("localhost", "127.0.0.1"),
		},
		RCodes: map[string]dnsmessage.RCode{"servfail.test": dnsmessage.RCodeServerFailure},
		Faults: map[string]dnstest.Fault{"slow.test": dnstest.Silent},
	})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv.Addr()
}

// stable replaces what changes from run to run.
func stable(s, dnsAddr string) string {
	s = strings.ReplaceAll(s, dnsAddr, "DNS")
	s = regexp.MustCompile(`\(resolver DNS, [^)]+\)`).ReplaceAllString(s, "(resolver DNS, TIME)")
	return regexp.MustCompile(`\(<?[0-9.]+[mµn]?s\)|in <?[0-9.]+[mµn]?s`).ReplaceAllString(s, "TIME")
}

func TestMXList(t *testing.T) {
	dns := startMXDNS(t)
	code, stdout, stderr := runCmd(t, "", "mx", "example.test", "--resolver", dns)
	assert.Equal(t, repl.ExitOK, code, stderr)
	assert.Equal(t, `# MX records of example.test (resolver DNS, TIME)
10  mx0.example.test.  192.0.2.1, 2001:db8::1
10  mx1.example.test.  192.0.2.2
20  mx2.example.test.  (no address: mx2.example.test. does not exist (NXDOMAIN from DNS))
`, stable(stdout, dns))
	assert.Empty(t, stderr)
}

func TestMXImplicitAndUnreachable(t *testing.T) {
	dns := startMXDNS(t)
	code, stdout, _ := runCmd(t, "", "mx", "--resolver", dns, "IMPLICIT.test.")
	assert.Equal(t, repl.ExitOK, code)
	assert.Equal(t, `# MX records of IMPLICIT.test (resolver DNS, TIME)
# no MX records: mail goes to the domain's own address (implicit MX, RFC 5321 §5.1)
0  IMPLICIT.test.  192.0.2.10
`, stable(stdout, dns))

	code, stdout, _ = runCmd(t, "", "mx", "--resolver", dns, "dangling.test")
	assert.Equal(t, repl.ExitOK, code, "the records were found")
	assert.Contains(t, stdout, "# no MX host has an address: mail to this domain cannot be delivered")
}

func TestMXDNSFailures(t *testing.T) {
	dns := startMXDNS(t)
	tests := []struct{ domain, stderr, kind string }{
		{"nosuch.test", "nosuch.test. does not exist (NXDOMAIN from DNS)\n# check the spelling", "nxdomain"},
		{"null.test", "null.test. accepts no mail: it publishes a null MX (RFC 7505", "null_mx"},
		{"servfail.test", "DNS answered SERVFAIL for servfail.test. MX", "servfail"},
		{"slow.test", "DNS timed out: no reply for slow.test. MX over udp (3 tries, 50ms each)\n# the resolver did not answer", "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			start := time.Now()
			code, stdout, stderr := runCmd(t, "", "mx", tt.domain, "--resolver", dns, "--dns-timeout", "50ms")
			assert.Less(t, time.Since(start), 5*time.Second)
			assert.Equal(t, repl.ExitConnect, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stable(stderr, dns), tt.stderr)

			code, stdout, _ = runCmd(t, "", "mx", tt.domain, "--resolver", dns, "--dns-timeout", "50ms", "--json")
			assert.Equal(t, repl.ExitConnect, code)
			var rep mxReport
			require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
			assert.Equal(t, tt.kind, rep.ErrorKind)
			assert.NotEmpty(t, rep.Error)
			assert.Empty(t, rep.MX)
		})
	}
}

func TestMXUsage(t *testing.T) {
	for _, args := range [][]string{
		{"mx"},
		{"mx", "a.test", "b.test"},
		{"mx", "--nosuch", "a.test"},
		{"mx", "a.test", "--resolver", "dns.google"},
		{"mx", "a.test", "--resolver", "127.0.0.1:0"},
		{"mx", "a.test", "--resolver", "127.0.0.1:domain"},
		{"mx", "192.0.2.1"},
		{"mx", "a..test"},
		{"mx", "例子.test"},
		{"mx", "a.test", "--port", "0"},
	} {
		code, stdout, stderr := runCmd(t, "", args...)
		assert.Equal(t, repl.ExitUsage, code, "%q", args)
		assert.Empty(t, stdout, "%q", args)
		assert.NotEmpty(t, stderr, "%q says why", args)
	}
	code, _, stderr := runCmd(t, "", "mx", "--help")
	assert.Equal(t, repl.ExitOK, code)
	assert.Contains(t, stderr, "usage: smtpsh mx DOMAIN")
}

func TestMXJSON(t *testing.T) {
	dns := startMXDNS(t)
	code, stdout, _ := runCmd(t, "", "mx", "example.test", "--resolver", dns, "--json")
	require.Equal(t, repl.ExitOK, code)
	var rep struct {
		Domain   string
		Resolver string
		Implicit bool
		MX       []struct {
			Host      string
			Pref      int
			Addrs     []string
			AddrError string `json:"addr_error"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	assert.Equal(t, "example.test", rep.Domain)
	assert.Equal(t, dns, rep.Resolver)
	require.Len(t, rep.MX, 3)
	assert.Equal(t, "mx0.example.test.", rep.MX[0].Host)
	assert.Equal(t, 10, rep.MX[0].Pref)
	assert.Equal(t, []string{"192.0.2.1", "2001:db8::1"}, rep.MX[0].Addrs)
	assert.Empty(t, rep.MX[0].AddrError)
	assert.Equal(t, 20, rep.MX[2].Pref)
	assert.Empty(t, rep.MX[2].Addrs)
	assert.Contains(t, rep.MX[2].AddrError, "does not exist")
}

func portOf(t *testing.T, addr string) string {
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	return port
}

func TestMXProbe(t *testing.T) {
	dns := startMXDNS(t)
	srv, err := smtptest.NewMailServer(nil)
	require.NoError(t, err)
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, smtptest.CAPEM(), 0o644))
	port := portOf(t, srv.Addr())

	code, stdout, stderr := runCmd(t, "", "mx", "probe.test", "--resolver", dns, "--probe", "--port", port, "--ca", ca, "--timeout", "5s")
	assert.Equal(t, repl.ExitOK, code, stderr)
	out := stable(strings.ReplaceAll(stdout, port, "PORT"), dns)
	assert.Contains(t, out, "10  localhost.  127.0.0.1\n")
	assert.Contains(t, out, "outbound port 25 is blocked by most cloud providers")
	assert.Contains(t, out, "## localhost. (preference 10)\n   connect   127.0.0.1:PORT TIME\n   banner    220 smtpsh.demo ESMTP smtpsh demo server TIME\n")
	assert.Regexp(t, `   EHLO      \d+ extensions: .*STARTTLS`, out)
	assert.Contains(t, out, "   STARTTLS  offered\n")
	assert.Regexp(t, `   TLS       TLS 1\.[23], TLS_\w+, certificate verified for localhost TIME\n`, out)

	// In Chinese, the steps and their words are too; columns stay aligned
	// (a Chinese character is two columns wide).
	code, stdout, stderr = runCmd(t, "", "mx", "probe.test", "--resolver", dns, "--probe", "--port", port, "--ca", ca, "--lang", "zh")
	assert.Equal(t, repl.ExitOK, code, stderr)
	assert.Regexp(t, `\n   连接      127\.0\.0\.1:`+port+`,用时 \S+\n   问候语    220 smtpsh\.demo `, stdout)
	assert.Contains(t, stdout, "\n   STARTTLS  已提供\n")
	assert.NotContains(t, stdout, " in ")

	// Without the test CA the certificate does not verify: reported, not fatal.
	code, stdout, _ = runCmd(t, "", "mx", "probe.test", "--resolver", dns, "--probe", "--port", port, "--json")
	assert.Equal(t, repl.ExitOK, code)
	var rep mxReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	require.Len(t, rep.MX, 1)
	p := rep.MX[0].Probe
	require.NotNil(t, p)
	assert.Equal(t, "127.0.0.1:"+port, p.Addr)
	assert.Equal(t, "220 smtpsh.demo ESMTP smtpsh demo server", p.Banner)
	assert.Contains(t, p.Extensions, "STARTTLS")
	assert.True(t, p.StartTLS)
	assert.NotEmpty(t, p.TLSVersion)
	assert.False(t, p.Verified)
	assert.Contains(t, p.VerifyError, "x509")
	assert.Empty(t, p.Error)
}

func TestMXProbeWithoutTLS(t *testing.T) {
	dns := startMXDNS(t)
	srv, err := smtptest.NewMailServer(&smtptest.MailServerOptions{NoTLS: true})
	require.NoError(t, err)
	defer srv.Close()
	code, stdout, _ := runCmd(t, "", "mx", "probe.test", "--resolver", dns, "--probe", "--port", portOf(t, srv.Addr()))
	assert.Equal(t, repl.ExitOK, code)
	assert.Contains(t, stdout, "   STARTTLS  not offered: mail to this host travels in clear text\n")
	assert.NotContains(t, stdout, "   TLS ")
}

func TestMXProbeFailures(t *testing.T) {
	dns := startMXDNS(t)

	t.Run("refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		port := portOf(t, ln.Addr().String())
		ln.Close()
		code, stdout, _ := runCmd(t, "", "mx", "probe.test", "--resolver", dns, "--probe", "--port", port, "--timeout", "2s")
		assert.Equal(t, repl.ExitConnect, code)
		assert.Contains(t, stdout, "   connect   failed: ")
		assert.Contains(t, stdout, "refused")
	})

	t.Run("no banner", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close() // hold it open, say nothing
			}
		}()
		start := time.Now()
		code, stdout, _ := runCmd(t, "", "mx", "probe.test", "--resolver", dns, "--probe", "--port", portOf(t, ln.Addr().String()), "--timeout", "200ms")
		assert.Less(t, time.Since(start), 5*time.Second)
		assert.Equal(t, repl.ExitProtocol, code)
		assert.Contains(t, stdout, "   banner    failed: ")
		assert.Contains(t, stdout, "a time-out on port 25 is most often the network blocking it")
	})
}

func TestPrintableLine(t *testing.T) {
	assert.Equal(t, "220 mx.qq.com ESMTP", printableLine("220 mx.qq.com ESMTP"))
	assert.Equal(t, `220 evil\x1b[2J`, printableLine("220 evil\x1b[2J"))
	assert.Equal(t, "220 网易邮箱", printableLine("220 网易邮箱"))
}

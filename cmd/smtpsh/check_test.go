package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/check"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every failure class of the guides' troubleshooting sections ("telnet
// the port, check the security group, iptables/firewall for outbound
// 465, OpenSSL version too old / CA certificates") is made here for real
// on 127.0.0.1, and "smtpsh check --json" must name its layer, its
// problem code, the exit status and the advice. The human output is
// covered by the golden files of smtpwire/check.

// checkReport mirrors the JSON report; unknown fields are an error, so
// a renamed field fails here before it breaks a script.
type checkReport struct {
	Target   string `json:"target"`
	Host     string `json:"host"`
	Port     int    `json:"port"`
	TLSMode  string `json:"tls_mode"`
	Provider string `json:"provider"`
	Stages   []struct {
		Name       string   `json:"name"`
		Status     string   `json:"status"`
		DurationMS int64    `json:"duration_ms"`
		Seen       []string `json:"seen"`
		Problem    string   `json:"problem"`
		Advice     []string `json:"advice"`
	} `json:"stages"`
	Verdict struct {
		Layer   string `json:"layer"`
		OK      bool   `json:"ok"`
		Problem string `json:"problem"`
		Message string `json:"message"`
		Fix     string `json:"fix"`
	} `json:"verdict"`
}

// stage returns what a stage saw, its status and advice, as text.
func (r checkReport) stage(name string) (status, seen, advice string) {
	for _, st := range r.Stages {
		if st.Name == name {
			return st.Status, strings.Join(st.Seen, "\n"), strings.Join(st.Advice, "\n")
		}
	}
	return "", "", ""
}

var checkNoEnv = func(string) string { return "" }

// checkJSON runs "smtpsh check ARGS --json" with env and parses the report.
func checkJSON(t *testing.T, env checkEnv, args ...string) (int, checkReport) {
	t.Helper()
	code, out, stderr := checkText(t, env, append(args, "--json")...)
	var rep checkReport
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&rep), "stdout: %s\nstderr: %s", out, stderr)
	return code, rep
}

func checkText(t *testing.T, env checkEnv, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if env.getenv == nil {
		env.getenv = checkNoEnv
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code = runCheckEnv(ctx, append([]string{"--ehlo", "client.test"}, args...), strings.NewReader(""), &out, &errb, env)
	return code, out.String(), errb.String()
}

// checkAssert checks the exit status, the failing layer and problem,
// and that the failing stage's advice says each of advice.
func checkAssert(t *testing.T, code int, rep checkReport, exit int, layer, problem string, advice ...string) {
	t.Helper()
	assert.Equal(t, exit, code, "exit status")
	assert.Equal(t, layer, rep.Verdict.Layer)
	assert.Equal(t, problem, rep.Verdict.Problem)
	assert.Equal(t, layer == "", rep.Verdict.OK)
	_, seen, adv := rep.stage(layer)
	for _, a := range advice {
		assert.Contains(t, adv, a, "advice of %s (seen: %s)", layer, seen)
	}
	if layer != "" {
		assert.NotEmpty(t, rep.Verdict.Fix)
	}
}

// checkReplay serves a transcript to one client; tlsConf is the
// certificate at "! tls" (nil: the smtptest one).
func checkReplay(t *testing.T, script string, tlsConf *tls.Config) *smtptest.Server {
	t.Helper()
	s, err := smtptest.Parse(t.Name()+".txt", strings.NewReader(script))
	require.NoError(t, err)
	srv, err := smtptest.NewServer(s, &smtptest.ServeOptions{TLSConfig: tlsConf, Timeout: 10 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv
}

// checkPasswordFile writes a password file for --password-file.
func checkPasswordFile(t *testing.T, pw string) string {
	path := filepath.Join(t.TempDir(), "password")
	require.NoError(t, os.WriteFile(path, []byte(pw+"\n"), 0o600))
	return path
}

// checkListener accepts connections on 127.0.0.1 and hands each to serve,
// in its own goroutine, until the test ends.
func checkListener(t *testing.T, serve func(n int, c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for n := 0; ; n++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() { serve(n, c) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// checkSilent accepts and never says a word, like a TLS port waiting for a
// ClientHello, or a firewall that holds connections.
func checkSilent(int, net.Conn) {}

func checkClosedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// checkResolver answers from a table; a missing name is NXDOMAIN.
type checkResolver map[string][]netip.Addr

func (r checkResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

type checkTimeoutResolver struct{}

func (checkTimeoutResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	return nil, &net.DNSError{Err: "i/o timeout", Name: host, Server: "127.0.0.53:53", IsTimeout: true}
}

var checkLoopback = []netip.Addr{netip.MustParseAddr("127.0.0.1")}

// checkRedirect dials every address at the port given to addr instead, so
// that a provider's host and port lead to a test server.
func checkRedirect(addr string) func(ctx context.Context, network, _ string) (net.Conn, error) {
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
}

func TestCheckDNS(t *testing.T) {
	code, rep := checkJSON(t, checkEnv{resolver: checkResolver{}}, "smtp.qq.con:465")
	checkAssert(t, code, rep, repl.ExitConnect, "dns", check.DNSNotFound, "check the spelling of smtp.qq.con", "smtpsh providers")

	// A provider's own host that does not resolve: this machine's DNS is wrong.
	code, rep = checkJSON(t, checkEnv{resolver: checkResolver{}}, "qq")
	checkAssert(t, code, rep, repl.ExitConnect, "dns", check.DNSNotFound, "the name is right", "/etc/resolv.conf")

	code, rep = checkJSON(t, checkEnv{resolver: checkTimeoutResolver{}}, "smtp.163.com:465")
	checkAssert(t, code, rep, repl.ExitConnect, "dns", check.DNSTimeout, "nslookup smtp.163.com", "port 53")
}

func TestCheckTCPRefused(t *testing.T) {
	code, rep := checkJSON(t, checkEnv{}, checkClosedPort(t))
	checkAssert(t, code, rep, repl.ExitConnect, "tcp", check.TCPRefused, "does not accept connections", "465 is TLS from the first byte")
}

func TestCheckTCPTimeout(t *testing.T) {
	t.Parallel() // waits on time-outs
	// A real time-out needs a blackhole: an address that drops SYN
	// packets. That would be a non-checkLoopback address, which tests must
	// never contact, or a network namespace with an iptables DROP rule,
	// which needs root and iproute2 on CI. An injected dialer that blocks
	// until its context ends is what the check sees from a blackhole.
	var dialled []string
	var mu sync.Mutex
	blackhole := func(ctx context.Context, _, addr string) (net.Conn, error) {
		mu.Lock()
		dialled = append(dialled, addr)
		mu.Unlock()
		<-ctx.Done()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: ctx.Err()}
	}
	env := checkEnv{resolver: checkResolver{"smtp.example.com": checkLoopback}, dial: blackhole}
	code, rep := checkJSON(t, env, "smtp.example.com:25", "--timeout", "300ms")
	checkAssert(t, code, rep, repl.ExitConnect, "tcp", check.TCPTimeout,
		"telnet smtp.example.com 25", "outbound port 25 is blocked", "465", "security group", "iptables -L OUTPUT")
	assert.Equal(t, []string{"127.0.0.1:25"}, dialled)
	_, seen, _ := rep.stage("tcp")
	assert.Contains(t, seen, "no answer within 300ms")

	// The same on 465 says nothing about port 25, and the provider's ports.
	env.resolver = checkResolver{"smtp.qq.com": checkLoopback}
	code, rep = checkJSON(t, env, "qq", "--timeout", "300ms")
	checkAssert(t, code, rep, repl.ExitConnect, "tcp", check.TCPTimeout, "telnet smtp.qq.com 465", "QQ Mail serves SMTP on smtp.qq.com port 465")
	_, _, adv := rep.stage("tcp")
	assert.NotContains(t, adv, "port 25 is blocked")
}

func TestCheckTCPUnreachableAndPartial(t *testing.T) {
	unreachable := func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}
	}
	env := checkEnv{resolver: checkResolver{"mail.test": checkLoopback}, dial: unreachable}
	code, rep := checkJSON(t, env, "mail.test:587")
	checkAssert(t, code, rep, repl.ExitConnect, "tcp", check.TCPUnreachable, "no route", "iptables REJECT")

	// Two addresses, one dead: the check goes on over the other, and warns.
	srv := checkReplay(t, "S: 220 mx.test ESMTP\nC: EHLO client.test\nS: 250 mx.test\nC: QUIT\nS: 221 Bye\n", nil)
	_, port, _ := net.SplitHostPort(srv.Addr())
	env = checkEnv{
		resolver: checkResolver{"mail.test": {netip.MustParseAddr("::1"), netip.MustParseAddr("127.0.0.1")}},
		dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if strings.HasPrefix(addr, "[::1]") {
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}
	code, rep = checkJSON(t, env, "mail.test:"+port)
	checkAssert(t, code, rep, repl.ExitOK, "", "")
	status, seen, adv := rep.stage("tcp")
	assert.Equal(t, "warn", status)
	assert.Contains(t, seen, "[::1]:"+port+": ")
	assert.Contains(t, seen, "127.0.0.1:"+port+": connected")
	assert.Contains(t, adv, "IPv6")
	_, seen, _ = rep.stage("dns")
	assert.Contains(t, seen, "mail.test → ::1, 127.0.0.1")
	assert.NoError(t, srv.Wait())
}

// checkCA is a certificate authority made in the test, and its PEM file
// for --ca.
type checkCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	file string
}

func newCheckCA(t *testing.T, name string) *checkCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	return &checkCA{cert: cert, key: key, file: file}
}

// server returns a server TLS configuration with a certificate for names
// (host names or IP addresses), valid from notBefore to notAfter.
func (ca *checkCA) server(t *testing.T, notBefore, notAfter time.Time, names ...string) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// implicitNoAuth is an implicit-TLS session in which the client must not
// send AUTH: the certificate fails, so credentials stay home.
const implicitNoAuth = `! tls
S: 220 mx.test ESMTP
C: EHLO client.test
S: 250-mx.test
S: 250 AUTH PLAIN LOGIN
C: QUIT
S: 221 2.0.0 Bye
`

func TestCheckCertificates(t *testing.T) {
	ca := newCheckCA(t, "Test Root CA")
	now := time.Now()
	valid := func(names ...string) *tls.Config {
		return ca.server(t, now.Add(-time.Hour), now.AddDate(0, 3, 0), names...)
	}
	tests := []struct {
		name    string
		tls     *tls.Config
		args    []string
		problem string
		seen    string
		advice  []string
	}{
		{"expired", ca.server(t, now.AddDate(0, -3, 0), now.AddDate(0, 0, -2), "127.0.0.1"), []string{"--ca", ca.file},
			check.TLSExpired, "EXPIRED on", []string{"renew", "this machine's clock"}},
		{"not yet valid", ca.server(t, now.AddDate(0, 0, 2), now.AddDate(0, 3, 0), "127.0.0.1"), []string{"--ca", ca.file},
			check.TLSNotYetValid, "NOT VALID YET", []string{"this machine's clock", "timedatectl"}},
		{"wrong name", valid("mail.other.test"), []string{"--ca", ca.file, "--servername", "smtp.qq.com"},
			check.TLSNameMismatch, "the certificate is for mail.other.test, not smtp.qq.com", []string{"--servername NAME", "intercepts TLS"}},
		{"unknown CA", valid("127.0.0.1"), nil,
			check.TLSUnknownAuthority, `UNKNOWN AUTHORITY: "CN=Test Root CA"`, []string{"ca-certificates", "--ca FILE"}},
		{"TLS 1.0 only", func() *tls.Config {
			c := valid("127.0.0.1")
			c.MinVersion, c.MaxVersion = tls.VersionTLS10, tls.VersionTLS10
			return c
		}(), []string{"--ca", ca.file}, check.TLSOldVersion, "TLS 1.0 is the newest version the server offers", []string{"OpenSSL", "TLS 1.2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := checkReplay(t, implicitNoAuth, tt.tls)
			args := append([]string{srv.Addr(), "--tls", "implicit", "--user", "me@mx.test", "--password-file", checkPasswordFile(t, "pw")}, tt.args...)
			code, rep := checkJSON(t, checkEnv{}, args...)
			checkAssert(t, code, rep, repl.ExitTLS, "tls", tt.problem, tt.advice...)
			_, seen, _ := rep.stage("tls")
			assert.Contains(t, seen, tt.seen)
			assert.Contains(t, seen, "certificate: CN=", "the chain is shown even though it failed")
			status, seen, _ := rep.stage("auth")
			assert.Equal(t, "skip", status)
			assert.Contains(t, seen, "smtpsh sends no password")
			assert.NoError(t, srv.Wait(), "the client sent no AUTH over the failed connection")
		})
	}
}

func TestCheckInsecureGoesOn(t *testing.T) {
	ca := newCheckCA(t, "Test Root CA")
	expired := ca.server(t, time.Now().AddDate(0, -3, 0), time.Now().AddDate(0, 0, -2), "127.0.0.1")
	srv := checkReplay(t, `! tls
S: 220 mx.test ESMTP
C: EHLO client.test
S: 250-mx.test
S: 250 AUTH PLAIN LOGIN
C: AUTH PLAIN [redacted]
S: 235 2.7.0 Authentication successful
C: QUIT
S: 221 2.0.0 Bye
`, expired)
	code, rep := checkJSON(t, checkEnv{}, srv.Addr(), "--tls", "implicit", "--insecure", "--ca", ca.file,
		"--user", "me@mx.test", "--password-file", checkPasswordFile(t, "pw"))
	checkAssert(t, code, rep, repl.ExitOK, "", "")
	status, seen, _ := rep.stage("tls")
	assert.Equal(t, "warn", status)
	assert.Contains(t, seen, "because of --insecure")
	assert.NoError(t, srv.Wait())
}

func TestCheckTLSPortMismatch(t *testing.T) {
	t.Parallel() // waits on time-outs
	// Implicit TLS on a plain port: the server's 220 arrives instead of
	// a handshake.
	srv := checkReplay(t, "S: 220 mx.test ESMTP\n", nil)
	code, rep := checkJSON(t, checkEnv{}, srv.Addr(), "--tls", "implicit")
	checkAssert(t, code, rep, repl.ExitTLS, "tls", check.TLSPlaintextPort, "--tls starttls", "SMTP() + starttls()")
	_, seen, _ := rep.stage("tls")
	assert.Contains(t, seen, `answered in plain text: "220 m"`)

	// Plain text (STARTTLS or none) on an implicit-TLS port: no banner,
	// and a TLS handshake on a second connection works.
	ms, err := smtptest.NewMailServer(&smtptest.MailServerOptions{ImplicitTLSAddr: "127.0.0.1:0", Timeout: 5 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { ms.Close() })
	for _, mode := range []string{"starttls", "none", "auto"} {
		code, rep = checkJSON(t, checkEnv{}, ms.ImplicitTLSAddr(), "--tls", mode, "--timeout", "2s")
		checkAssert(t, code, rep, repl.ExitTLS, "tls", check.TLSImplicitPort, "--tls implicit", "SMTP_SSL()")
		_, seen, _ := rep.stage("tls")
		assert.Contains(t, seen, "no banner within 500ms", mode)
		assert.Contains(t, seen, "a TLS handshake on a second connection succeeded (TLS 1.3)", mode)
		status, _, _ := rep.stage("banner")
		assert.Equal(t, "skip", status)
	}

	// A server that sends a TLS alert instead of a banner.
	addr := checkListener(t, func(_ int, c net.Conn) {
		c.Write([]byte("\x15\x03\x01\x00\x02\x02\x32"))
		c.Close()
	})
	code, rep = checkJSON(t, checkEnv{}, addr, "--tls", "none")
	checkAssert(t, code, rep, repl.ExitTLS, "tls", check.TLSImplicitPort, "--tls implicit")
	_, seen, _ = rep.stage("tls")
	assert.Contains(t, seen, "TLS bytes instead of a banner: [15 03 01 00 02 02 32]")
}

func TestCheckSilentServer(t *testing.T) {
	t.Parallel() // waits on time-outs
	addr := checkListener(t, checkSilent)
	// Plain: no banner, and no answer to TLS either.
	code, rep := checkJSON(t, checkEnv{}, addr, "--tls", "none", "--timeout", "1s")
	checkAssert(t, code, rep, repl.ExitProtocol, "banner", check.BannerTimeout, "reverse DNS", "--tls implicit", "--timeout 60s")
	// Implicit TLS: no answer to the ClientHello.
	code, rep = checkJSON(t, checkEnv{}, addr, "--tls", "implicit", "--timeout", "500ms")
	checkAssert(t, code, rep, repl.ExitTLS, "tls", check.TLSHandshakeTimeout, "never answered the TLS handshake")
}

func TestCheckStartTLSFailures(t *testing.T) {
	srv := checkReplay(t, "S: 220 mx.test ESMTP\nC: EHLO client.test\nS: 250-mx.test\nS: 250 AUTH PLAIN LOGIN\nC: QUIT\nS: 221 Bye\n", nil)
	code, rep := checkJSON(t, checkEnv{}, srv.Addr(), "--tls", "starttls")
	checkAssert(t, code, rep, repl.ExitTLS, "tls", check.TLSStartTLSNotOffered, "465 with --tls implicit")
	assert.NoError(t, srv.Wait())

	srv = checkReplay(t, `S: 220 mx.test ESMTP
C: EHLO client.test
S: 250-mx.test
S: 250 STARTTLS
C: STARTTLS
S: 454 4.7.0 TLS not available due to local problem
C: QUIT
S: 221 Bye
`, nil)
	code, rep = checkJSON(t, checkEnv{}, srv.Addr(), "--tls", "starttls")
	checkAssert(t, code, rep, repl.ExitTLS, "tls", check.TLSStartTLSUnavailable, "retry later")
	assert.NoError(t, srv.Wait())

}

func TestCheckBanner(t *testing.T) {
	tests := []struct {
		name, script, problem string
		advice                []string
	}{
		{"554", "S: 554 5.7.1 Your IP 127.0.0.1 is listed on a blocklist\nC: QUIT\nS: 221 Bye\n", check.BannerRefused,
			[]string{"refuses your IP address", "465 or 587"}},
		{"421", "S: 421 4.7.0 mx.test Too many connections, try again later\n", check.BannerBusy, []string{"rate-limited"}},
		{"ssh", "S: SSH-2.0-OpenSSH_9.6\n", check.BannerGarbage, []string{"HTTP, SSH"}},
		{"hangup", "! close\n", check.BannerClosed, []string{"hung up at once"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := checkReplay(t, tt.script, nil)
			code, rep := checkJSON(t, checkEnv{}, srv.Addr())
			checkAssert(t, code, rep, repl.ExitProtocol, "banner", tt.problem, tt.advice...)
			assert.NoError(t, srv.Wait())
		})
	}
}

func TestCheckSlowBanner(t *testing.T) {
	t.Parallel() // waits on time-outs
	s, err := smtptest.Parse("slow.txt", strings.NewReader("S: 220 mx.test ESMTP\nC: EHLO client.test\nS: 250 mx.test\nC: QUIT\nS: 221 Bye\n"))
	require.NoError(t, err)
	served := make(chan error, 1)
	addr := checkListener(t, func(n int, c net.Conn) {
		time.Sleep(800 * time.Millisecond) // like a server waiting for a reverse DNS lookup
		if n == 0 {
			served <- s.Serve(c, &smtptest.ServeOptions{Timeout: 5 * time.Second})
			return
		}
		c.Close() // the TLS probe's connection
	})
	code, rep := checkJSON(t, checkEnv{}, addr, "--timeout", "2s")
	checkAssert(t, code, rep, repl.ExitOK, "", "")
	status, seen, adv := rep.stage("banner")
	assert.Equal(t, "warn", status)
	assert.Contains(t, seen, "220 mx.test ESMTP (after ")
	assert.Contains(t, adv, "reverse DNS")
	assert.NoError(t, <-served)
}

func TestCheckEHLO(t *testing.T) {
	srv := checkReplay(t, "S: 220 mx.test ESMTP\nC: EHLO client.test\nS: 501 5.5.4 Invalid EHLO/HELO domain\nC: QUIT\nS: 221 Bye\n", nil)
	code, rep := checkJSON(t, checkEnv{}, srv.Addr())
	checkAssert(t, code, rep, repl.ExitNegative, "ehlo", check.EHLORejected, "--ehlo NAME")
	assert.NoError(t, srv.Wait())

	// An old server: EHLO unknown, HELO works; no TLS, no AUTH.
	srv = checkReplay(t, `S: 220 old.test SMTP
C: EHLO client.test
S: 502 5.5.1 Command not implemented
C: HELO client.test
S: 250 old.test
C: QUIT
S: 221 Bye
`, nil)
	code, rep = checkJSON(t, checkEnv{}, srv.Addr())
	checkAssert(t, code, rep, repl.ExitOK, "", "")
	status, _, adv := rep.stage("ehlo")
	assert.Equal(t, "warn", status)
	assert.Contains(t, adv, "465 or 587")
	assert.NoError(t, srv.Wait())

	// The server hangs up after EHLO.
	srv = checkReplay(t, "S: 220 mx.test ESMTP\nC: EHLO client.test\n! close\n", nil)
	code, rep = checkJSON(t, checkEnv{}, srv.Addr())
	checkAssert(t, code, rep, repl.ExitProtocol, "ehlo", check.SessionClosed, "hung up mid-session")

	// EHLO unknown, and the server hangs up at HELO.
	srv = checkReplay(t, "S: 220 old.test SMTP\nC: EHLO client.test\nS: 500 what?\nC: HELO client.test\n! close\n", nil)
	code, rep = checkJSON(t, checkEnv{}, srv.Addr())
	checkAssert(t, code, rep, repl.ExitProtocol, "ehlo", check.SessionClosed, "hung up mid-session")

	// EHLO unknown, HELO refused.
	srv = checkReplay(t, "S: 220 old.test SMTP\nC: EHLO client.test\nS: 500 what?\nC: HELO client.test\nS: 550 not you\nC: QUIT\nS: 221 Bye\n", nil)
	code, rep = checkJSON(t, checkEnv{}, srv.Addr())
	checkAssert(t, code, rep, repl.ExitNegative, "ehlo", check.EHLORejected, "")
	_, seen, _ := rep.stage("ehlo")
	assert.Contains(t, seen, "550 not you")
}

// checkAuthScript is a plain session (on loopback, where AUTH without
// TLS is allowed) whose AUTH gets reply.
func checkAuthScript(reply string) string {
	return `S: 220 mx.test ESMTP
C: EHLO client.test
S: 250-mx.test
S: 250 AUTH PLAIN LOGIN
C: AUTH PLAIN [redacted]
S: ` + reply + `
C: QUIT
S: 221 2.0.0 Bye
`
}

func TestCheckAuth(t *testing.T) {
	tests := []struct {
		name, reply, user, problem string
		advice                     []string
	}{
		{"qq authorization code", "535 Login Fail. Please enter your authorization code to login.", "12345@qq.com",
			check.AuthBadCredentials, []string{"QQ Mail wants an authorization code (授权码)", "not the QQ password"}},
		{"163", "535 Error: authentication failed", "me@163.com",
			check.AuthBadCredentials, []string{"NetEase 163 Mail wants an authorization code"}},
		{"unknown provider", "535 5.7.8 Authentication credentials invalid", "me@mx.test",
			check.AuthBadCredentials, []string{"full email address", "QQ, 163, 126", "Gmail, Yahoo, iCloud: an app password", "Aliyun DirectMail"}},
		{"gmail app password", "534-5.7.9 Application-specific password required.", "me@gmail.com",
			check.AuthTooWeak, []string{"Gmail wants an app password", "2-step verification"}},
		{"must starttls", "530 5.7.0 Must issue a STARTTLS command first", "me@mx.test",
			check.AuthRequiresTLS, []string{"--tls starttls"}},
		{"encryption required", "538 5.7.11 Encryption required for requested authentication mechanism", "me@mx.test",
			check.AuthRequiresTLS, []string{"--tls starttls"}},
		{"temporary", "454 4.7.0 Temporary authentication failure", "me@mx.test",
			check.AuthTemporary, []string{"wait a few minutes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := tt.reply
			if strings.HasPrefix(reply, "534-") { // Gmail's is two lines
				reply = "534-5.7.9 Application-specific password required.\nS: 534 5.7.9 Learn more at https://support.google.com/mail/?p=InvalidSecondFactor"
			}
			srv := checkReplay(t, checkAuthScript(reply), nil)
			code, rep := checkJSON(t, checkEnv{}, srv.Addr(), "--user", tt.user, "--password-file", checkPasswordFile(t, "secret"))
			checkAssert(t, code, rep, repl.ExitAuth, "auth", tt.problem, tt.advice...)
			_, seen, _ := rep.stage("auth")
			assert.Contains(t, seen, "AUTH PLAIN as "+tt.user+" → ")
			assert.NoError(t, srv.Wait())
		})
	}

	// The hint in Chinese.
	srv := checkReplay(t, checkAuthScript("535 Error: authentication failed"), nil)
	code, rep := checkJSON(t, checkEnv{}, srv.Addr(), "--user", "me@126.com", "--password-file", checkPasswordFile(t, "x"), "--lang", "zh")
	checkAssert(t, code, rep, repl.ExitAuth, "auth", check.AuthBadCredentials, "授权码,不是登录密码")

	// AUTH only after TLS, checked without TLS: nothing is sent.
	srv = checkReplay(t, "S: 220 mx.test ESMTP\nC: EHLO client.test\nS: 250-mx.test\nS: 250 STARTTLS\nC: QUIT\nS: 221 Bye\n", nil)
	code, rep = checkJSON(t, checkEnv{}, srv.Addr(), "--tls", "none", "--user", "me@mx.test", "--password-file", checkPasswordFile(t, "x"))
	checkAssert(t, code, rep, repl.ExitAuth, "auth", check.AuthRequiresTLS, "--tls starttls")
	assert.NoError(t, srv.Wait())
}

// TestCheckDirectMailByName checks a provider named on the command line:
// its host is resolved (here to 127.0.0.1) and its hints are given.
func TestCheckDirectMailByName(t *testing.T) {
	srv := checkReplay(t, checkAuthScript("535 5.7.8 Authentication failed"), nil)
	_, port, _ := net.SplitHostPort(srv.Addr())
	env := checkEnv{resolver: checkResolver{"smtpdm.aliyun.com": checkLoopback}}
	code, rep := checkJSON(t, env, "dm:"+port, "--user", "noreply@mail.example.com", "--password-file", checkPasswordFile(t, "x"),
		"--allow-plaintext-auth") // the script has no TLS, and smtpdm.aliyun.com is not loopback by name
	assert.Equal(t, "directmail", rep.Provider)
	assert.Equal(t, "smtpdm.aliyun.com", rep.Host)
	checkAssert(t, code, rep, repl.ExitAuth, "auth", check.AuthBadCredentials,
		"SMTP password set for this sender address in the console", "the AUTH user must be that sender address")
	assert.NoError(t, srv.Wait())
}

// checkEnvelopeScript logs in, then answers MAIL and, if it is accepted,
// RCPT.
func checkEnvelopeScript(mail, rcpt string) string {
	s := `S: 220 mx.test ESMTP
C: EHLO client.test
S: 250-mx.test
S: 250 AUTH PLAIN LOGIN
C: AUTH PLAIN [redacted]
S: 235 2.7.0 Authentication successful
C: MAIL FROM:<me@mx.test>
S: ` + mail + "\n"
	if rcpt != "" {
		s += "C: RCPT TO:<bob@example.org>\nS: " + rcpt + "\nC: RSET\nS: 250 2.0.0 Ok\n"
	}
	return s + "C: QUIT\nS: 221 2.0.0 Bye\n"
}

func TestCheckEnvelope(t *testing.T) {
	tests := []struct {
		name, mail, rcpt, problem string
		advice                    []string
	}{
		{"163 sender", "553 Mail from must equal authorized user", "", check.EnvelopeSenderNotOwned, []string{"use the AUTH user (me@mx.test) as MAIL FROM"}},
		{"qq sender", "501 mail from address must be same as authorization user", "", check.EnvelopeSenderNotOwned, []string{"From: header"}},
		{"postfix sender", "553 5.7.1 <me@mx.test>: Sender address rejected: not owned by user me@mx.test", "", check.EnvelopeSenderNotOwned, nil},
		{"syntax", "501 5.1.7 Bad sender address syntax", "", check.EnvelopeSenderSyntax, []string{"plain address"}},
		{"unknown user", "250 2.1.0 Ok", "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table", check.EnvelopeUnknownRecipient, []string{"spelling of the recipient"}},
		{"relay 554", "250 2.1.0 Ok", "554 5.7.1 <bob@example.org>: Relay access denied", check.EnvelopeRelayDenied, []string{"log in with AUTH"}},
		{"relay 550", "250 2.1.0 Ok", "550 5.7.1 Unable to relay", check.EnvelopeRelayDenied, nil},
		{"greylisting", "250 2.1.0 Ok", "450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html", check.EnvelopeGreylisted, []string{"after a few minutes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := checkReplay(t, checkEnvelopeScript(tt.mail, tt.rcpt), nil)
			code, rep := checkJSON(t, checkEnv{}, srv.Addr(), "--user", "me@mx.test", "--password-file", checkPasswordFile(t, "x"), "--to", "bob@example.org")
			checkAssert(t, code, rep, repl.ExitEnvelope, "envelope", tt.problem, tt.advice...)
			assert.NoError(t, srv.Wait(), "MAIL and RCPT, then RSET and QUIT: no DATA")
		})
	}

	// Without --user: the server wants a login first.
	srv := checkReplay(t, `S: 220 mx.test ESMTP
C: EHLO client.test
S: 250 mx.test
C: MAIL FROM:<me@mx.test>
S: 530 5.7.0 Authentication required
C: QUIT
S: 221 Bye
`, nil)
	code, rep := checkJSON(t, checkEnv{}, srv.Addr(), "--from", "me@mx.test", "--to", "bob@example.org")
	checkAssert(t, code, rep, repl.ExitEnvelope, "envelope", check.EnvelopeAuthRequired, "add --user")
	assert.NoError(t, srv.Wait())
}

// TestCheckPasses checks a submission server the way a user would: by
// name (resolved to 127.0.0.1), STARTTLS, the CA given, login and
// envelope; and that no message was sent.
func TestCheckPasses(t *testing.T) {
	ms, err := smtptest.NewMailServer(&smtptest.MailServerOptions{
		Users: map[string]string{"demo@smtpsh.demo": "demo-password"}, AuthRequiresTLS: true, Timeout: 5 * time.Second,
	})
	require.NoError(t, err)
	t.Cleanup(func() { ms.Close() })
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, smtptest.CAPEM(), 0o600))
	_, port, _ := net.SplitHostPort(ms.Addr())
	env := checkEnv{resolver: checkResolver{"localhost": checkLoopback}, getenv: func(k string) string {
		return map[string]string{"LANG": "zh_CN.UTF-8"}[k]
	}}
	args := []string{"localhost:" + port, "--tls", "starttls", "--ca", ca, "--user", "demo@smtpsh.demo",
		"--password-file", checkPasswordFile(t, "demo-password"), "--to", "bob@example.com", "--to", "carol@example.com"}
	code, rep := checkJSON(t, env, args...)
	checkAssert(t, code, rep, repl.ExitOK, "", "")
	for _, st := range rep.Stages {
		assert.Equal(t, "pass", st.Status, st.Name)
	}
	_, seen, _ := rep.stage("ehlo")
	assert.Contains(t, seen, "TLS 之后的 AUTH 登录方式:PLAIN LOGIN(TLS 之前:无)", "LANG=zh_CN.UTF-8 picks Chinese")
	assert.Empty(t, ms.Messages())

	code, out, _ := checkText(t, env, append(args, "--lang", "en")...)
	assert.Equal(t, repl.ExitOK, code)
	assert.Contains(t, out, "[ OK ] TLS (")
	assert.Contains(t, out, "verified: valid for localhost, trusted through --ca "+ca)
	assert.Contains(t, out, "RCPT TO:<carol@example.com> → 250 2.1.5 Ok")
	assert.Contains(t, out, "\nVerdict: all checks passed.\n")
}

func TestCheckUsage(t *testing.T) {
	t.Setenv("SMTPSH_PASSWORD", "")
	os.Unsetenv("SMTPSH_PASSWORD")
	for _, args := range [][]string{
		{}, {"a", "b"}, {"qq", "--lang", "fr"}, {"qq", "--tls", "ssl"}, {"qq", "--record", filepath.Join(t.TempDir(), "missing", "x.txt")},
		{"host:abc"}, {"qq", "--to", "<bob@example.org>"}, {"qq", "--user", "me@qq.com"},
		{"qq", "--ca", filepath.Join(t.TempDir(), "missing.pem")},
	} {
		code, _, stderr := checkText(t, checkEnv{}, args...)
		assert.Equal(t, repl.ExitUsage, code, "%q", args)
		assert.NotEmpty(t, stderr, "%q says why", args)
	}
	code, _, stderr := checkText(t, checkEnv{}, "--help")
	assert.Equal(t, repl.ExitOK, code)
	assert.Contains(t, stderr, "usage: smtpsh check TARGET")
}

func TestCheckTarget(t *testing.T) {
	tests := []struct {
		arg, tls string
		host     string
		port     int
		mode     string
		provider string
	}{
		{"qq", "", "smtp.qq.com", 465, "implicit", "qq"},
		{"qq:587", "", "smtp.qq.com", 587, "starttls", "qq"},
		{"qq:25", "", "smtp.qq.com", 25, "auto", "qq"},
		{"qq", "starttls", "smtp.qq.com", 587, "starttls", "qq"},
		{"qq:465", "none", "smtp.qq.com", 465, "none", "qq"},
		{"qq:2525", "", "smtp.qq.com", 2525, "auto", "qq"},
		{"163:994", "", "smtp.163.com", 994, "implicit", "163"},
		{"gmail", "starttls", "smtp.gmail.com", 587, "starttls", "gmail"},
		{"smtp.qq.com:465", "", "smtp.qq.com", 465, "implicit", "qq"},
		{"smtp.qq.com", "starttls", "smtp.qq.com", 587, "starttls", "qq"},
		{"127.0.0.1:2525", "", "127.0.0.1", 2525, "auto", ""},
		{"[::1]:25", "none", "::1", 25, "none", ""},
	}
	for _, tt := range tests {
		f := sessionFlags{tlsMode: "auto"}
		if tt.tls != "" {
			f.tlsMode = tt.tls
		}
		host, port, mode, p, err := checkTarget(tt.arg, &f, tt.tls != "")
		require.NoError(t, err, tt.arg)
		assert.Equal(t, tt.host, host, tt.arg)
		assert.Equal(t, tt.port, port, tt.arg)
		assert.Equal(t, tt.mode, mode, tt.arg)
		key := ""
		if p != nil {
			key = p.Key
		}
		assert.Equal(t, tt.provider, key, tt.arg)
	}
}

func TestCheckHumanOutput(t *testing.T) {
	code, out, _ := checkText(t, checkEnv{}, checkClosedPort(t))
	assert.Equal(t, repl.ExitConnect, code)
	assert.Contains(t, out, "[FAIL] TCP connection (")
	assert.Contains(t, out, "Verdict: TCP connection failed: connection refused on port ")
	assert.Contains(t, out, "\nFix: check the port")
	code, out, _ = checkText(t, checkEnv{}, checkClosedPort(t), "--lang", "zh")
	assert.Equal(t, repl.ExitConnect, code)
	assert.Contains(t, out, "[失败] TCP 连接 (")
	assert.Contains(t, out, "结论:TCP 连接失败:")
	assert.Contains(t, out, "\n解决办法:检查端口")
}

// TestCheckMoreClasses covers the remaining classes that a replayed
// session can make.
func TestCheckMoreClasses(t *testing.T) {
	const ehloOnly = "S: 220 mx.test ESMTP\nC: EHLO client.test\nS: 250-mx.test\nS: 250 "
	pw := checkPasswordFile(t, "x")
	tests := []struct {
		name, script string
		env          checkEnv
		args         []string
		exit         int
		layer, code  string
		advice       []string
	}{
		{"no AUTH at all", ehloOnly + "8BITMIME\nC: QUIT\nS: 221 Bye\n", checkEnv{}, []string{"--user", "me@mx.test", "--password-file", pw},
			repl.ExitAuth, "auth", check.AuthNotOffered, []string{"receiving server (MX)"}},
		{"OAuth2 only", ehloOnly + "AUTH XOAUTH2 OAUTHBEARER\nC: QUIT\nS: 221 Bye\n", checkEnv{}, []string{"--user", "me@mx.test", "--password-file", pw},
			repl.ExitAuth, "auth", check.AuthMechanismUnsupported, []string{"OAuth2 (XOAUTH2, OAUTHBEARER)", "SMTPSH_OAUTH2_TOKEN"}},
		{"no password in clear", ehloOnly + "AUTH PLAIN LOGIN\nC: QUIT\nS: 221 Bye\n",
			checkEnv{resolver: checkResolver{"mail.test": checkLoopback}}, []string{"--user", "me@mx.test", "--password-file", pw},
			repl.ExitAuth, "auth", check.AuthPlaintextRefused, []string{"--tls starttls", "--allow-plaintext-auth"}},
		{"STARTTLS 502", ehloOnly + "STARTTLS\nC: STARTTLS\nS: 502 5.5.1 Not implemented\nC: QUIT\nS: 221 Bye\n", checkEnv{}, nil,
			repl.ExitTLS, "tls", check.TLSStartTLSRefused, []string{"port 465"}},
		{"greeting 250", "S: 250 mx.test ready\nC: QUIT\nS: 221 Bye\n", checkEnv{}, nil,
			repl.ExitProtocol, "banner", check.BannerUnexpected, []string{"does not greet like an SMTP server"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := checkReplay(t, tt.script, nil)
			target := srv.Addr()
			if tt.env.resolver != nil {
				_, port, _ := net.SplitHostPort(target)
				target = "mail.test:" + port
			}
			code, rep := checkJSON(t, tt.env, append([]string{target}, tt.args...)...)
			checkAssert(t, code, rep, tt.exit, tt.layer, tt.code, tt.advice...)
			assert.NoError(t, srv.Wait())
		})
	}

	// Warnings: a check that passes but says what is not right.
	ms, err := smtptest.NewMailServer(&smtptest.MailServerOptions{Timeout: 5 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { ms.Close() })
	code, rep := checkJSON(t, checkEnv{}, ms.Addr(), "--tls", "none")
	checkAssert(t, code, rep, repl.ExitOK, "", "")
	status, _, adv := rep.stage("tls")
	assert.Equal(t, "warn", status)
	assert.Contains(t, adv, "--tls starttls (or auto)")

	ca := newCheckCA(t, "Test Root CA")
	now := time.Now()
	srv := checkReplay(t, "! tls\nS: 220 mx.test ESMTP\nC: EHLO client.test\nS: 250 mx.test\nC: QUIT\nS: 221 Bye\n",
		ca.server(t, now.AddDate(0, -3, 0), now.AddDate(0, 0, 3), "127.0.0.1"))
	code, rep = checkJSON(t, checkEnv{}, srv.Addr(), "--tls", "implicit", "--ca", ca.file)
	checkAssert(t, code, rep, repl.ExitOK, "", "")
	status, seen, _ := rep.stage("tls")
	assert.Equal(t, "warn", status)
	assert.Contains(t, seen, "(2 days left)")
	assert.Contains(t, rep.Stages[2].Problem, check.TLSExpiresSoon)
	assert.NoError(t, srv.Wait())
}

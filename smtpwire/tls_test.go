package smtpwire_test

import (
	"context"
	"crypto/x509"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const implicitGreetQuit = `! tls
S: 220 mx.example.com ESMTP
C: QUIT
S: 221 Bye
`

// tlsServer serves script; the server's own verdict is returned by the
// function, for sessions where the handshake is expected to work.
func tlsServer(t *testing.T, script string) (*smtptest.Server, func() error) {
	t.Helper()
	s, err := smtptest.Parse("tls.txt", strings.NewReader(script))
	require.NoError(t, err)
	srv, err := smtptest.NewServer(s, &smtptest.ServeOptions{Timeout: 5 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv, srv.Wait
}

func TestCAFileIsTrusted(t *testing.T) {
	srv, wait := tlsServer(t, implicitGreetQuit)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, smtptest.CAPEM(), 0o600))
	ctx := context.Background()
	c, err := smtpwire.Dial(ctx, srv.Addr(), &smtpwire.Config{ImplicitTLS: true, CAFile: ca, ServerName: "localhost"})
	require.NoError(t, err)
	info, ok := c.TLSInfo()
	require.True(t, ok)
	assert.True(t, info.Verified)
	assert.Nil(t, info.VerifyError)
	assert.Equal(t, "localhost", info.State.ServerName)
	require.NoError(t, c.Quit(ctx))
	assert.NoError(t, wait())
}

func TestUnknownAuthorityFails(t *testing.T) {
	srv, _ := tlsServer(t, implicitGreetQuit)
	// The system roots do not know the test CA.
	_, err := smtpwire.Dial(context.Background(), srv.Addr(), &smtpwire.Config{ImplicitTLS: true, ServerName: "localhost"})
	var te *smtpwire.TLSError
	require.ErrorAs(t, err, &te)
	var ua x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &ua)
	assert.Equal(t, "localhost", te.ServerName)
}

func TestServerNameMismatchFails(t *testing.T) {
	srv, _ := tlsServer(t, implicitGreetQuit)
	cfg := &smtpwire.Config{ImplicitTLS: true, TLSConfig: srv.ClientTLSConfig(), ServerName: "smtp.qq.com"}
	_, err := smtpwire.Dial(context.Background(), srv.Addr(), cfg)
	var he x509.HostnameError
	require.ErrorAs(t, err, &he)
	assert.Contains(t, err.Error(), "smtp.qq.com")
}

func TestInsecureSkipVerifyStillReports(t *testing.T) {
	srv, wait := tlsServer(t, implicitGreetQuit)
	ctx := context.Background()
	c, err := smtpwire.Dial(ctx, srv.Addr(), &smtpwire.Config{ImplicitTLS: true, InsecureSkipVerify: true, ServerName: "localhost"})
	require.NoError(t, err, "an unverifiable certificate is accepted when asked")
	info, ok := c.TLSInfo()
	require.True(t, ok)
	assert.False(t, info.Verified)
	var ua x509.UnknownAuthorityError
	assert.ErrorAs(t, info.VerifyError, &ua)
	require.NoError(t, c.Quit(ctx))
	assert.NoError(t, wait())

	// With the right roots, the skipped verification is reported as passing.
	srv, wait = tlsServer(t, implicitGreetQuit)
	tc := srv.ClientTLSConfig()
	c, err = smtpwire.Dial(ctx, srv.Addr(), &smtpwire.Config{ImplicitTLS: true, InsecureSkipVerify: true, TLSConfig: tc})
	require.NoError(t, err)
	info, _ = c.TLSInfo()
	assert.True(t, info.Verified)
	assert.False(t, tc.InsecureSkipVerify, "the caller's tls.Config is cloned, never changed")
	assert.Nil(t, tc.VerifyConnection)
	require.NoError(t, c.Quit(ctx))
	assert.NoError(t, wait())
}

func TestPlaintextToImplicitTLSPortTimesOut(t *testing.T) {
	// A client speaking plain text to a TLS port gets no greeting: the
	// server waits for a ClientHello. The greeting timeout says so.
	srv, _ := tlsServer(t, implicitGreetQuit)
	_, err := smtpwire.Dial(context.Background(), srv.Addr(), &smtpwire.Config{Timeouts: smtpwire.Timeouts{Greeting: 200 * time.Millisecond}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no reply within 200ms")
}

func TestImplicitTLSToPlaintextPortFails(t *testing.T) {
	// TLS to a plain-text port: the server's 220 arrives where the
	// handshake expects a ServerHello.
	srv, _ := tlsServer(t, "S: 220 mx.example.com ESMTP\n")
	_, err := smtpwire.Dial(context.Background(), srv.Addr(), &smtpwire.Config{ImplicitTLS: true, TLSConfig: srv.ClientTLSConfig()})
	var te *smtpwire.TLSError
	require.ErrorAs(t, err, &te)
}

func TestHandshakeTimeout(t *testing.T) {
	// A listener that accepts and never says anything.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err == nil {
			defer conn.Close()
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			io.Copy(io.Discard, conn)
		}
	}()
	start := time.Now()
	_, err = smtpwire.Dial(context.Background(), ln.Addr().String(), &smtpwire.Config{ImplicitTLS: true, Timeouts: smtpwire.Timeouts{TLS: 200 * time.Millisecond}})
	var te *smtpwire.TLSError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "no handshake within 200ms")
	assert.Less(t, time.Since(start), 3*time.Second)
}

func TestTLSInfoNamesTheCheckedName(t *testing.T) {
	// Dialled by IP address: no SNI is sent, the certificate is checked
	// against the IP, and TLSInfo says which name that was.
	srv, wait := tlsServer(t, implicitGreetQuit)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, smtptest.CAPEM(), 0o600))
	ctx := context.Background()
	c, err := smtpwire.Dial(ctx, srv.Addr(), &smtpwire.Config{ImplicitTLS: true, CAFile: ca})
	require.NoError(t, err)
	info, _ := c.TLSInfo()
	assert.True(t, info.Verified)
	assert.Equal(t, "127.0.0.1", info.ServerName)
	assert.Empty(t, info.State.ServerName, "no SNI for an IP address")
	require.NoError(t, c.Quit(ctx))
	assert.NoError(t, wait())
}

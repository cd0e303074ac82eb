package check_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire/check"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func replay(t *testing.T, script string) *smtptest.Server {
	t.Helper()
	s, err := smtptest.Parse(t.Name()+".txt", strings.NewReader(script))
	require.NoError(t, err)
	srv, err := smtptest.NewServer(s, &smtptest.ServeOptions{Timeout: 5 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv
}

func seen(st *check.Stage) string {
	var out []string
	for _, m := range st.Seen {
		out = append(out, m.Text(check.English))
	}
	return strings.Join(out, "\n")
}

func TestCheckRunCAFileUnreadable(t *testing.T) {
	srv := submissionServer(t)
	o := baseOptions(t, srv.Addr())
	o.Config.CAFile = filepath.Join(t.TempDir(), "missing.pem")
	rep := check.Run(context.Background(), o)
	v := rep.Verdict()
	assert.Equal(t, check.StageTLS, v.Layer)
	assert.Equal(t, check.TLSCAFile, v.Problem)
}

func TestCheckRunStartTLSInjection(t *testing.T) {
	srv := replay(t, `S: 220 mx.test ESMTP
C: EHLO client.test
S: 250-mx.test
S: 250 STARTTLS
C: STARTTLS
S: 220 2.0.0 Ready to start TLS
S: 250 injected before the handshake
`)
	rep := check.Run(context.Background(), baseOptions(t, srv.Addr()))
	v := rep.Verdict()
	assert.Equal(t, check.TLSStartTLSInjection, v.Problem)
	assert.Contains(t, seen(rep.Stage(check.StageTLS)), `"250 injected before the handshake\r\n"`)
}

// An envelope-only check (no --user) over a STARTTLS connection whose
// certificate fails: the addresses are not sent either.
func TestCheckRunUnverifiedSendsNoAddresses(t *testing.T) {
	srv := replay(t, `S: 220 mx.test ESMTP
C: EHLO client.test
S: 250-mx.test
S: 250 STARTTLS
C: STARTTLS
S: 220 2.0.0 Ready to start TLS
! tls
C: EHLO client.test
S: 250 mx.test
C: QUIT
S: 221 Bye
`)
	o := baseOptions(t, srv.Addr())
	o.Config.TLSConfig = nil // the system roots do not know smtptest's CA
	o.From, o.To = "me@mx.test", []string{"bob@example.org"}
	rep := check.Run(context.Background(), o)
	assert.Equal(t, check.TLSUnknownAuthority, rep.Verdict().Problem)
	assert.Equal(t, check.Skip, rep.Stage(check.StageEnvelope).Status)
	assert.Contains(t, seen(rep.Stage(check.StageEnvelope)), "no password or address")
	assert.Contains(t, seen(rep.Stage(check.StageAuth)), "give --user")
	assert.NoError(t, srv.Wait())
}

func TestCheckRunCancelled(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		c, err := ln.Accept()
		if err == nil {
			io.Copy(io.Discard, c) // say nothing until the client leaves
			c.Close()
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	o := baseOptions(t, ln.Addr().String())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	rep := check.Run(ctx, o)
	assert.Less(t, time.Since(start), time.Second, "Run honours its context")
	assert.False(t, rep.Verdict().OK)
}

func TestCheckRunTLSNoneWarns(t *testing.T) {
	srv := replay(t, "S: 220 mx.test ESMTP\nC: EHLO client.test\nS: 250 mx.test\nC: QUIT\nS: 221 Bye\n")
	o := baseOptions(t, srv.Addr())
	o.TLS = check.ModeNone
	rep := check.Run(context.Background(), o)
	assert.True(t, rep.Verdict().OK)
	assert.Equal(t, check.Warn, rep.Stage(check.StageTLS).Status)
	assert.Equal(t, check.TLSNone, rep.Stage(check.StageTLS).Problem)
	assert.Equal(t, "passed, with 1 warning(s) above", rep.Verdict().Message.Text(check.English))
	assert.NoError(t, srv.Wait())
}

// A server that wants TLS 1.3 and a client capped at TLS 1.2, the way an
// application with an old TLS library meets a modern server: the server
// answers with a protocol_version alert.
func TestCheckRunNoCommonVersion(t *testing.T) {
	s, err := smtptest.Parse("tls13.txt", strings.NewReader("! tls\nS: 220 mx.test ESMTP\n"))
	require.NoError(t, err)
	srv, err := smtptest.NewServer(s, &smtptest.ServeOptions{Timeout: 5 * time.Second, TLSConfig: &tls.Config{
		Certificates: []tls.Certificate{smtptest.TLSCertificate()}, MinVersion: tls.VersionTLS13,
	}})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	o := baseOptions(t, srv.Addr())
	o.TLS = check.ModeImplicit
	o.Config.TLSConfig.MaxVersion = tls.VersionTLS12
	rep := check.Run(context.Background(), o)
	v := rep.Verdict()
	assert.Equal(t, check.StageTLS, v.Layer)
	assert.Equal(t, check.TLSNoCommonVersion, v.Problem)
	assert.Contains(t, seen(rep.Stage(check.StageTLS)), "the server refused the handshake: tls: protocol version not supported")
	assert.Contains(t, v.Fix.Text(check.English), "SSLv3")
}

package smtptest

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startServer parses src as "test.txt" and serves it on a loopback Server
// that the test closes when it ends.
func startServer(t *testing.T, src string, opts *ServeOptions) *Server {
	t.Helper()
	s, err := Parse("test.txt", strings.NewReader(src))
	require.NoError(t, err)
	srv, err := NewServer(s, opts)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv
}

// startFileServer serves testdata/name.
func startFileServer(t *testing.T, name string, opts *ServeOptions) *Server {
	t.Helper()
	s, err := ParseFile("testdata/" + name)
	require.NoError(t, err)
	srv, err := NewServer(s, opts)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv
}

// dial connects a test client to srv.
func dial(t *testing.T, srv *Server) *client {
	t.Helper()
	c, err := dialClient(srv.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { c.close() })
	return c
}

const ehloQuit = `# greeting, EHLO, QUIT
S: 220 hi
C: EHLO a
S: 250 ok
C: QUIT
S: 221 bye
`

func TestHappySession(t *testing.T) {
	srv := startFileServer(t, "happy.txt", nil)
	require.NoError(t, sendMail(srv.Addr(), srv.ClientTLSConfig()))
	assert.NoError(t, srv.Wait())
}

func TestHappySessionReplies(t *testing.T) {
	srv := startFileServer(t, "happy.txt", nil)
	c := dial(t, srv)
	greeting, err := c.reply()
	require.NoError(t, err)
	assert.Equal(t, []string{"220 mx.example.test ESMTP smtptest"}, greeting)
	require.NoError(t, c.send("EHLO client.example.test"))
	ehlo, err := c.reply()
	require.NoError(t, err)
	assert.Equal(t, []string{"250-mx.example.test", "250-PIPELINING", "250 8BITMIME"}, ehlo)
	c.close()
	assert.Error(t, srv.Wait(), "the client left before the end of the script")
}

func TestMismatch(t *testing.T) {
	srv := startServer(t, "S: 220 hi\nC: EHLO a\nS: 250 ok\n# auth\nC: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\n", nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.cmd("EHLO a", "250"))
	require.NoError(t, c.send("AUTH PLAIN x"))

	err := srv.Wait()
	var me *MismatchError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, &MismatchError{File: "test.txt", Line: 5, Want: "AUTH LOGIN", Got: "AUTH PLAIN x"}, me)
	assert.EqualError(t, err, `test.txt:5: client sent "AUTH PLAIN x", want "AUTH LOGIN"`)

	// The server hung up after the mismatch.
	_, rerr := c.reply()
	assert.Error(t, rerr)
}

func TestClientClosesEarly(t *testing.T) {
	srv := startServer(t, ehloQuit, nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.cmd("EHLO a", "250"))
	require.NoError(t, c.close())

	err := srv.Wait()
	assert.EqualError(t, err, `test.txt:5: client closed the connection, want "QUIT"`)
	assert.ErrorIs(t, err, io.EOF)
}

func TestClientClosesMidLine(t *testing.T) {
	srv := startServer(t, ehloQuit, nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.raw("EHL"))
	require.NoError(t, c.close())
	assert.EqualError(t, srv.Wait(), `test.txt:3: client closed the connection after sending "EHL" without a line ending, want "EHLO a"`)
}

func TestUnfinishedScript(t *testing.T) {
	// The client only reads the greeting: every C: line is left over.
	srv := startServer(t, ehloQuit, nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.close())
	assert.EqualError(t, srv.Wait(), `test.txt:3: client closed the connection, want "EHLO a"`)
}

func TestExtraBytesAfterEnd(t *testing.T) {
	srv := startServer(t, ehloQuit, nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.steps("EHLO a", "250", "QUIT", "221"))
	require.NoError(t, c.send("NOOP"))
	assert.EqualError(t, srv.Wait(), `test.txt:6: client sent "NOOP\r\n" after the end of the script`)
}

func TestServerClosesAtEnd(t *testing.T) {
	// After the last S: line the server shuts down its side, as a server
	// does after 221, so a client waiting for EOF gets it.
	srv := startServer(t, ehloQuit, nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.steps("EHLO a", "250", "QUIT", "221"))
	_, err := c.br.ReadByte()
	assert.ErrorIs(t, err, io.EOF)
	require.NoError(t, c.close())
	assert.NoError(t, srv.Wait())
}

func TestBareLF(t *testing.T) {
	srv := startServer(t, ehloQuit, nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.raw("EHLO a\n"))

	err := srv.Wait()
	var me *MismatchError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, "EHLO a\n", me.Got)
	assert.EqualError(t, err, `test.txt:3: client sent "EHLO a\n", want "EHLO a" (line ends in a bare LF, not CRLF)`)
}

func TestImplicitTLS(t *testing.T) {
	srv := startFileServer(t, "implicit-tls.txt", nil)
	c, err := dialClientTLS(srv.Addr(), srv.ClientTLSConfig())
	require.NoError(t, err)
	defer c.close()

	state := c.conn.(*tls.Conn).ConnectionState()
	assert.True(t, state.HandshakeComplete)
	assert.NotEmpty(t, state.VerifiedChains, "the client verified the server certificate")
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.steps("EHLO client.example.test", "250", "QUIT", "221"))
	require.NoError(t, c.close())
	assert.NoError(t, srv.Wait())
}

func TestImplicitTLSUntrustedClient(t *testing.T) {
	// A client that does not trust the test CA fails verification, and the
	// server reports the failed handshake at the "! tls" line.
	srv := startFileServer(t, "implicit-tls.txt", nil)
	_, err := dialClientTLS(srv.Addr(), &tls.Config{RootCAs: nil, ServerName: "localhost"})
	require.Error(t, err)
	assert.ErrorContains(t, srv.Wait(), "implicit-tls.txt:2: TLS handshake:")
}

func TestSTARTTLS(t *testing.T) {
	srv := startFileServer(t, "starttls.txt", nil)
	require.NoError(t, startTLSSession(srv.Addr(), srv.ClientTLSConfig()))
	assert.NoError(t, srv.Wait())
}

func TestSTARTTLSPipelinedByClient(t *testing.T) {
	// RFC 3207 forbids sending anything after STARTTLS before the 220.
	srv := startFileServer(t, "starttls.txt", nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.cmd("EHLO client.example.test", "250"))
	require.NoError(t, c.raw("STARTTLS\r\nEHLO client.example.test\r\n"))
	assert.EqualError(t, srv.Wait(), `starttls.txt:9: client sent "EHLO client.example.test\r\n" before the TLS handshake`)
}

func TestCustomTLSConfig(t *testing.T) {
	// A server config of its own, here limited to TLS 1.2, is used as given.
	srv := startFileServer(t, "implicit-tls.txt", &ServeOptions{
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{TLSCertificate()}, MaxVersion: tls.VersionTLS12},
	})
	c, err := dialClientTLS(srv.Addr(), srv.ClientTLSConfig())
	require.NoError(t, err)
	defer c.close()
	assert.Equal(t, uint16(tls.VersionTLS12), c.conn.(*tls.Conn).ConnectionState().Version)
}

func TestCloseDirective(t *testing.T) {
	srv := startServer(t, "S: 220 hi\nC: MAIL FROM:<a@b>\nS: 421 4.3.2 shutting down\n! close\n", nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.cmd("MAIL FROM:<a@b>", "421"))
	_, err := c.br.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the server closed the connection")
	assert.NoError(t, srv.Wait())
}

func TestCloseMidReply(t *testing.T) {
	srv := startServer(t, "S: 220 hi\nC: EHLO a\nS: 250-first\n! close\n", nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.send("EHLO a"))
	lines, err := c.reply()
	assert.Equal(t, []string{"250-first"}, lines)
	assert.ErrorIs(t, err, io.EOF)
	assert.NoError(t, srv.Wait())
}

func TestMatches(t *testing.T) {
	tests := []struct {
		want, got string
		ok        bool
	}{
		{"QUIT", "QUIT", true},
		{"QUIT", "QUIT ", false},
		{"QUIT", "quit", false},
		{"", "", true},
		{"", " ", false},
		{"AUTH PLAIN [redacted]", "AUTH PLAIN AHVzZXIAcGFzcw==", true},
		{"AUTH PLAIN [redacted]", "AUTH PLAIN x", true},
		{"AUTH PLAIN [redacted]", "AUTH PLAIN ", false}, // nothing after the prefix
		{"AUTH PLAIN [redacted]", "AUTH PLAIN", false},
		{"AUTH PLAIN [redacted]", "AUTH LOGIN dXNlcg==", false},
		{"[redacted]", "dXNlcg==", true},
		{"[redacted]", "", false},
		{"AUTH PLAIN [redacted]", "AUTH PLAIN [redacted]", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.ok, matches(tt.want, tt.got), "matches(%q, %q)", tt.want, tt.got)
	}
}

func TestRedacted(t *testing.T) {
	const src = "S: 220 hi\nC: AUTH LOGIN [redacted]\nS: 334 UGFzc3dvcmQ6\nC: [redacted]\nS: 235 ok\nC: QUIT\nS: 221 bye\n"
	t.Run("matches", func(t *testing.T) {
		srv := startServer(t, src, nil)
		c := dial(t, srv)
		require.NoError(t, c.expect("220"))
		require.NoError(t, c.steps("AUTH LOGIN dXNlcg==", "334", "cGFzcw==", "235", "QUIT", "221"))
		require.NoError(t, c.close())
		assert.NoError(t, srv.Wait())
	})
	t.Run("prefix differs", func(t *testing.T) {
		srv := startServer(t, src, nil)
		c := dial(t, srv)
		require.NoError(t, c.expect("220"))
		require.NoError(t, c.send("AUTH PLAIN dXNlcg=="))
		assert.EqualError(t, srv.Wait(), `test.txt:2: client sent "AUTH PLAIN dXNlcg==", want "AUTH LOGIN [redacted]"`)
	})
	t.Run("empty secret", func(t *testing.T) {
		srv := startServer(t, src, nil)
		c := dial(t, srv)
		require.NoError(t, c.expect("220"))
		require.NoError(t, c.cmd("AUTH LOGIN dXNlcg==", "334"))
		require.NoError(t, c.send(""))
		assert.EqualError(t, srv.Wait(), `test.txt:4: client sent "", want "[redacted]"`)
	})
}

// servePipe serves src on one end of a net.Pipe from its own goroutine,
// which reports through the returned channel, and returns a client on the
// other end. A pipe has no buffer: one client Read returns data from one
// server Write only.
func servePipe(t *testing.T, name, src string, opts *ServeOptions) (*client, <-chan error) {
	t.Helper()
	s, err := Parse(name, strings.NewReader(src))
	require.NoError(t, err)
	serverSide, clientSide := net.Pipe()
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(serverSide, opts) }()
	clientSide.SetDeadline(time.Now().Add(5 * time.Second))
	t.Cleanup(func() { clientSide.Close() })
	return &client{conn: clientSide, br: bufio.NewReader(clientSide)}, errc
}

func TestConsecutiveServerLinesOneWrite(t *testing.T) {
	t.Run("multi-line reply", func(t *testing.T) {
		c, _ := servePipe(t, "w.txt", "S: 220-first\n# a comment does not split the run\nS: 220 second\nC: QUIT\nS: 221 bye\n", nil)
		buf := make([]byte, 256)
		n, err := c.conn.Read(buf) // one read gets one write
		require.NoError(t, err)
		assert.Equal(t, "220-first\r\n220 second\r\n", string(buf[:n]))
	})
	t.Run("injected after STARTTLS", func(t *testing.T) {
		// The bytes after the 220 arrive with it, as an attacker's would,
		// so the client can notice them before the handshake.
		c, _ := servePipe(t, "w.txt", "S: 220 hi\nC: STARTTLS\nS: 220 go ahead\nS: 250 injected\n! tls\n", nil)
		require.NoError(t, c.expect("220"))
		require.NoError(t, c.cmd("STARTTLS", "220"))
		assert.EqualError(t, c.starttls(&tls.Config{}), `server sent "250 injected\r\n" before the TLS handshake`)
	})
	t.Run("over TCP", func(t *testing.T) {
		srv := startServer(t, "S: 220-first\nS: 220 second\nC: QUIT\nS: 221 bye\n", nil)
		c := dial(t, srv)
		buf := make([]byte, 256)
		n, err := c.conn.Read(buf) // straight from the socket
		require.NoError(t, err)
		assert.Equal(t, "220-first\r\n220 second\r\n", string(buf[:n]))
	})
}

func TestReadDeadline(t *testing.T) {
	srv := startServer(t, ehloQuit, &ServeOptions{Timeout: 200 * time.Millisecond})
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	start := time.Now()
	err := srv.Wait() // the client says nothing
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.EqualError(t, err, `test.txt:3: client sent nothing for 200ms, want "EHLO a"`)
}

func TestReadDeadlineAtEnd(t *testing.T) {
	// A client that never closes its side after the script is reported.
	srv := startServer(t, "S: 220 hi\n", &ServeOptions{Timeout: 200 * time.Millisecond})
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	err := srv.Wait()
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.EqualError(t, err, "test.txt:1: client did not close the connection within 200ms after the end of the script")
}

func TestOversizedLine(t *testing.T) {
	for _, tt := range []struct {
		name string
		max  int
		size int
	}{
		{"option", 1024, 2000},
		{"default", 0, DefaultMaxLineLength + 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, ehloQuit, &ServeOptions{MaxLineLength: tt.max})
			c := dial(t, srv)
			require.NoError(t, c.expect("220"))
			c.send("EHLO " + strings.Repeat("a", tt.size)) // may fail once the server hangs up
			err := srv.Wait()
			assert.ErrorContains(t, err, "test.txt:3: client line longer than ")
			limit := tt.max
			if limit == 0 {
				limit = DefaultMaxLineLength
			}
			assert.ErrorContains(t, err, " "+strconv.Itoa(limit)+" bytes")
		})
	}
}

func TestLineAtMaxLength(t *testing.T) {
	// A line of exactly MaxLineLength bytes, CRLF included, is accepted.
	line := "EHLO " + strings.Repeat("a", 100-len("EHLO ")-2)
	srv := startServer(t, "S: 220 hi\nC: "+line+"\nS: 250 ok\n", &ServeOptions{MaxLineLength: 100})
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.cmd(line, "250"))
	require.NoError(t, c.close())
	assert.NoError(t, srv.Wait())
}

func TestNoClient(t *testing.T) {
	srv := startServer(t, ehloQuit, &ServeOptions{Timeout: 100 * time.Millisecond})
	err := srv.Wait()
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.ErrorContains(t, err, "test.txt: no client connected within 100ms")
}

func TestOneClientOnly(t *testing.T) {
	srv := startServer(t, ehloQuit, nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220")) // accepted: the listener is closed now
	_, err := net.DialTimeout("tcp", srv.Addr(), time.Second)
	assert.Error(t, err, "a second connection is refused")
}

func TestServerCloseInterrupts(t *testing.T) {
	srv := startServer(t, ehloQuit, nil)
	c := dial(t, srv)
	require.NoError(t, c.expect("220"))
	done := make(chan struct{})
	go func() {
		srv.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	assert.Error(t, srv.Wait())
	require.NoError(t, srv.Close(), "a second Close is harmless")
}

func TestNewServerRejectsBadScript(t *testing.T) {
	s := &Script{Name: "code", Steps: []Step{{Kind: StepServer, Text: "220 hi\r\n250 smuggled"}}}
	_, err := NewServer(s, nil)
	assert.EqualError(t, err, `code: S: text "220 hi\r\n250 smuggled" holds CR or LF`)
}

func TestServeOnPipe(t *testing.T) {
	// Serve works on any net.Conn; a pipe has no CloseWrite, so the client
	// closes first at the end.
	c, errc := servePipe(t, "pipe.txt", ehloQuit, &ServeOptions{Timeout: 5 * time.Second})
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.steps("EHLO a", "250", "QUIT", "221"))
	require.NoError(t, c.close())
	assert.NoError(t, <-errc)
}

func TestServeKeepGoing(t *testing.T) {
	c, errc := servePipe(t, "k.txt", ehloQuit, &ServeOptions{KeepGoing: true, Timeout: 5 * time.Second})
	require.NoError(t, c.expect("220"))
	require.NoError(t, c.steps("EHLO b", "250", "quit", "221"), "the session goes on after each mismatch")
	require.NoError(t, c.close())
	err := <-errc
	assert.EqualError(t, err, "k.txt:3: client sent \"EHLO b\", want \"EHLO a\"\nk.txt:5: client sent \"quit\", want \"QUIT\"")
	var me *MismatchError
	assert.ErrorAs(t, err, &me)
}

func TestTestCertificates(t *testing.T) {
	cert := TLSCertificate()
	require.NotNil(t, cert.Leaf)
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		assert.NoError(t, cert.Leaf.VerifyHostname(host), host)
	}
	assert.Error(t, cert.Leaf.VerifyHostname("example.com"))
	assert.True(t, cert.Leaf.NotBefore.Before(time.Now()))
	assert.True(t, cert.Leaf.NotAfter.After(time.Now().AddDate(9, 0, 0)))

	pool := CertPool()
	assert.NotSame(t, pool, CertPool(), "each call returns a new pool")

	// CAPEM holds the same CA, and callers get their own copy.
	p := CAPEM()
	require.True(t, bytes.HasPrefix(p, []byte("-----BEGIN CERTIFICATE-----\n")))
	fromPEM := x509.NewCertPool()
	require.True(t, fromPEM.AppendCertsFromPEM(p))
	_, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: fromPEM, DNSName: "localhost"})
	assert.NoError(t, err)
	_, err = cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost"})
	assert.NoError(t, err)
	p[0] = 'X'
	assert.Equal(t, byte('-'), CAPEM()[0])

	_, err = cert.Leaf.Verify(x509.VerifyOptions{Roots: x509.NewCertPool(), DNSName: "localhost"})
	assert.Error(t, err, "the leaf is not trusted without the CA")
}

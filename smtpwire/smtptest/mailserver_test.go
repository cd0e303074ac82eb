package smtptest_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// newMailServer starts a MailServer that the test closes when it ends.
func newMailServer(t *testing.T, opts *smtptest.MailServerOptions) *smtptest.MailServer {
	t.Helper()
	srv, err := smtptest.NewMailServer(opts)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv
}

// testCtx bounds a test's client calls, so a server that never answers
// fails the test instead of hanging it.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// trustingConfig makes smtpwire trust the test certificate.
func trustingConfig() *smtpwire.Config {
	return &smtpwire.Config{TLSConfig: &tls.Config{RootCAs: smtptest.CertPool(), ServerName: "localhost"}}
}

// dialMail connects an smtpwire client and reads the greeting.
func dialMail(t *testing.T, addr string, cfg *smtpwire.Config) *smtpwire.Client {
	t.Helper()
	c, err := smtpwire.Dial(testCtx(t), addr, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// cmd sends line with Client.Cmd and returns the raw reply lines, joined
// by "\n".
func cmd(t *testing.T, c *smtpwire.Client, line string) string {
	t.Helper()
	r, err := c.Cmd(testCtx(t), line)
	require.NoError(t, err, line)
	return r.String()
}

// sendMessage runs MAIL, RCPT and DATA with body and returns the error of
// the DATA writer's Close.
func sendMessage(t *testing.T, c *smtpwire.Client, from string, to []string, body string) error {
	t.Helper()
	ctx := testCtx(t)
	require.NoError(t, c.Mail(ctx, from, nil))
	for _, rcpt := range to {
		require.NoError(t, c.Rcpt(ctx, rcpt, nil))
	}
	w, err := c.Data(ctx)
	require.NoError(t, err)
	_, err = io.WriteString(w, body)
	require.NoError(t, err)
	return w.Close()
}

// rawClient speaks SMTP by hand, for what smtpwire will not send.
type rawClient struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawClient {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	return &rawClient{t: t, conn: conn, br: bufio.NewReader(conn)}
}

// write sends s as it is.
func (c *rawClient) write(s string) {
	c.t.Helper()
	_, err := io.WriteString(c.conn, s)
	require.NoError(c.t, err)
}

// reply reads one reply and returns its lines without CRLF, joined by "\n".
func (c *rawClient) reply() string {
	c.t.Helper()
	var lines []string
	for {
		line, err := c.br.ReadString('\n')
		require.NoError(c.t, err, "after %q", lines)
		require.True(c.t, strings.HasSuffix(line, "\r\n"), "reply line %q does not end in CRLF", line)
		line = strings.TrimSuffix(line, "\r\n")
		lines = append(lines, line)
		if len(line) < 4 || line[3] != '-' {
			return strings.Join(lines, "\n")
		}
	}
}

// cmd sends line and CRLF and returns the reply.
func (c *rawClient) cmd(line string) string {
	c.t.Helper()
	c.write(line + "\r\n")
	return c.reply()
}

// starttls runs the client side of the handshake over the connection.
func (c *rawClient) starttls() {
	c.t.Helper()
	require.Zero(c.t, c.br.Buffered(), "server sent bytes before the handshake")
	tc := tls.Client(c.conn, &tls.Config{RootCAs: smtptest.CertPool(), ServerName: "localhost"})
	require.NoError(c.t, tc.Handshake())
	c.conn, c.br = tc, bufio.NewReader(tc)
}

// expectEOF checks that the server closed the connection. A reset counts
// as closed: a server that closes with client bytes still unread in its
// socket (a message interrupted mid-DATA) makes TCP send RST, not FIN.
func (c *rawClient) expectEOF() {
	c.t.Helper()
	rest, err := io.ReadAll(c.br)
	if !errors.Is(err, syscall.ECONNRESET) {
		assert.NoError(c.t, err)
	}
	assert.Empty(c.t, string(rest))
}

func TestMailServerSession(t *testing.T) {
	got := make(chan smtptest.Message, 1)
	srv := newMailServer(t, &smtptest.MailServerOptions{OnMessage: func(m smtptest.Message) { got <- m }})
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), nil)
	assert.Equal(t, "220 smtpsh.demo ESMTP smtpsh demo server", c.Greeting().String())

	require.NoError(t, c.Hello(ctx, "client.test"))
	assert.Equal(t, strings.Join([]string{
		"250-smtpsh.demo Hello client.test",
		"250-PIPELINING",
		"250-SIZE 33554432",
		"250-8BITMIME",
		"250-BINARYMIME",
		"250-CHUNKING",
		"250-DSN",
		"250-ENHANCEDSTATUSCODES",
		"250-STARTTLS",
		"250-SMTPUTF8",
		"250 HELP",
	}, "\n"), c.LastReply().String())
	assert.True(t, c.Extensions().Has("PIPELINING"))
	assert.False(t, c.Extensions().Has("AUTH"), "no Users, no AUTH")

	body := "Subject: hi\r\n\r\nHello.\r\n"
	require.NoError(t, sendMessage(t, c, "alice@example.com", []string{"bob@example.com", "carol@example.com"}, body))
	assert.Equal(t, "250 2.0.0 Ok: queued as 00000001", c.LastReply().String())
	require.NoError(t, c.Quit(ctx))
	assert.Equal(t, "221 2.0.0 Bye", c.LastReply().String())

	var m smtptest.Message
	select {
	case m = <-got:
	default:
		t.Fatal("OnMessage was not called before the 250 reply")
	}
	assert.Equal(t, "00000001", m.ID)
	assert.Equal(t, "alice@example.com", m.From)
	assert.Equal(t, []string{"bob@example.com", "carol@example.com"}, m.To)
	assert.Equal(t, body, string(m.Data))
	assert.False(t, m.TLS)
	assert.Empty(t, m.AuthUser)
	assert.Equal(t, "client.test", m.Helo)
	assert.WithinDuration(t, time.Now(), m.Received, 10*time.Second)
	host, _, err := net.SplitHostPort(m.Remote)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", host)

	msgs := srv.Messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, m, msgs[0])
	msgs[0].Data[0] = 'X' // a copy: the server's own stays intact
	assert.Equal(t, body, string(srv.Messages()[0].Data))
}

func TestMailServerHELO(t *testing.T) {
	srv := newMailServer(t, nil)
	c := dialMail(t, srv.Addr(), nil)
	// RFC 2034 §3: no enhanced code in the HELO/EHLO replies.
	assert.Equal(t, "250 smtpsh.demo Hello old.client", cmd(t, c, "HELO old.client"))
	assert.Equal(t, "501 5.5.4 Syntax: EHLO <hostname>", cmd(t, c, "EHLO"))
	require.NoError(t, sendMessage(t, c, "", []string{"postmaster"}, "x\r\n"))
	m := srv.Messages()[0]
	assert.Equal(t, "", m.From, "null reverse-path")
	assert.Equal(t, []string{"postmaster"}, m.To)
	assert.Equal(t, "old.client", m.Helo)
}

func TestMailServerCommands(t *testing.T) {
	srv := newMailServer(t, nil)
	c := dialMail(t, srv.Addr(), nil)
	for _, tc := range []struct{ line, want string }{
		{"MAIL FROM:<a@example.com>", "503 5.5.1 Error: send HELO/EHLO first"},
		{"RCPT TO:<b@example.com>", "503 5.5.1 Error: need MAIL command"},
		{"DATA", "503 5.5.1 Error: need MAIL command"},
		{"EHLO client.test", ""},
		{"FOO bar", "500 5.5.2 Error: command not recognized"},
		{"BDAT 0 LAST", "503 5.5.1 Error: need MAIL command"},
		{"NOOP anything", "250 2.0.0 Ok"},
		{"VRFY alice", "252 2.5.0 Cannot VRFY user"},
		{"VRFY", "501 5.5.4 Syntax: VRFY <address>"},
		{"EXPN staff", "502 5.5.1 EXPN not available"},
		{"HELP mail", "214 2.0.0 MAIL FROM:<address> [SIZE=<n>] [BODY=7BIT|8BITMIME|BINARYMIME] [SMTPUTF8] [RET=FULL|HDRS] [ENVID=<xtext>]"},
		{"HELP", "214-2.0.0 Commands:\n214-2.0.0   HELO EHLO STARTTLS AUTH MAIL RCPT DATA BDAT\n214-2.0.0   RSET NOOP VRFY EXPN HELP QUIT\n214 2.0.0 HELP <command> shows its syntax"},
		{"HELP nothing", "504 5.5.4 HELP topic unknown"},
		{"AUTH PLAIN AGFsaWNlAHNlY3JldA==", "502 5.5.1 AUTH not available"},
		{"MAIL TO:<a@example.com>", "501 5.5.4 Syntax: MAIL FROM:<address> [SIZE=<n>] [BODY=7BIT|8BITMIME|BINARYMIME] [SMTPUTF8] [RET=FULL|HDRS] [ENVID=<xtext>]"},
		{"MAIL FROM:a@example.com", "501 5.1.7 Bad sender address syntax"},
		{"MAIL FROM:<a b@example.com>", "501 5.1.7 Bad sender address syntax"},
		{"MAIL FROM:<a@example.com> RET=ALL", "501 5.5.4 Bad RET parameter: use FULL or HDRS"},
		{"MAIL FROM:<a@example.com> ENVID=a+2", "501 5.5.4 Bad ENVID parameter: xtext of at most 100 characters"},
		{"MAIL FROM:<a@example.com> BODY=BINARY", "501 5.5.4 Bad BODY parameter: use 7BIT, 8BITMIME or BINARYMIME"},
		{"MAIL FROM:<a@example.com> XFOO", "555 5.5.4 Unsupported parameter XFOO"},
		{"MAIL FROM:<a@example.com> SIZE=ten", "501 5.5.4 Bad SIZE parameter"},
		{"MAIL FROM:<jörg@example.com>", "553 5.6.7 Non-ASCII address needs the SMTPUTF8 parameter"},
		// As typed in telnet: a space after the colon, parameters in any case.
		{"mail from: <a@example.com> size=100 body=8bitmime", "250 2.1.0 Ok"},
		{"MAIL FROM:<a@example.com>", "503 5.5.1 Error: nested MAIL command"},
		{"DATA", "503 5.5.1 Error: need RCPT command"},
		{"RCPT TO:<>", "501 5.1.3 Bad recipient address syntax"},
		{"RCPT TO:<b@example.com> XFOO=1", "555 5.5.4 Unsupported RCPT TO parameter XFOO"},
		{"RCPT TO:<b@bücher.example>", "553 5.6.7 Non-ASCII address needs the SMTPUTF8 parameter on MAIL"},
		{"RCPT TO: <@relay.example:b@example.com>", "250 2.1.5 Ok"},
		{"STARTTLS", "503 5.5.1 Error: MAIL transaction in progress"},
		{"DATA now", "501 5.5.4 Syntax: DATA"},
		{"RSET", "250 2.0.0 Ok"},
		{"RCPT TO:<b@example.com>", "503 5.5.1 Error: need MAIL command"},
		{"MAIL FROM:<jörg@example.com> SMTPUTF8", "250 2.1.0 Ok"},
		{"RCPT TO:<b@bücher.example>", "250 2.1.5 Ok"},
		{"EHLO again.test", ""}, // resets the transaction (RFC 5321 §4.1.4)
		{"RCPT TO:<b@example.com>", "503 5.5.1 Error: need MAIL command"},
	} {
		got := cmd(t, c, tc.line)
		if tc.want == "" {
			assert.True(t, strings.HasPrefix(got, "250"), "%s: got %q", tc.line, got)
			continue
		}
		assert.Equal(t, tc.want, got, tc.line)
	}
	assert.Empty(t, srv.Messages())
}

func TestMailServerSTARTTLS(t *testing.T) {
	srv := newMailServer(t, nil)
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), trustingConfig())
	require.NoError(t, c.Hello(ctx, "client.test"))
	assert.True(t, c.Extensions().Has("STARTTLS"))
	assert.Equal(t, "501 5.5.4 Syntax: STARTTLS", cmd(t, c, "STARTTLS now"))
	require.NoError(t, c.StartTLS(ctx)) // and EHLO again
	assert.True(t, c.TLS())
	assert.False(t, c.Extensions().Has("STARTTLS"), "not offered inside TLS")
	assert.Equal(t, "503 5.5.1 TLS already active", cmd(t, c, "STARTTLS"))
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, "secret\r\n"))
	assert.True(t, srv.Messages()[0].TLS)
}

func TestMailServerSTARTTLSForgetsSession(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{Users: map[string]string{"alice": "secret"}})
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), trustingConfig())
	require.NoError(t, c.Hello(ctx, "client.test"))
	require.NoError(t, c.Auth(ctx, smtpwire.PlainAuth("", "alice", "secret")))
	_, err := c.Cmd(ctx, "STARTTLS")
	require.NoError(t, err)
	// RFC 3207 §4.2: the client must say EHLO again, and AUTH is forgotten.
	assert.Equal(t, "503 5.5.1 Error: send HELO/EHLO first", cmd(t, c, "MAIL FROM:<a@example.com>"))
	require.NoError(t, c.Hello(ctx, "client.test"))
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, "x\r\n"))
	assert.Empty(t, srv.Messages()[0].AuthUser)
}

func TestMailServerImplicitTLS(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{ImplicitTLSAddr: "127.0.0.1:0"})
	require.NotEmpty(t, srv.ImplicitTLSAddr())
	ctx := testCtx(t)
	cfg := trustingConfig()
	cfg.ImplicitTLS = true
	c := dialMail(t, srv.ImplicitTLSAddr(), cfg)
	info, ok := c.TLSInfo()
	require.True(t, ok)
	assert.True(t, info.Verified)
	assert.Equal(t, "220 smtpsh.demo ESMTP smtpsh demo server", c.Greeting().String())
	require.NoError(t, c.Hello(ctx, "client.test"))
	assert.False(t, c.Extensions().Has("STARTTLS"))
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, "x\r\n"))
	require.NoError(t, c.Quit(ctx))
	assert.True(t, srv.Messages()[0].TLS)

	noImplicit := newMailServer(t, nil)
	assert.Empty(t, noImplicit.ImplicitTLSAddr())
}

func TestMailServerNoTLS(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{NoTLS: true})
	c := dialMail(t, srv.Addr(), nil)
	require.NoError(t, c.Hello(testCtx(t), "client.test"))
	assert.False(t, c.Extensions().Has("STARTTLS"))
	assert.Equal(t, "454 4.7.0 TLS not available", cmd(t, c, "STARTTLS"))
}

func TestMailServerOptionErrors(t *testing.T) {
	for _, opts := range []smtptest.MailServerOptions{
		{RequireAuth: true},
		{NoTLS: true, AuthRequiresTLS: true, Users: map[string]string{"a": "b"}},
		{NoTLS: true, ImplicitTLSAddr: "127.0.0.1:0"},
		{Addr: "127.0.0.1:notaport"},
	} {
		_, err := smtptest.NewMailServer(&opts)
		assert.Error(t, err, "%+v", opts)
	}
}

// STARTTLS followed, in the same packet, by a command: the command came in
// plain text and must not be run inside TLS (CVE-2011-0411).
func TestMailServerSTARTTLSInjectionDiscarded(t *testing.T) {
	var mu sync.Mutex
	var trace []string
	srv := newMailServer(t, &smtptest.MailServerOptions{Trace: func(_ string, dir smtpwire.Direction, line string) {
		mu.Lock()
		defer mu.Unlock()
		trace = append(trace, dir.String()+": "+line)
	}})
	c := dialRaw(t, srv.Addr())
	c.reply()
	c.cmd("EHLO client.test")
	c.write("STARTTLS\r\nMAIL FROM:<evil@example.com>\r\n")
	assert.Equal(t, "220 2.0.0 Ready to start TLS", c.reply())
	c.starttls()
	assert.Contains(t, c.cmd("EHLO client.test"), "250 HELP")
	assert.Equal(t, "503 5.5.1 Error: need MAIL command", c.cmd("RCPT TO:<b@example.com>"))
	assert.Equal(t, "221 2.0.0 Bye", c.cmd("QUIT"))
	c.expectEOF()
	mu.Lock()
	defer mu.Unlock()
	assert.NotContains(t, strings.Join(trace, "\n"), "evil")
}

func TestMailServerLongCommandLine(t *testing.T) {
	srv := newMailServer(t, nil)
	c := dialRaw(t, srv.Addr())
	c.reply()
	c.write("NOOP " + strings.Repeat("x", 100<<10) + "\r\n")
	assert.Equal(t, "500 5.5.2 Line too long", c.reply())
	// The line is gone whole: the session is in step.
	assert.Equal(t, "250 2.0.0 Ok", c.cmd("NOOP"))
	// At the limit, the line is accepted.
	line := "NOOP " + strings.Repeat("y", smtptest.MailCommandLineLimit-len("NOOP \r\n"))
	assert.Equal(t, "250 2.0.0 Ok", c.cmd(line))
	assert.Equal(t, "500 5.5.2 Line too long", c.cmd(line+"z"))
	assert.Equal(t, "250 2.0.0 Ok", c.cmd("NOOP"))
}

func TestMailServerIdleTimeout(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{Timeout: 200 * time.Millisecond})
	c := dialRaw(t, srv.Addr())
	c.reply()
	assert.Equal(t, "250 smtpsh.demo Hello client.test", c.cmd("HELO client.test"))
	start := time.Now()
	assert.Equal(t, "421 4.4.2 smtpsh.demo Error: timeout exceeded", c.reply())
	assert.Less(t, time.Since(start), 5*time.Second)
	c.expectEOF()

	// In the middle of a message too.
	c = dialRaw(t, srv.Addr())
	c.reply()
	c.cmd("HELO client.test")
	c.cmd("MAIL FROM:<a@example.com>")
	c.cmd("RCPT TO:<b@example.com>")
	assert.Equal(t, "354 End data with <CR><LF>.<CR><LF>", c.cmd("DATA"))
	c.write("half a line")
	assert.Equal(t, "421 4.4.2 smtpsh.demo Error: timeout exceeded", c.reply())
	c.expectEOF()
	assert.Empty(t, srv.Messages())
}

func TestMailServerCloseWithIdleClients(t *testing.T) {
	before := runtime.NumGoroutine()
	srv, err := smtptest.NewMailServer(&smtptest.MailServerOptions{ImplicitTLSAddr: "127.0.0.1:0"})
	require.NoError(t, err)
	idle := dialRaw(t, srv.Addr())
	idle.reply()
	mid := dialRaw(t, srv.Addr())
	mid.reply()
	mid.cmd("EHLO client.test")
	mid.cmd("MAIL FROM:<a@example.com>")
	mid.cmd("RCPT TO:<b@example.com>")
	mid.cmd("DATA")
	mid.write("part of a message\r\n")
	tlsc := dialMail(t, srv.ImplicitTLSAddr(), &smtpwire.Config{ImplicitTLS: true, TLSConfig: &tls.Config{RootCAs: smtptest.CertPool(), ServerName: "localhost"}})
	// A connection that never speaks, stuck before the TLS handshake.
	silent := dialRaw(t, srv.ImplicitTLSAddr())
	require.Eventually(t, func() bool { return runtime.NumGoroutine() >= before+6 }, 5*time.Second, 10*time.Millisecond,
		"two accept loops and four sessions are running")

	start := time.Now()
	require.NoError(t, srv.Close())
	assert.Less(t, time.Since(start), time.Second, "Close must interrupt idle sessions")

	for _, c := range []*rawClient{idle, mid} {
		assert.Equal(t, "421 4.3.2 smtpsh.demo Service shutting down", c.reply())
		c.expectEOF()
	}
	// The smtpwire client is not reading: the 421 waits in its socket.
	tlsc.Conn().SetReadDeadline(time.Now().Add(5 * time.Second))
	rest, err := io.ReadAll(tlsc.Conn())
	assert.NoError(t, err)
	assert.Equal(t, "421 4.3.2 smtpsh.demo Service shutting down\r\n", string(rest))
	_, err = io.Copy(io.Discard, silent.conn)
	assert.NoError(t, err, "the silent connection is closed")
	_, err = net.DialTimeout("tcp", srv.Addr(), time.Second)
	assert.Error(t, err, "the listener is closed")
	require.NoError(t, srv.Close(), "a second Close")

	// Every server goroutine has returned (loosely: the runtime may have
	// goroutines of its own coming and going).
	// Polled here, not with assert.Eventually, whose condition runs in a
	// goroutine of its own.
	for end := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

func TestMailServerTooManyConnections(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{MaxConnections: 1})
	first := dialRaw(t, srv.Addr())
	first.reply()
	second := dialRaw(t, srv.Addr())
	assert.Equal(t, "421 4.7.0 smtpsh.demo Too many connections, try again later", second.reply())
	second.expectEOF()
	assert.Equal(t, "221 2.0.0 Bye", first.cmd("QUIT"))
	first.expectEOF()
	assert.Eventually(t, func() bool {
		c, err := net.DialTimeout("tcp", srv.Addr(), time.Second)
		if err != nil {
			return false
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		line, _ := bufio.NewReader(c).ReadString('\n')
		return strings.HasPrefix(line, "220 ")
	}, 5*time.Second, 20*time.Millisecond, "a slot is free again after QUIT")
}

func TestMailServerTrace(t *testing.T) {
	var mu sync.Mutex
	var trace []string
	srv := newMailServer(t, &smtptest.MailServerOptions{
		Users: map[string]string{"alice": "secret"},
		Trace: func(remote string, dir smtpwire.Direction, line string) {
			mu.Lock()
			defer mu.Unlock()
			trace = append(trace, dir.String()+": "+line)
		},
	})
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), nil)
	require.NoError(t, c.Hello(ctx, "client.test"))
	require.NoError(t, c.Auth(ctx, smtpwire.LoginAuth("alice", "secret")))
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, ".dot\r\n"))
	require.NoError(t, c.Quit(ctx))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{
		"S: 220 smtpsh.demo ESMTP smtpsh demo server",
		"C: EHLO client.test",
		"S: 250-smtpsh.demo Hello client.test",
		"S: 250-PIPELINING",
		"S: 250-SIZE 33554432",
		"S: 250-8BITMIME",
		"S: 250-BINARYMIME",
		"S: 250-CHUNKING",
		"S: 250-DSN",
		"S: 250-ENHANCEDSTATUSCODES",
		"S: 250-STARTTLS",
		"S: 250-AUTH PLAIN LOGIN",
		"S: 250-SMTPUTF8",
		"S: 250 HELP",
		"C: AUTH LOGIN",
		"S: 334 VXNlcm5hbWU6",
		"C: [redacted]",
		"S: 334 UGFzc3dvcmQ6",
		"C: [redacted]",
		"S: 235 2.7.0 Authentication successful",
		"C: MAIL FROM:<a@example.com>",
		"S: 250 2.1.0 Ok",
		"C: RCPT TO:<b@example.com>",
		"S: 250 2.1.5 Ok",
		"C: DATA",
		"S: 354 End data with <CR><LF>.<CR><LF>",
		"C: ..dot",
		"C: .",
		"S: 250 2.0.0 Ok: queued as 00000001",
		"C: QUIT",
		"S: 221 2.0.0 Bye",
	}, trace)
}

func TestMailServerKeepMessages(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{KeepMessages: 2})
	c := dialMail(t, srv.Addr(), nil)
	require.NoError(t, c.Hello(testCtx(t), "client.test"))
	for _, body := range []string{"one\r\n", "two\r\n", "three\r\n"} {
		require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, body))
	}
	msgs := srv.Messages()
	require.Len(t, msgs, 2)
	assert.Equal(t, "00000002", msgs[0].ID)
	assert.Equal(t, "two\r\n", string(msgs[0].Data))
	assert.Equal(t, "00000003", msgs[1].ID)

	none := newMailServer(t, &smtptest.MailServerOptions{KeepMessages: -1})
	c = dialMail(t, none.Addr(), nil)
	require.NoError(t, c.Hello(testCtx(t), "client.test"))
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, "x\r\n"))
	assert.Empty(t, none.Messages())
}

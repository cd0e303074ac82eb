//go:build integration

// Integration tests: smtpwire against real SMTP servers (Postfix with
// Dovecot SASL, aiosmtpd, smtp-sink) started on 127.0.0.1 by
// scripts/servers.sh. They run with
//
//	scripts/servers.sh start
//	go test -tags integration -count=1 ./...
//
// and fail, never skip, when the servers' env file is missing: a green
// integration run must mean the real servers were exercised. The env file
// is $SMTPSH_SERVERS_ENV, else $SMTPSH_SERVERS_DIR/servers.env, else
// /tmp/smtpsh-servers/servers.env.
package smtpwire_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest/realservers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realServers are the servers of scripts/servers.sh, with the helpers
// these tests add.
type realServers struct{ *realservers.Servers }

// loadServers reads the env file, or fails the test saying how to make it.
func loadServers(t testing.TB) *realServers { return &realServers{realservers.Load(t)} }

// config is the client configuration trusting the test CA.
func (s *realServers) config(implicit bool) *smtpwire.Config {
	return &smtpwire.Config{
		LocalName:   "client.smtpsh.test",
		ImplicitTLS: implicit,
		CAFile:      s.CAFile,
		Timeouts: smtpwire.Timeouts{
			Connect: 10 * time.Second, TLS: 10 * time.Second, Greeting: 30 * time.Second,
			Command: 30 * time.Second, DataTerm: 60 * time.Second,
		},
	}
}

// testCtx bounds one integration test.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// dial connects with cfg (nil: s.config(implicit)) and reads the greeting;
// the client is closed when the test ends.
func (s *realServers) dial(t *testing.T, ctx context.Context, addr string, cfg *smtpwire.Config) *smtpwire.Client {
	t.Helper()
	c, err := smtpwire.Dial(ctx, addr, cfg)
	require.NoError(t, err, "dial %s", addr)
	t.Cleanup(func() { c.Close() })
	return c
}

// submit dials addr, says EHLO, upgrades with STARTTLS unless the port is
// implicit TLS, and authenticates with m when m is not nil.
func (s *realServers) submit(t *testing.T, ctx context.Context, addr string, implicit bool, m smtpwire.Mechanism) *smtpwire.Client {
	t.Helper()
	c := s.dial(t, ctx, addr, s.config(implicit))
	require.NoError(t, c.Hello(ctx, ""))
	if !implicit {
		require.True(t, c.Extensions().StartTLS(), "%s offers STARTTLS", addr)
		require.NoError(t, c.StartTLS(ctx))
	}
	info, ok := c.TLSInfo()
	require.True(t, ok)
	assert.True(t, info.Verified, "the server certificate verifies against the test CA")
	assert.Equal(t, implicit, info.Implicit)
	if m != nil {
		require.Contains(t, c.Extensions().AuthMechanisms(), m.Name())
		require.NoError(t, c.Auth(ctx, m))
		require.True(t, c.Authenticated())
	}
	return c
}

// message is one test message: its envelope and its exact bytes.
type message struct {
	id   string // Message-ID without <>, unique per test
	from string
	to   []string
	head string // header section, CRLF line endings, without the empty line
	body string // CRLF line endings
}

func (m *message) bytes() string { return m.head + "\r\n" + m.body }

// newMessage builds a message with a unique Message-ID; body lines are
// joined with CRLF and end with CRLF.
func newMessage(t *testing.T, from string, to []string, subject string, bodyLines ...string) *message {
	id := fmt.Sprintf("%d.%s@client.smtpsh.test", time.Now().UnixNano(), strings.NewReplacer("/", ".", " ", "_").Replace(t.Name()))
	head := strings.Join([]string{
		"From: Smtpsh Tester <" + from + ">",
		"To: " + strings.Join(to, ", "),
		"Subject: " + subject,
		"Date: Sun, 22 Nov 2026 08:00:00 +0000",
		"Message-ID: <" + id + ">",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: 8bit",
	}, "\r\n") + "\r\n"
	return &message{id: id, from: from, to: to, head: head, body: strings.Join(bodyLines, "\r\n") + "\r\n"}
}

// trickyBody is the body every delivery test sends: the lines that
// dot-stuffing, line limits and 8-bit transport get wrong.
func trickyBody() []string {
	long := "1000 octets with CRLF: "
	long += strings.Repeat("x", 998-len(long))
	return []string{
		"The next line is a lone dot; then one that starts with two dots.",
		".",
		"..two dots",
		".one dot",
		"...",
		"",
		long,
		"8-bit UTF-8: 测试邮件 (test mail), Grüße, ÅÄÖ, emoji 📨",
		"trailing spaces   ",
		"\ttab first",
		"last line",
	}
}

// send runs one transaction with the verb methods and leaves the session
// open; it returns the server's final reply text.
func send(t *testing.T, ctx context.Context, c *smtpwire.Client, m *message, opts *smtpwire.MailOptions) string {
	t.Helper()
	require.NoError(t, c.Mail(ctx, m.from, opts))
	for _, rcpt := range m.to {
		require.NoError(t, c.Rcpt(ctx, rcpt, nil))
	}
	w, err := c.Data(ctx)
	require.NoError(t, err)
	// Small writes that split lines and CRLFs, as a program's would.
	data := m.bytes()
	for len(data) > 0 {
		n := min(len(data), 37)
		_, err := io.WriteString(w, data[:n])
		require.NoError(t, err)
		data = data[n:]
	}
	require.NoError(t, w.Close())
	require.NotNil(t, c.LastReply())
	assert.Equal(t, 250, c.LastReply().Code)
	return c.LastReply().Message()
}

// waitFile finds the delivered copy holding needle (see realservers.WaitFile).
func waitFile(t *testing.T, dir, needle string, blocks int) string {
	t.Helper()
	return realservers.WaitFile(t, dir, needle, blocks, 60*time.Second)
}

// maildirMessage is a message as Postfix's virtual(8) stored it: LF line
// endings, and the headers Postfix added on top of the client's.
type maildirMessage struct {
	path    string
	added   []string // header lines above the client's first header, unfolded
	head    string   // the client's header section, LF endings
	body    string
	rawHead string
}

// readMaildir splits a delivered file into what Postfix added, the
// client's header section and the body.
func readMaildir(t *testing.T, path, firstClientHeader string) *maildirMessage {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	s := string(data)
	assert.NotContains(t, s, "\r", "Maildir files have LF line endings")
	i := strings.Index(s, "\n\n")
	require.Positive(t, i, "a header section and a body")
	head, body := s[:i+1], s[i+2:]
	j := strings.Index(head, firstClientHeader)
	require.GreaterOrEqual(t, j, 0, "the client's headers are in %s", path)
	added := strings.ReplaceAll(head[:j], "\n\t", " ")
	return &maildirMessage{path: path, added: strings.Split(strings.TrimSuffix(added, "\n"), "\n"), head: head[j:], body: body, rawHead: head}
}

// header returns the values of name in lines ("Name: value").
func header(lines []string, name string) []string {
	var out []string
	for _, l := range lines {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, name) {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

func lf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// checkPostfixDelivery checks one recipient's copy of m in maildir: the
// client's headers and body byte for byte (with the LF line endings of a
// Maildir), and the envelope as Postfix recorded it.
func checkPostfixDelivery(t *testing.T, maildir string, m *message, rcpt string) {
	t.Helper()
	got := readMaildir(t, waitFile(t, maildir, "<"+m.id+">", 1), "From: ")
	assert.Equal(t, lf(m.head), got.head, "the client's header section, unchanged")
	assert.Equal(t, lf(m.body), got.body, "the body, byte for byte after un-stuffing")
	assert.Equal(t, []string{"<" + m.from + ">"}, header(got.added, "Return-Path"), "envelope sender")
	assert.Equal(t, []string{rcpt}, header(got.added, "Delivered-To"), "envelope recipient")
	assert.Equal(t, []string{rcpt}, header(got.added, "X-Original-To"), "original envelope recipient")
	received := header(got.added, "Received")
	if assert.Len(t, received, 1) {
		assert.Contains(t, received[0], "from client.smtpsh.test", "the EHLO name")
		assert.Contains(t, received[0], "by mx.smtpsh.test (Postfix)")
	}
}

// aioMessage is a message as the aiosmtpd test server stored it.
type aioMessage struct {
	envelope []string // MAIL FROM, RCPT TO..., X-Smtpsh-Auth, X-Smtpsh-TLS lines
	content  string
}

func readAio(t *testing.T, path string) *aioMessage {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	env, content, ok := strings.Cut(string(data), "\r\n\r\n")
	require.True(t, ok, "an envelope block and the content in %s", path)
	return &aioMessage{envelope: strings.Split(env, "\r\n"), content: content}
}

// b64Body generates a deterministic attachment-like body of about size
// bytes: base64 lines of 76 characters, each ending in eol. It holds one
// line in memory whatever the size, so the message is streamed, never
// built.
type b64Body struct {
	rng   *rand.ChaCha8
	lines int // lines still to generate
	eol   string
	raw   [57]byte
	line  []byte
	pos   int
}

// newB64Body generates size bytes or a little more with CRLF line endings;
// the same lines with another eol.
func newB64Body(size int, eol string) *b64Body {
	return &b64Body{rng: rand.NewChaCha8([32]byte{'s', 'm', 't', 'p', 's', 'h'}), lines: (size + 77) / 78, eol: eol}
}

func (g *b64Body) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if g.pos == len(g.line) {
			if g.lines == 0 {
				break
			}
			g.lines--
			g.rng.Read(g.raw[:])
			g.line = base64.StdEncoding.AppendEncode(g.line[:0], g.raw[:])
			g.line = append(g.line, g.eol...)
			g.pos = 0
		}
		c := copy(p[n:], g.line[g.pos:])
		g.pos += c
		n += c
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// digest is the size and SHA-256 of a stream.
type digest struct {
	n   int64
	sum [32]byte
}

func digestOf(t *testing.T, r io.Reader) digest {
	t.Helper()
	h := sha256.New()
	n, err := io.Copy(h, r)
	require.NoError(t, err)
	var d digest
	d.n = n
	copy(d.sum[:], h.Sum(nil))
	return d
}

func (d digest) String() string { return fmt.Sprintf("%d bytes, sha256 %x", d.n, d.sum[:8]) }

const bigSize = 10 << 20 // 10 MiB of base64 lines

// sendBig streams a 10 MiB message from the generator and checks that
// the client's memory did not grow with it. It returns the message
// header (CRLF) so the delivered copy can be found and checked.
func sendBig(t *testing.T, ctx context.Context, c *smtpwire.Client, from, to string) *message {
	t.Helper()
	m := newMessage(t, from, []string{to}, "10 MiB attachment-sized body")
	m.body = "" // streamed from the generator instead
	head := m.head + "\r\n"
	// TotalAlloc counts the whole process: a transient allocator (a GC
	// that emptied crypto/tls's buffer pools, another test's goroutine
	// winding down) can land in one measurement. Growth with the message
	// would be in every one: the least of three sends is the measure.
	var least uint64
	for try := 0; try < 3; try++ {
		allocated := sendBigOnce(t, ctx, c, from, to, head)
		if try == 0 || allocated < least {
			least = allocated
		}
		if least < uint64(bigSize/4) {
			break
		}
	}
	assert.Less(t, least, uint64(bigSize/4), "streaming 10 MiB allocated %d bytes at the least: memory must not grow with the message", least)
	return m
}

// sendBigOnce sends the big message once and returns what the process
// allocated meanwhile.
func sendBigOnce(t *testing.T, ctx context.Context, c *smtpwire.Client, from, to, head string) uint64 {
	t.Helper()
	require.NoError(t, c.Mail(ctx, from, &smtpwire.MailOptions{Size: int64(len(head) + bigSize + 80)}))
	require.NoError(t, c.Rcpt(ctx, to, nil))
	w, err := c.Data(ctx)
	require.NoError(t, err)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = io.WriteString(w, head)
	require.NoError(t, err)
	n, err := io.Copy(w, newB64Body(bigSize, "\r\n"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, n, int64(bigSize))
	require.NoError(t, w.Close())
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("streamed %d body bytes, %d bytes allocated meanwhile", n, allocated)
	assert.Equal(t, 250, c.LastReply().Code)
	return allocated
}

// bodyDigest hashes the body of a stored message: everything after the
// first blocks sections ended by an empty line (1 for a Maildir file: the
// headers; 2 for an aiosmtpd file: the envelope, then the headers).
func bodyDigest(t *testing.T, path string, blocks int) digest {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r := bufio.NewReader(f)
	for range blocks {
		_, err = realservers.ReadHead(r)
		require.NoError(t, err)
	}
	return digestOf(t, r)
}

// replyErr asserts err is a *smtpwire.ReplyError and returns it.
func replyErr(t *testing.T, err error) *smtpwire.ReplyError {
	t.Helper()
	var re *smtpwire.ReplyError
	require.ErrorAs(t, err, &re, "want a *smtpwire.ReplyError, got %v", err)
	return re
}

func enh(class, subject, detail int) smtpwire.EnhancedCode {
	return smtpwire.EnhancedCode{Class: class, Subject: subject, Detail: detail}
}

// authMechs are the AUTH mechanisms every authenticating test runs with.
var authMechs = []string{"PLAIN", "LOGIN"}

// mech returns a fresh mechanism (LOGIN keeps state) named name.
func (s *realServers) mech(name, password string) smtpwire.Mechanism {
	if name == "LOGIN" {
		return smtpwire.LoginAuth(s.User, password)
	}
	return smtpwire.PlainAuth("", s.User, password)
}

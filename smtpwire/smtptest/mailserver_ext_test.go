package smtptest_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// A pipelined group (RFC 2920 §3.1) is answered in order, and in one write:
// the replies are flushed only when the server has no command left to read.
func TestMailServerPipelining(t *testing.T) {
	srv := newMailServer(t, nil)
	c := dialRaw(t, srv.Addr())
	c.reply()
	c.write("EHLO client.test\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n")
	buf := make([]byte, 4096)
	n, err := c.conn.Read(buf)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(buf[:n]), "\r\n"), "\r\n")
	assert.Equal(t, []string{"250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"}, lines[len(lines)-4:],
		"all replies of the group in one read")
	assert.Equal(t, "250-smtpsh.demo Hello client.test", lines[0])
	c.write("Subject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n")
	assert.Equal(t, "250 2.0.0 Ok: queued as 00000001", c.reply())
	assert.Equal(t, "221 2.0.0 Bye", c.reply())
	c.expectEOF()
}

// BDAT chunks (RFC 3030): one reply per chunk, binary data kept as sent
// (no dot-stuffing, bare CR and LF, NUL), pipelined chunks answered in order.
func TestMailServerBDAT(t *testing.T) {
	srv := newMailServer(t, nil)
	c := dialRaw(t, srv.Addr())
	c.reply()
	c.cmd("EHLO client.test")
	assert.Equal(t, "250 2.1.0 Ok", c.cmd("MAIL FROM:<a@example.com> BODY=BINARYMIME"))
	assert.Equal(t, "250 2.1.5 Ok", c.cmd("RCPT TO:<b@example.com>"))
	assert.Equal(t, "503 5.5.1 Error: BODY=BINARYMIME requires BDAT", c.cmd("DATA"))
	part1 := "Subject: bin\r\n\r\n.dot\n"
	part2 := "\x00\r\xff.\r\n"
	c.write("BDAT " + itoa(len(part1)) + "\r\n" + part1 + "BDAT " + itoa(len(part2)) + " last\r\n" + part2)
	assert.Equal(t, "250 2.0.0 "+itoa(len(part1))+" octets received", c.reply())
	assert.Equal(t, "250 2.0.0 Ok: queued as 00000001", c.reply())
	msgs := srv.Messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, part1+part2, string(msgs[0].Data))
	assert.True(t, msgs[0].Chunked)
	assert.Equal(t, "BINARYMIME", msgs[0].Body)

	// BDAT 0 LAST ends a message; DATA after a chunk is refused.
	c.cmd("MAIL FROM:<a@example.com>")
	c.cmd("RCPT TO:<b@example.com>")
	c.write("BDAT 3\r\nabc")
	assert.Equal(t, "250 2.0.0 3 octets received", c.reply())
	assert.Equal(t, "503 5.5.1 Error: BDAT transaction in progress, DATA not allowed", c.cmd("DATA"))
	assert.Equal(t, "250 2.0.0 Ok: queued as 00000002", c.cmd("BDAT 0 LAST"))
	assert.Equal(t, "abc", string(srv.Messages()[1].Data))

	// A refused BDAT still has its chunk read, so the session stays in
	// step; bad syntax cannot be skipped.
	c.write("BDAT 5 LAST\r\nNOOP\n")
	assert.Equal(t, "503 5.5.1 Error: need MAIL command", c.reply())
	assert.Equal(t, "501 5.5.4 Syntax: BDAT <chunk-size> [LAST]", c.cmd("BDAT -1"))
	assert.Equal(t, "501 5.5.4 Syntax: BDAT <chunk-size> [LAST]", c.cmd("BDAT 1 FIRST"))
	assert.Equal(t, "250 2.0.0 Ok", c.cmd("NOOP"))
}

func TestMailServerBDATTooBig(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{MaxMessageSize: 10})
	c := dialRaw(t, srv.Addr())
	c.reply()
	c.cmd("EHLO client.test")
	c.cmd("MAIL FROM:<a@example.com>")
	c.cmd("RCPT TO:<b@example.com>")
	c.write("BDAT 8\r\n12345678BDAT 8 LAST\r\n12345678")
	assert.Equal(t, "250 2.0.0 8 octets received", c.reply())
	assert.Equal(t, "552 5.3.4 Message size exceeds fixed maximum message size", c.reply())
	assert.Equal(t, "250 2.0.0 Ok", c.cmd("NOOP"), "still in step after the dropped chunk")
	assert.Empty(t, srv.Messages())
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestMailServerDSN(t *testing.T) {
	srv := newMailServer(t, nil)
	c := dialRaw(t, srv.Addr())
	c.reply()
	c.cmd("EHLO client.test")
	assert.Equal(t, "250 2.1.0 Ok", c.cmd("MAIL FROM:<a@example.com> RET=hdrs ENVID=QQ+2B1"))
	assert.Equal(t, "250 2.1.5 Ok", c.cmd("RCPT TO:<b@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+40example.com"))
	assert.Equal(t, "250 2.1.5 Ok", c.cmd("RCPT TO:<c@example.com>"))
	assert.Equal(t, "501 5.5.4 Bad NOTIFY parameter: NEVER, or SUCCESS, FAILURE, DELAY joined by commas", c.cmd("RCPT TO:<d@example.com> NOTIFY=NEVER,DELAY"))
	assert.Equal(t, "501 5.5.4 Bad ORCPT parameter: use addr-type;xtext", c.cmd("RCPT TO:<d@example.com> ORCPT=b@example.com"))
	c.cmd("DATA")
	assert.Equal(t, "250 2.0.0 Ok: queued as 00000001", c.cmd("x\r\n."))
	want := smtptest.DSN{Ret: "HDRS", EnvID: "QQ+1", Notify: []string{"SUCCESS,FAILURE", ""}, ORcpt: []string{"rfc822;b@example.com", ""}}
	assert.Equal(t, want, srv.Messages()[0].DSN)
}

func TestMailServerAcceptAnyAuth(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{AcceptAnyAuth: true, RequireAuth: true})
	c := dialRaw(t, srv.Addr())
	c.reply()
	assert.Contains(t, c.cmd("EHLO client.test"), "250-AUTH PLAIN LOGIN")
	assert.Equal(t, "530 5.7.0 Authentication required", c.cmd("MAIL FROM:<a@example.com>"))
	assert.Equal(t, "235 2.7.0 Authentication successful", c.cmd("AUTH PLAIN AGFueQB0aGluZw==")) // "\0any\0thing"
	assert.Equal(t, "250 2.1.0 Ok", c.cmd("MAIL FROM:<a@example.com>"))
}

func TestMailServerSessionLog(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{Users: map[string]string{"u": "p"}})
	c := dialMail(t, srv.Addr(), trustingConfig())
	ctx := testCtx(t)
	require.NoError(t, c.Hello(ctx, "client.test"))
	require.NoError(t, c.StartTLS(ctx))
	require.NoError(t, c.Hello(ctx, "client.test"))
	require.NoError(t, c.Auth(ctx, smtpwire.PlainAuth("", "u", "p")))
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, "hi\r\n"))
	require.NoError(t, c.Quit(ctx))
	c.Close()

	var s smtptest.Session
	require.Eventually(t, func() bool {
		all := srv.Sessions()
		return len(all) == 1 && !all[0].Open()
	}, 5*time.Second, 10*time.Millisecond)
	s, ok := srv.Session(srv.Sessions()[0].ID)
	require.True(t, ok)
	assert.Equal(t, "S00000001", s.ID)
	assert.Equal(t, "client.test", s.Helo)
	assert.Equal(t, "u", s.AuthUser)
	assert.Equal(t, "PLAIN", s.AuthMech)
	require.NotNil(t, s.TLS)
	assert.Equal(t, "TLS 1.3", s.TLS.Version)
	assert.Equal(t, "localhost", s.TLS.ServerName)
	assert.Equal(t, []string{"00000001"}, s.Messages)
	assert.Equal(t, "S00000001", srv.Messages()[0].Session)
	var text []string
	for _, l := range s.Lines {
		text = append(text, l.Dir.String()+": "+l.Text)
		assert.False(t, l.Time.Before(s.Start), l.Text)
	}
	assert.Contains(t, text, "C: AUTH PLAIN [redacted]")
	assert.Equal(t, "S: 221 2.0.0 Bye", text[len(text)-1])
	for _, l := range text {
		assert.NotContains(t, l, "AHUAcA", "no AUTH payload in the log")
	}

	_, ok = srv.Message("00000001")
	assert.True(t, ok)
	assert.True(t, srv.DeleteMessage("00000001"))
	assert.False(t, srv.DeleteMessage("00000001"))
	srv.DeleteSessions()
	assert.Empty(t, srv.Sessions())
}

// Changed wakes a waiter when a message arrives.
func TestMailServerChanged(t *testing.T) {
	srv := newMailServer(t, nil)
	ch := srv.Changed()
	select {
	case <-ch:
		t.Fatal("changed before anything happened")
	default:
	}
	c := dialMail(t, srv.Addr(), nil)
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("no change signalled for a new session")
	}
	ch = srv.Changed()
	require.NoError(t, c.Hello(testCtx(t), "client.test"))
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, "hi\r\n"))
	select {
	case <-ch:
	default:
		t.Fatal("no change signalled for the message before its 250")
	}
}

// A chunk larger than the server's read buffer, with the next command
// right behind it in the same write.
func TestMailServerBDATLargeChunk(t *testing.T) {
	srv := newMailServer(t, nil)
	c := dialRaw(t, srv.Addr())
	c.reply()
	c.cmd("EHLO client.test")
	c.cmd("MAIL FROM:<a@example.com> BODY=BINARYMIME")
	c.cmd("RCPT TO:<b@example.com>")
	chunk := make([]byte, 100_000)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	c.write("BDAT 100000 LAST\r\n" + string(chunk) + "NOOP\r\n")
	assert.Equal(t, "250 2.0.0 Ok: queued as 00000001", c.reply())
	assert.Equal(t, "250 2.0.0 Ok", c.reply())
	assert.Equal(t, chunk, srv.Messages()[0].Data)
}

package smtptest_test

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

func TestMailServerDotUnstuffing(t *testing.T) {
	srv := newMailServer(t, nil)
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), nil)
	require.NoError(t, c.Hello(ctx, "client.test"))
	body := ".\r\n..x\r\n.hidden\r\nGrüße, 日本語: 8-bit text\r\n\r\n. \r\nlast\r\n"
	require.NoError(t, c.Mail(ctx, "a@example.com", &smtpwire.MailOptions{Body: "8BITMIME", SMTPUTF8: true}))
	require.NoError(t, c.Rcpt(ctx, "b@example.com", nil))
	w, err := c.Data(ctx)
	require.NoError(t, err)
	_, err = io.WriteString(w, body)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	assert.Equal(t, body, string(srv.Messages()[0].Data), "byte for byte")
}

// TestMailServerRawData sends message text that smtpwire would repair:
// bare LFs and CRs, and "." lines that are not CRLF "." CRLF.
func TestMailServerRawData(t *testing.T) {
	srv := newMailServer(t, nil)
	c := dialRaw(t, srv.Addr())
	c.reply()
	c.cmd("EHLO client.test")
	for i, tc := range []struct{ name, wire, stored string }{
		{"dots", "..a\r\n...\r\nb.\r\n.\r\n", ".a\r\n..\r\nb.\r\n"},
		{"empty", ".\r\n", ""},
		{"bare LF dot bare LF", "one\n.\nMAIL FROM:<evil@example.com>\r\ntwo\r\n.\r\n", "one\n.\nMAIL FROM:<evil@example.com>\r\ntwo\r\n"},
		{"CRLF dot bare LF", "one\r\n.\nRSET\r\n.\r\n", "one\r\n.\nRSET\r\n"},
		{"bare LF dot CRLF", "one\n.\r\nRSET\r\n.\r\n", "one\n.\r\nRSET\r\n"},
		{"bare CR dot", "one\r.\r\ntwo\r\n.\r\n", "one\r.\r\ntwo\r\n"},
	} {
		assert.Equal(t, "250 2.1.0 Ok", c.cmd("MAIL FROM:<a@example.com>"), tc.name)
		assert.Equal(t, "250 2.1.5 Ok", c.cmd("RCPT TO:<b@example.com>"), tc.name)
		assert.Equal(t, "354 End data with <CR><LF>.<CR><LF>", c.cmd("DATA"), tc.name)
		c.write(tc.wire)
		assert.Equal(t, "250 2.0.0 Ok: queued as 0000000"+string(rune('1'+i)), c.reply(), tc.name)
		// Nothing inside the message ran as a command.
		assert.Equal(t, "503 5.5.1 Error: need MAIL command", c.cmd("RCPT TO:<c@example.com>"), tc.name)
		msgs := srv.Messages()
		require.Len(t, msgs, i+1)
		assert.Equal(t, tc.stored, string(msgs[i].Data), tc.name)
	}
}

// TestMailServerMessageSplitReads sends lines longer than the server's
// read buffer, of lengths around its size, so that a CR and its LF, or a
// leading dot and the rest of its line, come in different reads.
func TestMailServerMessageSplitReads(t *testing.T) {
	srv := newMailServer(t, nil)
	c := dialRaw(t, srv.Addr())
	c.reply()
	c.cmd("EHLO client.test")
	c.cmd("MAIL FROM:<a@example.com>")
	c.cmd("RCPT TO:<b@example.com>")
	c.cmd("DATA")
	var wire, stored strings.Builder
	for n := 4090; n <= 4100; n++ {
		long := strings.Repeat("x", n) + "\r\n"
		wire.WriteString(long + "..dot\r\n." + long)
		stored.WriteString(long + ".dot\r\n" + long)
	}
	wire.WriteString(".\r\n")
	c.write(wire.String())
	assert.Equal(t, "250 2.0.0 Ok: queued as 00000001", c.reply())
	assert.Equal(t, stored.String(), string(srv.Messages()[0].Data))
}

func TestMailServerMessageSize(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{MaxMessageSize: 1000})
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), nil)
	require.NoError(t, c.Hello(ctx, "client.test"))
	size, _ := c.Extensions().Param("SIZE")
	assert.Equal(t, "1000", size)

	tooBig := "552 5.3.4 Message size exceeds fixed maximum message size"
	requireReplyError(t, c.Mail(ctx, "a@example.com", &smtpwire.MailOptions{Size: 1001}), tooBig)
	require.NoError(t, c.Mail(ctx, "a@example.com", &smtpwire.MailOptions{Size: 1000}))
	require.NoError(t, c.Rset(ctx))

	line := strings.Repeat("x", 98) + "\r\n"
	// 1000 octets after unstuffing (1001 on the wire).
	fits := "." + line[1:] + strings.Repeat(line, 9)
	over := strings.Repeat(line, 10) + "y\r\n"
	requireReplyError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, over), tooBig)
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, fits), "the session goes on")
	msgs := srv.Messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, fits, string(msgs[0].Data))
	assert.Equal(t, "00000001", msgs[0].ID, "a rejected message gets no id")

	// Far over the limit: read to the end, not kept.
	requireReplyError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, strings.Repeat(line, 50000)), tooBig)
	require.NoError(t, c.Noop(ctx))
}

func TestMailServerLongMessageLines(t *testing.T) {
	srv := newMailServer(t, nil)
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), nil)
	require.NoError(t, c.Hello(ctx, "client.test"))

	// Over RFC 5321's 1000 octets, under the cap: accepted.
	long := strings.Repeat("a", 5000) + "\r\n"
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, long))
	assert.Equal(t, long, string(srv.Messages()[0].Data))

	atCap := strings.Repeat("b", smtptest.MailTextLineLimit-2) + "\r\n"
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, atCap))

	overCap := "short\r\n" + strings.Repeat("c", smtptest.MailTextLineLimit-1) + "\r\nshort\r\n"
	requireReplyError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, overCap),
		"554 5.6.0 Message has a line longer than 65536 octets")
	require.NoError(t, sendMessage(t, c, "a@example.com", []string{"b@example.com"}, "ok\r\n"), "the session goes on")
	assert.Len(t, srv.Messages(), 3)
}

func TestMailServerTooManyRecipients(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{MaxRecipients: 2})
	ctx := testCtx(t)
	c := dialMail(t, srv.Addr(), nil)
	require.NoError(t, c.Hello(ctx, "client.test"))
	require.NoError(t, c.Mail(ctx, "a@example.com", nil))
	require.NoError(t, c.Rcpt(ctx, "b@example.com", nil))
	require.NoError(t, c.Rcpt(ctx, "c@example.com", nil))
	requireReplyError(t, c.Rcpt(ctx, "d@example.com", nil), "452 4.5.3 Too many recipients")
	w, err := c.Data(ctx)
	require.NoError(t, err)
	io.WriteString(w, "x\r\n")
	require.NoError(t, w.Close())
	assert.Equal(t, []string{"b@example.com", "c@example.com"}, srv.Messages()[0].To)
}

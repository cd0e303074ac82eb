package smtpwire_test

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func lmtpSession(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
	if err := c.Hello(ctx, ""); err != nil {
		return err
	}
	if err := c.Mail(ctx, "sender@example.com", nil); err != nil {
		return err
	}
	for _, r := range []string{"alice@example.com", "nobody@example.com", "bob@example.com"} {
		c.Rcpt(ctx, r, nil) // nobody is refused; the others count
	}
	w, err := c.Data(ctx)
	if err != nil {
		return err
	}
	io.WriteString(w, "Subject: hi\r\n\r\nhello\r\n")
	err = w.Close()
	var re *smtpwire.ReplyError
	if assert.ErrorAs(t, err, &re) {
		assert.Equal(t, 452, re.Code)
		assert.Equal(t, "DATA (end of message, for <bob@example.com>)", re.Command)
	}
	got := w.RecipientReplies()
	if assert.Len(t, got, 2) {
		assert.Equal(t, "alice@example.com", got[0].Rcpt)
		assert.Equal(t, 250, got[0].Reply.Code)
		assert.Equal(t, "bob@example.com", got[1].Rcpt)
		assert.Equal(t, 452, got[1].Reply.Code)
	}
	assert.Equal(t, smtpwire.StateHello, c.State())
	return c.Quit(ctx)
}

func TestTranscriptLMTPPerRecipientReplies(t *testing.T) {
	replay(t, "lmtp-per-recipient.txt", session{
		config: func(cfg *smtpwire.Config, addr string) string { cfg.LMTP = true; return addr },
		run:    lmtpSession,
	})
}

// unix:/path reaches a server on a Unix socket, as LMTP servers listen.
func TestDialUnixSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lmtp.sock")
	ln, err := net.Listen("unix", path)
	require.NoError(t, err)
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer conn.Close()
		_, err = io.WriteString(conn, "220 sock.example.com LMTP\r\n")
		buf := make([]byte, 64)
		conn.Read(buf) // QUIT
		io.WriteString(conn, "221 bye\r\n")
		done <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := smtpwire.Dial(ctx, "unix:"+path, &smtpwire.Config{LMTP: true})
	require.NoError(t, err)
	assert.Equal(t, "220 sock.example.com LMTP", c.Greeting().Raw[0])
	assert.NoError(t, c.Quit(ctx))
	assert.NoError(t, <-done)

	_, err = smtpwire.Dial(ctx, "unix:", nil)
	assert.EqualError(t, err, `smtpwire: address "unix:": want unix:/path/to/socket`)
}

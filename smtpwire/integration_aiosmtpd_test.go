//go:build integration

package smtpwire_test

import (
	"crypto/x509"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// aiosmtpd: STARTTLS, AUTH PLAIN or LOGIN, the tricky message to two
// recipients. Its spool file holds the envelope and the content exactly as
// received after un-stuffing, CRLF line endings included.
func TestIntegrationAiosmtpdSend(t *testing.T) {
	s := loadServers(t)
	for _, name := range authMechs {
		t.Run(name, func(t *testing.T) {
			ctx := testCtx(t)
			c := s.dial(t, ctx, s.Aiosmtpd, s.config(false))
			assert.Equal(t, "220 aiosmtpd.smtpsh.test Python SMTP "+s.AiosmtpdVersion, c.Greeting().Raw[0])
			require.NoError(t, c.Hello(ctx, ""))
			assert.True(t, c.Extensions().StartTLS())
			assert.Empty(t, c.Extensions().AuthMechanisms(), "auth_require_tls: no AUTH before TLS")
			require.NoError(t, c.StartTLS(ctx))
			assert.ElementsMatch(t, []string{"PLAIN", "LOGIN"}, c.Extensions().AuthMechanisms())
			require.NoError(t, c.Auth(ctx, s.mech(name, s.Password)))

			m := newMessage(t, s.User, []string{"first@example.test", "second@example.test"}, "aiosmtpd, AUTH "+name+" 测试邮件", trickyBody()...)
			verdict := send(t, ctx, c, m, &smtpwire.MailOptions{Body: "8BITMIME"})
			assert.Regexp(t, `^OK saved as \d+-\d+\.eml$`, verdict)
			require.NoError(t, c.Quit(ctx))

			got := readAio(t, waitFile(t, s.AioSpool, "<"+m.id+">", 2))
			assert.Equal(t, []string{
				"MAIL FROM:<" + s.User + "> BODY=8BITMIME",
				"RCPT TO:<first@example.test>",
				"RCPT TO:<second@example.test>",
				"X-Smtpsh-Auth: " + s.User,
				"X-Smtpsh-TLS: yes",
			}, got.envelope)
			assert.Equal(t, m.bytes(), got.content, "the content, byte for byte after un-stuffing")
		})
	}
}

// aiosmtpd's refusals: AUTH before TLS is 538, MAIL before AUTH is 530, a
// wrong password is 535; each a *ReplyError, the session going on.
func TestIntegrationAiosmtpdRefusals(t *testing.T) {
	s := loadServers(t)
	ctx := testCtx(t)
	c := s.dial(t, ctx, s.Aiosmtpd, s.config(false))
	require.NoError(t, c.Hello(ctx, ""))
	re := replyErr(t, c.Auth(ctx, smtpwire.PlainAuth("", s.User, s.Password)))
	assert.Equal(t, 538, re.Code)
	assert.Equal(t, "538 5.7.11 Encryption required for requested authentication mechanism", re.Reply.Raw[0])

	require.NoError(t, c.StartTLS(ctx))
	re = replyErr(t, c.Mail(ctx, s.User, nil))
	assert.Equal(t, "530 5.7.0 Authentication required", re.Reply.Raw[0])

	for _, name := range authMechs {
		re = replyErr(t, c.Auth(ctx, s.mech(name, "not-"+s.Password)))
		assert.Equal(t, 535, re.Code, name)
		assert.Equal(t, enh(5, 7, 8), re.Enhanced, name)
		assert.Equal(t, "Authentication credentials invalid", re.Reply.Message(), name)
	}
	require.NoError(t, c.Auth(ctx, s.mech("LOGIN", s.Password)))
	require.NoError(t, c.Quit(ctx))
}

// aiosmtpd's certificate is the same test CA's: the wrong CA fails.
func TestIntegrationAiosmtpdWrongCA(t *testing.T) {
	s := loadServers(t)
	ctx := testCtx(t)
	cfg := s.config(false)
	cfg.CAFile = s.WrongCAFile
	c := s.dial(t, ctx, s.Aiosmtpd, cfg)
	require.NoError(t, c.Hello(ctx, ""))
	err := c.StartTLS(ctx)
	var te *smtpwire.TLSError
	require.ErrorAs(t, err, &te)
	var ua x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &ua)
}

// 10 MiB streamed to aiosmtpd, stored with its CRLF line endings.
func TestIntegrationAiosmtpdBigMessage(t *testing.T) {
	s := loadServers(t)
	ctx := testCtx(t)
	c := s.submit(t, ctx, s.Aiosmtpd, false, s.mech("LOGIN", s.Password))
	m := sendBig(t, ctx, c, s.User, "big@example.test")
	require.NoError(t, c.Quit(ctx))

	path := waitFile(t, s.AioSpool, "<"+m.id+">", 2)
	want := digestOf(t, newB64Body(bigSize, "\r\n"))
	assert.Equal(t, want.String(), bodyDigest(t, path, 2).String())
}

// smtp-sink takes a message and discards it; its EHLO reply (AUTH without
// TLS, an empty last keyword line) parses.
func TestIntegrationSmtpSink(t *testing.T) {
	s := loadServers(t)
	ctx := testCtx(t)
	c := s.dial(t, ctx, s.Sink, s.config(false))
	assert.Equal(t, "220 sink.smtpsh.test ESMTP", c.Greeting().Raw[0])
	require.NoError(t, c.Hello(ctx, ""))
	ext := c.Extensions()
	assert.True(t, ext.Pipelining())
	assert.True(t, ext.EightBitMIME())
	assert.False(t, ext.StartTLS())
	m := newMessage(t, s.User, []string{"a@example.test", "b@example.test"}, "to the sink", trickyBody()...)
	send(t, ctx, c, m, nil)
	// A second transaction on the same connection.
	m = newMessage(t, "", []string{"c@example.test"}, "null sender", "bounce-like")
	send(t, ctx, c, m, nil)
	require.NoError(t, c.Quit(ctx))
	assert.Equal(t, smtpwire.StateClosed, c.State())
}

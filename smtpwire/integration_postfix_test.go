//go:build integration

package smtpwire_test

import (
	"crypto/x509"
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Submission port: STARTTLS, AUTH PLAIN or LOGIN, then the tricky message
// to two recipients; each Maildir copy has the body byte for byte and the
// envelope Postfix recorded.
func TestIntegrationPostfixSubmission(t *testing.T) {
	s := loadServers(t)
	for _, name := range authMechs {
		t.Run(name, func(t *testing.T) {
			ctx := testCtx(t)
			c := s.dial(t, ctx, s.Submission, s.config(false))
			require.NoError(t, c.Hello(ctx, ""))
			ext := c.Extensions()
			assert.True(t, ext.StartTLS())
			assert.Empty(t, ext.AuthMechanisms(), "smtpd_tls_auth_only: no AUTH before TLS")
			require.NoError(t, c.StartTLS(ctx))
			ext = c.Extensions()
			assert.ElementsMatch(t, []string{"PLAIN", "LOGIN"}, ext.AuthMechanisms(), "Dovecot's mechanisms, after TLS")
			assert.True(t, ext.EightBitMIME())
			assert.True(t, ext.SMTPUTF8())
			assert.False(t, ext.StartTLS(), "no second STARTTLS inside TLS")
			require.NoError(t, c.Auth(ctx, s.mech(name, s.Password)))
			assert.Equal(t, smtpwire.StateAuthenticated, c.State())

			m := newMessage(t, s.User, []string{s.User, s.OtherRcpt}, "submission with AUTH "+name+" 测试邮件", trickyBody()...)
			verdict := send(t, ctx, c, m, &smtpwire.MailOptions{Body: "8BITMIME"})
			assert.Regexp(t, `^Ok: queued as [0-9A-F]+$`, verdict)
			require.NoError(t, c.Quit(ctx))

			checkPostfixDelivery(t, s.Maildir, m, s.User)
			checkPostfixDelivery(t, s.OtherMaildir, m, s.OtherRcpt)
		})
	}
}

// Implicit TLS port (smtpd_tls_wrappermode): TLS from the first byte, then
// AUTH and a delivery.
func TestIntegrationPostfixImplicitTLS(t *testing.T) {
	s := loadServers(t)
	for _, name := range authMechs {
		t.Run(name, func(t *testing.T) {
			ctx := testCtx(t)
			c := s.dial(t, ctx, s.SMTPS, s.config(true))
			info, ok := c.TLSInfo()
			require.True(t, ok, "TLS before the greeting")
			assert.True(t, info.Implicit)
			assert.True(t, info.Verified)
			assert.Equal(t, "220 mx.smtpsh.test ESMTP Postfix (smtpsh test instance)", c.Greeting().Raw[0])
			require.NoError(t, c.Hello(ctx, ""))
			assert.False(t, c.Extensions().StartTLS(), "no STARTTLS inside TLS")
			require.NoError(t, c.Auth(ctx, s.mech(name, s.Password)))

			m := newMessage(t, s.User, []string{s.User}, "implicit TLS, AUTH "+name, trickyBody()...)
			send(t, ctx, c, m, nil)
			require.NoError(t, c.Quit(ctx))
			checkPostfixDelivery(t, s.Maildir, m, s.User)
		})
	}
}

// Port (a): STARTTLS offered, AUTH optional. Mail for the local test
// domain goes through without AUTH; relaying to any other domain is
// refused; an unknown mailbox is refused and the session goes on.
func TestIntegrationPostfixSTARTTLSNoAuth(t *testing.T) {
	s := loadServers(t)
	ctx := testCtx(t)
	c := s.submit(t, ctx, s.PostfixSMTP, false, nil)
	assert.ElementsMatch(t, []string{"PLAIN", "LOGIN"}, c.Extensions().AuthMechanisms(), "AUTH offered after TLS")

	require.NoError(t, c.Mail(ctx, "someone@elsewhere.test", nil))
	re := replyErr(t, c.Rcpt(ctx, "victim@elsewhere.test", nil))
	assert.Equal(t, 554, re.Code)
	assert.Equal(t, enh(5, 7, 1), re.Enhanced)
	assert.Equal(t, "<victim@elsewhere.test>: Relay access denied", re.Reply.Message(), "never an open relay")

	re = replyErr(t, c.Rcpt(ctx, "nobody-here@example.test", nil))
	assert.Equal(t, 550, re.Code)
	assert.Equal(t, enh(5, 1, 1), re.Enhanced)
	assert.Contains(t, re.Reply.Message(), "User unknown in virtual mailbox table")
	assert.Equal(t, smtpwire.StateMail, c.State(), "a refused RCPT leaves the transaction open")
	require.NoError(t, c.Rset(ctx))

	m := newMessage(t, "someone@elsewhere.test", []string{s.User}, "no AUTH on the STARTTLS port", trickyBody()...)
	send(t, ctx, c, m, nil)
	require.NoError(t, c.Quit(ctx))
	checkPostfixDelivery(t, s.Maildir, m, s.User)
}

// AUTH before STARTTLS on the submission port: smtpwire sends it (the
// server is on loopback) and returns the server's refusal as a
// *ReplyError; so is MAIL. On port (a) AUTH is not enabled before TLS.
func TestIntegrationPostfixAuthBeforeStartTLS(t *testing.T) {
	s := loadServers(t)
	ctx := testCtx(t)

	c := s.dial(t, ctx, s.Submission, s.config(false))
	require.NoError(t, c.Hello(ctx, ""))
	re := replyErr(t, c.Auth(ctx, smtpwire.PlainAuth("", s.User, s.Password)))
	assert.Equal(t, 530, re.Code)
	assert.Equal(t, enh(5, 7, 0), re.Enhanced)
	assert.Equal(t, "Must issue a STARTTLS command first", re.Reply.Message())
	assert.Equal(t, "AUTH PLAIN", re.Command, "the error never holds the credentials")
	assert.False(t, c.Authenticated())
	re = replyErr(t, c.Mail(ctx, s.User, nil))
	assert.Equal(t, "530 5.7.0 Must issue a STARTTLS command first", re.Reply.Raw[0])
	require.NoError(t, c.Quit(ctx))

	c = s.dial(t, ctx, s.PostfixSMTP, s.config(false))
	require.NoError(t, c.Hello(ctx, ""))
	re = replyErr(t, c.Auth(ctx, smtpwire.LoginAuth(s.User, s.Password)))
	assert.Equal(t, "503 5.5.1 Error: authentication not enabled", re.Reply.Raw[0])
	require.NoError(t, c.Quit(ctx))
}

// On the submission and implicit-TLS ports, sending needs AUTH.
func TestIntegrationPostfixSubmissionNeedsAuth(t *testing.T) {
	s := loadServers(t)
	for _, p := range []struct {
		name     string
		addr     func() string
		implicit bool
	}{{"submission", func() string { return s.Submission }, false}, {"smtps", func() string { return s.SMTPS }, true}} {
		t.Run(p.name, func(t *testing.T) {
			ctx := testCtx(t)
			c := s.submit(t, ctx, p.addr(), p.implicit, nil)
			require.NoError(t, c.Mail(ctx, s.User, nil))
			re := replyErr(t, c.Rcpt(ctx, s.User, nil))
			assert.Equal(t, 554, re.Code)
			assert.Equal(t, enh(5, 7, 1), re.Enhanced)
			assert.Equal(t, "<"+s.User+">: Recipient address rejected: Access denied", re.Reply.Message())
			require.NoError(t, c.Quit(ctx))
		})
	}
}

// A wrong password is a 535 *ReplyError, and the session goes on: the
// right password then works on the same connection.
func TestIntegrationPostfixWrongPassword(t *testing.T) {
	s := loadServers(t)
	for _, name := range authMechs {
		t.Run(name, func(t *testing.T) {
			ctx := testCtx(t)
			c := s.submit(t, ctx, s.Submission, false, nil)
			re := replyErr(t, c.Auth(ctx, s.mech(name, "not-"+s.Password)))
			assert.Equal(t, 535, re.Code)
			assert.Equal(t, enh(5, 7, 8), re.Enhanced)
			// Dovecot gives Postfix no reason: "(reason unavailable)".
			assert.True(t, strings.HasPrefix(re.Reply.Message(), "Error: authentication failed:"), re.Reply.Message())
			assert.Equal(t, "AUTH "+name, re.Command)
			assert.NotContains(t, re.Error(), s.Password)
			assert.False(t, c.Authenticated())
			assert.Equal(t, smtpwire.StateHello, c.State())
			require.NoError(t, c.Auth(ctx, s.mech(name, s.Password)))
			assert.True(t, c.Authenticated())
			require.NoError(t, c.Quit(ctx))
		})
	}
}

// Certificate verification against Postfix's certificate, made by the
// test CA: the right CA file passes; an unrelated CA, or the system
// roots, fail with a *TLSError wrapping x509.UnknownAuthorityError; a
// name the certificate does not hold fails with x509.HostnameError. Both
// STARTTLS and implicit TLS.
func TestIntegrationPostfixCertificateVerification(t *testing.T) {
	s := loadServers(t)
	cases := []struct {
		name   string
		config func(cfg *smtpwire.Config)
		check  func(t *testing.T, err error)
	}{
		{"right CA", func(cfg *smtpwire.Config) {}, func(t *testing.T, err error) { assert.NoError(t, err) }},
		{"right CA, name localhost", func(cfg *smtpwire.Config) { cfg.ServerName = s.ServerName }, func(t *testing.T, err error) { assert.NoError(t, err) }},
		{"wrong CA", func(cfg *smtpwire.Config) { cfg.CAFile = s.WrongCAFile }, unknownAuthority},
		{"system roots", func(cfg *smtpwire.Config) { cfg.CAFile = "" }, unknownAuthority},
		{"wrong name", func(cfg *smtpwire.Config) { cfg.ServerName = "mx.smtpsh.test" }, func(t *testing.T, err error) {
			var te *smtpwire.TLSError
			require.ErrorAs(t, err, &te)
			var he x509.HostnameError
			assert.ErrorAs(t, err, &he)
			assert.Equal(t, "mx.smtpsh.test", te.ServerName)
		}},
	}
	for _, tc := range cases {
		t.Run("STARTTLS/"+tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			cfg := s.config(false)
			tc.config(cfg)
			c := s.dial(t, ctx, s.Submission, cfg)
			require.NoError(t, c.Hello(ctx, ""))
			err := c.StartTLS(ctx)
			tc.check(t, err)
			if err != nil {
				assert.Equal(t, smtpwire.StateBroken, c.State(), "a failed handshake ends the session")
				return
			}
			info, _ := c.TLSInfo()
			assert.True(t, info.Verified)
			require.NoError(t, c.Quit(ctx))
		})
		t.Run("implicit/"+tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			cfg := s.config(true)
			tc.config(cfg)
			c, err := smtpwire.Dial(ctx, s.SMTPS, cfg)
			tc.check(t, err)
			if err != nil {
				return
			}
			defer c.Close()
			require.NoError(t, c.Quit(ctx))
		})
	}
	t.Run("InsecureSkipVerify reports the failure", func(t *testing.T) {
		ctx := testCtx(t)
		cfg := s.config(true)
		cfg.CAFile = s.WrongCAFile
		cfg.InsecureSkipVerify = true
		c := s.dial(t, ctx, s.SMTPS, cfg)
		info, ok := c.TLSInfo()
		require.True(t, ok)
		assert.False(t, info.Verified)
		var ua x509.UnknownAuthorityError
		assert.ErrorAs(t, info.VerifyError, &ua)
		require.NoError(t, c.Quit(ctx))
	})
}

func unknownAuthority(t *testing.T, err error) {
	t.Helper()
	var te *smtpwire.TLSError
	require.ErrorAs(t, err, &te)
	var ua x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &ua, "%v", err)
	assert.True(t, strings.Contains(err.Error(), "unknown authority"), err.Error())
}

// 10 MiB of base64 lines, streamed from a generator over STARTTLS with
// AUTH: Postfix delivers it whole (compared by SHA-256, with the Maildir's
// LF line endings).
func TestIntegrationPostfixBigMessage(t *testing.T) {
	s := loadServers(t)
	ctx := testCtx(t)
	c := s.submit(t, ctx, s.Submission, false, s.mech("PLAIN", s.Password))
	size, ok := c.Extensions().Size()
	require.True(t, ok)
	assert.Greater(t, size, int64(bigSize), "the test instance's message_size_limit")
	m := sendBig(t, ctx, c, s.User, s.User)
	require.NoError(t, c.Quit(ctx))

	path := waitFile(t, s.Maildir, "<"+m.id+">", 1)
	want := digestOf(t, newB64Body(bigSize, "\n"))
	assert.Equal(t, want.String(), bodyDigest(t, path, 1).String())
}

// Even an authenticated client cannot send anywhere else: other domains
// resolve to the error transport, which smtpd refuses at RCPT with the
// instance's own text. (Unauthenticated: "Relay access denied", above.)
func TestIntegrationPostfixNeverRelays(t *testing.T) {
	s := loadServers(t)
	ctx := testCtx(t)
	c := s.submit(t, ctx, s.Submission, false, s.mech("PLAIN", s.Password))
	require.NoError(t, c.Mail(ctx, s.User, nil))
	re := replyErr(t, c.Rcpt(ctx, "outside@elsewhere.test", nil))
	assert.Equal(t, "550 5.7.1 <outside@elsewhere.test>: Recipient address rejected: smtpsh test instance never relays", re.Reply.Raw[0])
	require.NoError(t, c.Quit(ctx))
}

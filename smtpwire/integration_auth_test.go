//go:build integration

package smtpwire_test

import (
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every password mechanism logs in to Postfix with Dovecot SASL (the
// "auth" port announces them all), and a wrong password gets 535.
func TestIntegrationEveryPasswordMechanism(t *testing.T) {
	s := loadServers(t)
	for _, name := range []string{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"} {
		t.Run(name, func(t *testing.T) {
			ctx := testCtx(t)
			c := s.dial(t, ctx, s.AuthSubmission, s.config(false))
			require.NoError(t, c.Hello(ctx, ""))
			require.NoError(t, c.StartTLS(ctx))
			assert.ElementsMatch(t, []string{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"}, c.Extensions().AuthMechanisms())
			picked, err := smtpwire.PickMechanism(c.Extensions().AuthMechanisms(), true, smtpwire.Credentials{User: s.User, Password: s.Password})
			require.NoError(t, err)
			assert.Equal(t, "SCRAM-SHA-256", picked)

			bad, err := smtpwire.NewMechanism(name, smtpwire.Credentials{User: s.User, Password: "wrong-" + s.Password})
			require.NoError(t, err)
			err = c.Auth(ctx, bad)
			var re *smtpwire.ReplyError
			if assert.ErrorAs(t, err, &re) {
				assert.Equal(t, 535, re.Code)
			}
			assert.False(t, c.Authenticated())

			good, err := smtpwire.NewMechanism(name, smtpwire.Credentials{User: s.User, Password: s.Password})
			require.NoError(t, err)
			require.NoError(t, c.Auth(ctx, good))
			assert.True(t, c.Authenticated())
			m := newMessage(t, s.User, []string{s.User}, "AUTH "+name, "logged in with "+name)
			send(t, ctx, c, m, nil)
			require.NoError(t, c.Quit(ctx))
			checkPostfixDelivery(t, s.Maildir, m, s.User)
		})
	}
}

// LMTP to Dovecot, on TCP and on its Unix socket: LHLO, one reply per
// accepted recipient, and the message in the user's Maildir.
func TestIntegrationDovecotLMTP(t *testing.T) {
	s := loadServers(t)
	for _, addr := range []string{s.LMTP, "unix:" + s.LMTPSocket} {
		t.Run(addr, func(t *testing.T) {
			ctx := testCtx(t)
			cfg := s.config(false)
			cfg.LMTP = true
			c := s.dial(t, ctx, addr, cfg)
			require.NoError(t, c.Hello(ctx, ""))
			assert.True(t, c.Extensions().Pipelining())
			require.NoError(t, c.Mail(ctx, s.User, nil))
			require.NoError(t, c.Rcpt(ctx, s.User, nil))
			err := c.Rcpt(ctx, "nobody@example.test", nil)
			var re *smtpwire.ReplyError
			if assert.ErrorAs(t, err, &re) {
				assert.Equal(t, 550, re.Code, "Dovecot knows its users at RCPT")
			}
			require.NoError(t, c.Rcpt(ctx, s.User, nil)) // twice: two replies, two copies
			w, err := c.Data(ctx)
			require.NoError(t, err)
			id := strings.ReplaceAll(t.Name(), "/", ".") + "." + time.Now().Format("150405.000000000")
			io.WriteString(w, "Message-ID: <"+id+">\r\nSubject: lmtp\r\n\r\n.dot line\r\nbody\r\n")
			require.NoError(t, w.Close())
			replies := w.RecipientReplies()
			if assert.Len(t, replies, 2) {
				for _, r := range replies {
					assert.Equal(t, s.User, r.Rcpt)
					assert.Equal(t, 250, r.Reply.Code)
					assert.Contains(t, r.Reply.Message(), "Saved")
				}
			}
			require.NoError(t, c.Quit(ctx))
			path := waitMaildir(t, s.LMTPMaildir, id)
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Contains(t, string(b), "\n.dot line\n", "un-stuffed by Dovecot")
		})
	}
}

func waitMaildir(t *testing.T, dir, id string) string {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(dir, "new", "*"))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), id) {
				return f
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no message %s in %s/new", id, dir)
	return ""
}

// Through microsocks (SOCKS5 with a password) to Postfix: a session as
// without the proxy; a wrong proxy password, a dead proxy and a closed
// target port are each named.
func TestIntegrationSOCKS5(t *testing.T) {
	s := loadServers(t)
	ctx := testCtx(t)
	good := "socks5://" + url.UserPassword(s.SocksUser, s.Password).String() + "@" + s.Socks
	for _, u := range []string{good, strings.Replace(good, "socks5://", "socks5h://", 1)} {
		dial, err := smtpwire.ProxyDialer(u, nil)
		require.NoError(t, err)
		cfg := s.config(false)
		cfg.DialContext = dial
		target := strings.Replace(s.Submission, s.Host, "localhost", 1) // a name: resolved here or by the proxy
		c := s.dial(t, ctx, target, cfg)
		assert.Equal(t, "220 mx.smtpsh.test ESMTP Postfix (smtpsh test instance)", c.Greeting().Raw[0])
		require.NoError(t, c.Hello(ctx, ""))
		require.NoError(t, c.StartTLS(ctx))
		require.NoError(t, c.Auth(ctx, smtpwire.PlainAuth("", s.User, s.Password)))
		require.NoError(t, c.Quit(ctx))
	}
	for _, tc := range []struct {
		url, target string
		want        smtpwire.ProxyFailure
	}{
		{"socks5://" + url.UserPassword(s.SocksUser, "wrong-pw").String() + "@" + s.Socks, s.Submission, smtpwire.ProxyRefused},
		{good, s.Host + ":1", smtpwire.ProxyTargetFailed},
		{"socks5://" + s.Host + ":1", s.Submission, smtpwire.ProxyUnreachable},
	} {
		dial, err := smtpwire.ProxyDialer(tc.url, nil)
		require.NoError(t, err)
		cfg := s.config(false)
		cfg.DialContext = dial
		_, err = smtpwire.Dial(ctx, tc.target, cfg)
		var pe *smtpwire.ProxyError
		if assert.True(t, errors.As(err, &pe), "%v", err) {
			assert.Equal(t, tc.want, pe.Failure, err.Error())
		}
		assert.NotContains(t, err.Error(), s.Password)
	}
}

// Dovecot takes LOGIN with the user name as the initial response.
func TestIntegrationLoginInitialResponse(t *testing.T) {
	s := loadServers(t)
	ctx := testCtx(t)
	c := s.submit(t, ctx, s.AuthSubmission, false, nil)
	require.NoError(t, c.Auth(ctx, smtpwire.LoginAuthInitialResponse(s.User, s.Password)))
	assert.True(t, c.Authenticated())
	require.NoError(t, c.Quit(ctx))
}

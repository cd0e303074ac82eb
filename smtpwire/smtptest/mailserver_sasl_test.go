package smtptest_test

import (
	"crypto/tls"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// Every mechanism of the built-in server, with smtpwire's client: the
// right secret logs in as its user, a wrong one gets 535 and the session
// goes on.
func TestMailServerEveryMechanism(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{
		Users:          testUsers,
		Tokens:         map[string]string{"good-token": "alice"},
		AuthMechanisms: smtptest.AllAuthMechanisms,
	})
	cert, _, _, err := smtptest.ClientCertificate("alice")
	require.NoError(t, err)
	good := smtpwire.Credentials{User: "alice", Password: "s3cret", Token: "good-token", ClientCert: true}
	bad := smtpwire.Credentials{User: "alice", Password: "wrong", Token: "bad-token", ClientCert: true}
	for _, name := range smtptest.AllAuthMechanisms {
		for _, tc := range []struct {
			cred smtpwire.Credentials
			cert bool
			ok   bool
		}{{good, true, true}, {bad, false, false}} {
			cfg := trustingConfig()
			if tc.cert {
				cfg.TLSConfig.Certificates = []tls.Certificate{cert}
			}
			ctx := testCtx(t)
			c := dialMail(t, srv.Addr(), cfg)
			require.NoError(t, c.Hello(ctx, "client.test"))
			require.NoError(t, c.StartTLS(ctx))
			auth, _ := c.Extensions().Param("AUTH")
			assert.Equal(t, "SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN XOAUTH2 OAUTHBEARER EXTERNAL", auth)
			m, err := smtpwire.NewMechanism(name, tc.cred)
			require.NoError(t, err)
			err = c.Auth(ctx, m)
			if tc.ok {
				assert.NoError(t, err, name)
				require.NoError(t, sendMessage(t, c, "alice@example.com", []string{"b@example.com"}, "x\r\n"))
				assert.Equal(t, "alice", srv.Messages()[len(srv.Messages())-1].AuthUser, name)
			} else {
				var re *smtpwire.ReplyError
				if assert.ErrorAs(t, err, &re, name) {
					assert.Contains(t, []int{535}, re.Code, name)
				}
				assert.False(t, c.Authenticated(), name)
				assert.NoError(t, c.Noop(ctx), "the session goes on after a refused %s", name)
			}
			c.Close()
		}
	}
}

func TestMailServerUnknownMechanismOption(t *testing.T) {
	_, err := smtptest.NewMailServer(&smtptest.MailServerOptions{Users: testUsers, AuthMechanisms: []string{"PLAIN", "NTLM"}})
	assert.EqualError(t, err, "smtptest: unknown AUTH mechanism \"NTLM\" (known: SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN XOAUTH2 OAUTHBEARER EXTERNAL)")
}

func TestMailServerMechanismNotOffered(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{Users: testUsers})
	c := dialMail(t, srv.Addr(), nil)
	cmd(t, c, "EHLO client.test")
	assert.Equal(t, "504 5.5.4 Unrecognized authentication type", cmd(t, c, "AUTH CRAM-MD5"))
}

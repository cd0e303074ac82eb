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

// Malformed SASL exchanges get a clear 501 or 535 and the session goes on.
func TestMailServerSASLBadInput(t *testing.T) {
	srv := newMailServer(t, &smtptest.MailServerOptions{
		Users: testUsers, Tokens: map[string]string{"tok": "alice"}, AuthMechanisms: smtptest.AllAuthMechanisms,
	})
	for _, tc := range []struct {
		name  string
		lines []string // the AUTH line, then responses
		want  string   // the last reply
	}{
		{"cram-md5 with an initial response", []string{"AUTH CRAM-MD5 " + b64("x")}, "501 5.5.2 CRAM-MD5 takes no initial response"},
		{"cram-md5 without a space", []string{"AUTH CRAM-MD5", b64("alice")}, "501 5.5.2 Malformed CRAM-MD5 response"},
		{"cram-md5 cancelled", []string{"AUTH CRAM-MD5", "*"}, "501 5.7.0 Authentication cancelled"},
		{"scram bad GS2 header", []string{"AUTH SCRAM-SHA-256 " + b64("y,,n=alice,r=abc")}, "501 5.5.2 Malformed SCRAM client-first message"},
		{"scram channel binding", []string{"AUTH SCRAM-SHA-1 " + b64("p=tls-unique,,n=alice,r=abc")}, "501 5.5.2 Malformed SCRAM client-first message"},
		{"scram no nonce", []string{"AUTH SCRAM-SHA-1 " + b64("n,,n=alice")}, "501 5.5.2 Malformed SCRAM client-first message"},
		{"scram not base64", []string{"AUTH SCRAM-SHA-1 !!!"}, "501 5.5.2 Invalid base64 data"},
		{"scram garbage final", []string{"AUTH SCRAM-SHA-1 " + b64("n,,n=alice,r=abc"), b64("c=biws,r=abc,p=AAAA")}, "501 5.5.2 Malformed SCRAM client-final message"},
		{"xoauth2 no token", []string{"AUTH XOAUTH2 " + b64("user=alice\x01\x01"), ""}, "535 5.7.8 Authentication credentials invalid"},
		{"oauthbearer wrong user", []string{"AUTH OAUTHBEARER " + b64("n,a=bob,\x01auth=Bearer tok\x01\x01"), b64("\x01")}, "535 5.7.8 Authentication credentials invalid"},
		{"oauthbearer no gs2", []string{"AUTH OAUTHBEARER " + b64("auth=Bearer tok")}, "501 5.5.2 Malformed OAUTHBEARER response"},
		{"external without a certificate", []string{"AUTH EXTERNAL ="}, "535 5.7.1 EXTERNAL needs a TLS client certificate"},
	} {
		c := dialMail(t, srv.Addr(), nil)
		cmd(t, c, "EHLO client.test")
		var got string
		for _, l := range tc.lines {
			got = cmd(t, c, l)
		}
		assert.Equal(t, tc.want, got, tc.name)
		assert.Equal(t, "250 2.0.0 Ok", cmd(t, c, "NOOP"), tc.name)
		c.Close()
	}
}

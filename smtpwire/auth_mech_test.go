package smtpwire_test

import (
	"context"
	"testing"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// authSession replays file, logging in with m after EHLO; check sees the
// result of Auth.
func authSession(t *testing.T, file string, m smtpwire.Mechanism, check func(t *testing.T, c *smtpwire.Client, err error)) {
	replay(t, file, session{run: func(t *testing.T, ctx context.Context, c *smtpwire.Client) error {
		if err := c.Hello(ctx, ""); err != nil {
			return err
		}
		check(t, c, c.Auth(ctx, m))
		return c.Quit(ctx)
	}})
}

func mustMech(t *testing.T, name string, cred smtpwire.Credentials) smtpwire.Mechanism {
	t.Helper()
	m, err := smtpwire.NewMechanism(name, cred)
	require.NoError(t, err)
	return m
}

func loggedIn(t *testing.T, c *smtpwire.Client, err error) {
	assert.NoError(t, err)
	assert.True(t, c.Authenticated())
}

func TestTranscriptAuthCRAMMD5(t *testing.T) {
	m := mustMech(t, "cram-md5", smtpwire.Credentials{User: "tim", Password: "tanstaaftanstaaf"})
	authSession(t, "auth-cram-md5.txt", m, loggedIn)
	notes := english(m.(smtpwire.Explainer).Explain())
	assert.Equal(t, []string{
		"HMAC-MD5(password, challenge) = b913a602c7eda7a495b4e6e7334d3890 (RFC 2195 §2; the password itself is not sent)",
		`response: "tim" + " " + digest`,
	}, notes)
}

func scramMech(t *testing.T, name, nonce string) smtpwire.Mechanism {
	m := mustMech(t, name, smtpwire.Credentials{User: "user", Password: "pencil"})
	smtpwire.SetSCRAMNonce(m, nonce)
	return m
}

func TestTranscriptAuthSCRAMSHA256(t *testing.T) {
	m := scramMech(t, "SCRAM-SHA-256", "rOprNGfwEbeRWgbNEkqO")
	authSession(t, "auth-scram-sha-256.txt", m, loggedIn)
	for _, n := range english(m.(smtpwire.Explainer).Explain()) {
		assert.NotContains(t, n, "pencil", "notes never show the password")
	}
}

// SASLprep (RFC 4013, as RFC 5802 §2.2 asks): a password typed in
// fullwidth letters, as a Chinese input method may, is the same password
// as "pencil", so the session is byte for byte RFC 7677's; the notes say
// the password was changed, never what it is.
func TestTranscriptAuthSCRAMSASLprep(t *testing.T) {
	m := mustMech(t, "SCRAM-SHA-256", smtpwire.Credentials{User: "user", Password: "ｐｅｎ\u00ADｃｉｌ"})
	smtpwire.SetSCRAMNonce(m, "rOprNGfwEbeRWgbNEkqO")
	authSession(t, "auth-scram-sha-256.txt", m, loggedIn)
	notes := english(m.(smtpwire.Explainer).Explain())
	assert.Contains(t, notes[0], "the password was changed by SASLprep")
	for _, n := range notes {
		assert.NotContains(t, n, "pencil")
		assert.NotContains(t, n, "ｐｅｎ")
	}
}

func TestTranscriptAuthSCRAMSHA1(t *testing.T) {
	authSession(t, "auth-scram-sha-1.txt", scramMech(t, "SCRAM-SHA-1", "fyko+d2lbbFgONRv9qkxdawL"), loggedIn)
}

func TestTranscriptAuthSCRAMBadServerSignature(t *testing.T) {
	authSession(t, "auth-scram-bad-server-signature.txt", scramMech(t, "SCRAM-SHA-256", "rOprNGfwEbeRWgbNEkqO"),
		func(t *testing.T, c *smtpwire.Client, err error) {
			assert.ErrorContains(t, err, "signature is wrong")
			assert.False(t, c.Authenticated())
		})
}

func TestTranscriptAuthSCRAMNoServerSignature(t *testing.T) {
	authSession(t, "auth-scram-no-server-signature.txt", scramMech(t, "SCRAM-SHA-256", "rOprNGfwEbeRWgbNEkqO"),
		func(t *testing.T, c *smtpwire.Client, err error) {
			assert.ErrorContains(t, err, "without proving itself")
		})
}

const testToken = "ya29.test-token-not-a-secret"

func TestTranscriptAuthXOAUTH2(t *testing.T) {
	cred := smtpwire.Credentials{User: "someone@example.com", Token: testToken}
	authSession(t, "auth-xoauth2.txt", mustMech(t, "XOAUTH2", cred), loggedIn)
}

func TestTranscriptAuthXOAUTH2BadToken(t *testing.T) {
	m := mustMech(t, "XOAUTH2", smtpwire.Credentials{User: "someone@example.com", Token: testToken})
	authSession(t, "auth-xoauth2-bad-token.txt", m, func(t *testing.T, c *smtpwire.Client, err error) {
		var re *smtpwire.ReplyError
		if assert.ErrorAs(t, err, &re) {
			assert.Equal(t, 535, re.Code)
			assert.Equal(t, "AUTH XOAUTH2", re.Command)
			assert.NotContains(t, err.Error(), testToken)
		}
	})
	notes := english(m.(smtpwire.Explainer).Explain())
	assert.Contains(t, notes, "the server refused the token: status=401 scope=https://mail.google.com/")
	assert.Contains(t, notes, "the token is wrong or expired: get a fresh access token")
	for _, n := range notes {
		assert.NotContains(t, n, testToken)
	}
}

func TestTranscriptAuthOAUTHBEARER(t *testing.T) {
	cred := smtpwire.Credentials{User: "someone@example.com", Token: testToken}
	authSession(t, "auth-oauthbearer.txt", mustMech(t, "oauthbearer", cred), loggedIn)
}

// A user name with "=" or "," goes in the GS2 header escaped (RFC 5801
// §4), not refused: "=" first, so that "=2C" is not escaped twice.
func TestOAUTHBEARERUserEscaped(t *testing.T) {
	m := smtpwire.OAuthBearerAuth("a=b,c@example.com", "tok")
	ir, err := m.Start()
	require.NoError(t, err)
	assert.Equal(t, "n,a=a=3Db=2Cc@example.com,\x01auth=Bearer tok\x01\x01", string(ir))

	_, err = smtpwire.OAuthBearerAuth("a\x01b@example.com", "tok").Start()
	assert.ErrorContains(t, err, "^A")
}

func TestTranscriptAuthOAUTHBEARERBadToken(t *testing.T) {
	m := mustMech(t, "OAUTHBEARER", smtpwire.Credentials{User: "someone@example.com", Token: testToken})
	authSession(t, "auth-oauthbearer-bad-token.txt", m, func(t *testing.T, c *smtpwire.Client, err error) {
		var re *smtpwire.ReplyError
		if assert.ErrorAs(t, err, &re) {
			assert.Equal(t, 535, re.Code)
		}
	})
	notes := english(m.(smtpwire.Explainer).Explain())
	assert.Contains(t, notes, "the server refused the token: status=invalid_token scope=example_scope openid-configuration=https://example.com/.well-known/openid-configuration")
	assert.Contains(t, notes, "the token is wrong or expired: get a fresh access token")
}

func TestTranscriptAuthEXTERNAL(t *testing.T) {
	authSession(t, "auth-external.txt", mustMech(t, "EXTERNAL", smtpwire.Credentials{ClientCert: true}), loggedIn)
}

func TestTranscriptAuthPlainTooLongForInitialResponse(t *testing.T) {
	pass := make([]byte, 400)
	for i := range pass {
		pass[i] = 'a'
	}
	authSession(t, "auth-plain-long-deferred.txt", smtpwire.PlainAuth("", "user@example.com", string(pass)), loggedIn)
}

func TestNewMechanismNeeds(t *testing.T) {
	for _, tc := range []struct {
		name string
		cred smtpwire.Credentials
		want string
	}{
		{"PLAIN", smtpwire.Credentials{Password: "p"}, "smtpwire: AUTH PLAIN needs a user name"},
		{"XOAUTH2", smtpwire.Credentials{User: "u", Password: "p"}, "smtpwire: AUTH XOAUTH2: no OAuth 2.0 access token: set SMTPSH_OAUTH2_TOKEN or use --oauth2-token-file"},
		{"EXTERNAL", smtpwire.Credentials{}, "smtpwire: AUTH EXTERNAL needs a TLS client certificate (--cert FILE --key FILE)"},
		{"DIGEST-MD5", smtpwire.Credentials{User: "u"}, `smtpwire: unknown AUTH mechanism "DIGEST-MD5" (known: SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN, LOGIN, OAUTHBEARER, XOAUTH2, EXTERNAL)`},
	} {
		_, err := smtpwire.NewMechanism(tc.name, tc.cred)
		assert.EqualError(t, err, tc.want, tc.name)
	}
	for _, name := range smtpwire.MechanismNames() {
		m, err := smtpwire.NewMechanism(name, smtpwire.Credentials{User: "u", Password: "p", Token: "t", ClientCert: true})
		if assert.NoError(t, err, name) {
			assert.Equal(t, name, m.Name())
		}
	}
}

func TestPickMechanism(t *testing.T) {
	pass := smtpwire.Credentials{User: "u", Password: "p"}
	for _, tc := range []struct {
		offered []string
		secure  bool
		cred    smtpwire.Credentials
		want    string
		err     string
	}{
		{[]string{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"}, true, pass, "SCRAM-SHA-256", ""},
		{[]string{"PLAIN", "scram-sha-1", "CRAM-MD5"}, true, pass, "SCRAM-SHA-1", ""},
		{[]string{"LOGIN", "PLAIN", "CRAM-MD5"}, false, pass, "CRAM-MD5", ""},
		{[]string{"LOGIN", "PLAIN"}, true, pass, "PLAIN", ""},
		{[]string{"LOGIN"}, true, pass, "LOGIN", ""},
		{[]string{"LOGIN", "PLAIN"}, false, pass, "", "smtpwire: no usable AUTH mechanism (offered: LOGIN PLAIN): PLAIN and LOGIN send the password readable; use TLS first (STARTTLS or port 465)"},
		{[]string{"PLAIN", "XOAUTH2", "OAUTHBEARER"}, true, smtpwire.Credentials{User: "u", Token: "t"}, "OAUTHBEARER", ""},
		{[]string{"PLAIN", "XOAUTH2"}, true, smtpwire.Credentials{User: "u", Token: "t"}, "XOAUTH2", ""},
		{[]string{"PLAIN"}, true, smtpwire.Credentials{User: "u", Token: "t"}, "", "smtpwire: no usable AUTH mechanism (offered: PLAIN): an OAuth 2.0 token was given but the server offers neither OAUTHBEARER nor XOAUTH2"},
		{[]string{"PLAIN", "EXTERNAL"}, true, smtpwire.Credentials{ClientCert: true}, "EXTERNAL", ""},
		{[]string{"PLAIN", "EXTERNAL"}, true, smtpwire.Credentials{User: "u", Password: "p", ClientCert: true}, "PLAIN", ""},
		{nil, true, pass, "", "smtpwire: no usable AUTH mechanism (offered: none): the server offers no AUTH (after STARTTLS it may; or it needs no login)"},
		{[]string{"GSSAPI", "NTLM"}, true, pass, "", "smtpwire: no usable AUTH mechanism (offered: GSSAPI NTLM): smtpsh knows SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN, LOGIN, OAUTHBEARER, XOAUTH2, EXTERNAL"},
	} {
		got, err := smtpwire.PickMechanism(tc.offered, tc.secure, tc.cred)
		if tc.err != "" {
			assert.EqualError(t, err, tc.err, "%v", tc.offered)
			continue
		}
		assert.NoError(t, err)
		assert.Equal(t, tc.want, got, "%v", tc.offered)
	}
}

// SCRAM refuses a server-first message that would make it misbehave.
func TestSCRAMRefusesBadServerFirst(t *testing.T) {
	for msg, want := range map[string]string{
		"r=otherNONCE,s=QSXCR+Q6sek8bf92,i=4096":    "does not extend the client's",
		"r=abcXYZ,s=QSXCR+Q6sek8bf92,i=1":           "iteration count",
		"r=abcXYZ,s=QSXCR+Q6sek8bf92,i=99999999999": "iteration count",
		"r=abcXYZ,s=!!,i=4096":                      "is not base64",
		"r=abcXYZ,i=4096":                           "lacks r=, s= or i=",
		"e=unknown-user":                            "the server refused: unknown-user",
	} {
		m := scramMech(t, "SCRAM-SHA-1", "abc")
		_, err := m.Start()
		require.NoError(t, err)
		_, err = m.Next([]byte(msg))
		assert.ErrorContains(t, err, want, msg)
	}
}

func TestTranscriptAuthLoginInitialResponse(t *testing.T) {
	authSession(t, "auth-login-initial-response.txt", smtpwire.LoginAuthInitialResponse("user@example.com", "not in the transcript"), loggedIn)
}

// A server that keeps challenging gets an error from each mechanism, not
// an endless exchange.
func TestMechanismsRefuseEndlessChallenges(t *testing.T) {
	cred := smtpwire.Credentials{User: "u", Password: "p", Token: "t", ClientCert: true}
	for _, name := range smtpwire.MechanismNames() {
		if name == "LOGIN" {
			continue // answers "Username:"/"Password:" by their words; bounded by the Auth loop
		}
		m := mustMech(t, name, cred)
		_, err := m.Start()
		require.NoError(t, err, name)
		var last error
		for range 5 {
			if _, last = m.Next([]byte{}); last != nil {
				break
			}
		}
		assert.Error(t, last, name)
	}
}

// english renders a mechanism's notes as the shell shows them in English.
func english(ns []smtpwire.Note) []string { return explain.SASLNotes(ns, explain.En) }

//go:build integration

package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/stretchr/testify/assert"
)

// smtpsh send logs in to Postfix+Dovecot with each password mechanism,
// and auto picks SCRAM-SHA-256 there. (XOAUTH2, OAUTHBEARER and EXTERNAL
// run against the built-in server in TestSendEveryMechanism.)
func TestIntegrationSendEveryMechanism(t *testing.T) {
	s := itLoad(t)
	t.Setenv("SMTPSH_PASSWORD", s.Password)
	for _, mech := range []string{"plain", "login", "cram-md5", "scram-sha-1", "scram-sha-256", "auto"} {
		code, stdout, stderr := s.send(t, "", "--server", s.AuthSubmission, "--tls", "starttls", "--user", s.User,
			"--auth", mech, "--from", s.User, "--to", s.User, "--body", "sent with AUTH "+mech)
		assert.Equal(t, repl.ExitOK, code, "%s: %s%s", mech, stdout, stderr)
		want := strings.ToUpper(mech)
		if mech == "auto" {
			want = "SCRAM-SHA-256"
		}
		assert.Contains(t, stdout, "C: AUTH "+want, mech)
		assert.Contains(t, stdout, "S: 235 2.7.0 Authentication successful", mech)
		s.noSecrets(t, stdout+stderr, s.Password)
	}
}

// A wrong password with the challenge-response mechanisms: exit 7, the
// reply, and what to do.
func TestIntegrationSendWrongPasswordChallengeResponse(t *testing.T) {
	s := itLoad(t)
	wrong := "not-" + s.Password
	t.Setenv("SMTPSH_PASSWORD", wrong)
	for _, mech := range []string{"cram-md5", "scram-sha-256"} {
		code, stdout, stderr := s.send(t, "", "--server", s.AuthSubmission, "--tls", "starttls", "--user", s.User,
			"--auth", mech, "--from", s.User, "--to", s.User, "--body", "never sent", "--quiet")
		assert.Equal(t, repl.ExitAuth, code, "%s: %s", mech, stderr)
		assert.Contains(t, stderr, "# error: the server refused the login of "+s.User+" with AUTH "+strings.ToUpper(mech)+": 535 5.7.8")
		assert.Contains(t, stderr, "The user name or password is wrong")
		s.noSecrets(t, stdout+stderr, wrong, s.Password)
	}
}

// send --protocol lmtp to Dovecot on its Unix socket.
func TestIntegrationSendLMTP(t *testing.T) {
	s := itLoad(t)
	code, stdout, stderr := s.send(t, "", "--server", "unix:"+s.LMTPSocket, "--protocol", "lmtp",
		"--from", s.User, "--to", s.User, "--subject", "lmtp", "--body", "via LMTP")
	assert.Equal(t, repl.ExitOK, code, stdout+stderr)
	assert.Contains(t, stdout, "C: LHLO "+itEHLO)
	assert.Regexp(t, `S: 250 2\.0\.0 <`+s.User+`> \S+ Saved`, stdout)
	assert.Regexp(t, `(?m)^#   connect +\S+  Unix socket `+regexp.QuoteMeta(s.LMTPSocket)+`$`, stdout, "not TCP")
}

// send and check through microsocks.
func TestIntegrationProxy(t *testing.T) {
	s := itLoad(t)
	t.Setenv("SMTPSH_PASSWORD", s.Password)
	proxy := "socks5://" + url.UserPassword(s.SocksUser, s.Password).String() + "@" + s.Socks
	code, stdout, stderr := s.send(t, "", "--server", s.Submission, "--tls", "starttls", "--proxy", proxy,
		"--user", s.User, "--from", s.User, "--to", s.User, "--body", "through the proxy")
	assert.Equal(t, repl.ExitOK, code, stdout+stderr)
	s.noSecrets(t, stdout+stderr, s.Password)
	assert.NotContains(t, stdout+stderr, url.QueryEscape(s.Password))

	bad := "socks5://" + s.SocksUser + ":wrong@" + s.Socks
	code, stdout, stderr = s.send(t, "", "--server", s.Submission, "--tls", "starttls", "--proxy", bad,
		"--user", s.User, "--from", s.User, "--to", s.User, "--body", "never sent")
	assert.Equal(t, repl.ExitConnect, code, stdout+stderr)
	assert.Contains(t, stdout+stderr, "proxy refused")
}

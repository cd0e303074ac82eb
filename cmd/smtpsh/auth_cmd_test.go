package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const authTestToken = "ya29.test-oauth2-token-0123456789"

// allMechServer is the built-in server with every mechanism, AUTH inside TLS.
func allMechServer(t *testing.T) *smtptest.MailServer {
	return mailServer(t, &smtptest.MailServerOptions{
		Users:           map[string]string{sendUser: sendPassword},
		Tokens:          map[string]string{authTestToken: sendUser},
		AuthMechanisms:  smtptest.AllAuthMechanisms,
		AuthRequiresTLS: true,
	})
}

// clientCertFiles writes a client certificate of the test CA for user.
func clientCertFiles(t *testing.T, user string) (cert, key string) {
	_, certPEM, keyPEM, err := smtptest.ClientCertificate(user)
	require.NoError(t, err)
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(cert, certPEM, 0o600))
	require.NoError(t, os.WriteFile(key, keyPEM, 0o600))
	return cert, key
}

// Every mechanism logs in with send; a wrong secret is exit status 7
// with the fix explained, and no secret shows.
func TestSendEveryMechanism(t *testing.T) {
	srv := allMechServer(t)
	cert, key := clientCertFiles(t, sendUser)
	for _, mech := range []string{"auto", "scram-sha-256", "scram-sha-1", "cram-md5", "plain", "login", "xoauth2", "oauthbearer", "external"} {
		for _, good := range []bool{true, false} {
			password, token := sendPassword, authTestToken
			if !good {
				password, token = "wrong-password-42", "expired-token-42"
			}
			t.Setenv("SMTPSH_PASSWORD", password)
			t.Setenv("SMTPSH_OAUTH2_TOKEN", "")
			args := []string{"send", "--server", srv.Addr(), "--ca", sendCA(t), "--servername", "localhost",
				"--auth", mech, "--from", sendUser, "--to", "li@example.cn", "--body", "x"}
			switch mech {
			case "xoauth2", "oauthbearer":
				t.Setenv("SMTPSH_OAUTH2_TOKEN", token)
				args = append(args, "--user", sendUser)
			case "external":
				if good {
					args = append(args, "--cert", cert, "--key", key)
				} else {
					wrongCert, wrongKey := clientCertFiles(t, "stranger@example.cn")
					args = append(args, "--cert", wrongCert, "--key", wrongKey)
				}
			default:
				args = append(args, "--user", sendUser)
			}
			code, stdout, stderr := runCmd(t, "", args...)
			if good {
				assert.Equal(t, repl.ExitOK, code, "%s: %s", mech, stderr)
				assert.Contains(t, stdout, "C: AUTH ", mech)
			} else {
				assert.Equal(t, repl.ExitAuth, code, "%s: %s", mech, stdout+stderr)
				assert.Contains(t, stdout+stderr, "# error: the server refused the login of ", mech)
				assert.Regexp(t, "授权码|token is wrong or expired|registered \\(--cert, --key\\)", stdout+stderr, "%s: the fix is explained", mech)
			}
			for _, secret := range append(secretForms(sendUser, password), token, "ZXhwaXJlZC10b2tlbi00Mg") {
				assert.NotContains(t, stdout+stderr, secret, mech)
			}
		}
	}
	assert.Len(t, srv.Messages(), 9)
	for _, m := range srv.Messages() {
		assert.Equal(t, sendUser, m.AuthUser)
	}
}

func TestSendAutoPicksStrongest(t *testing.T) {
	srv := allMechServer(t)
	t.Setenv("SMTPSH_PASSWORD", sendPassword)
	t.Setenv("SMTPSH_OAUTH2_TOKEN", "")
	code, stdout, stderr := runCmd(t, "", "send", "--server", srv.Addr(), "--ca", sendCA(t), "--servername", "localhost",
		"--user", sendUser, "--from", sendUser, "--to", "li@example.cn", "--body", "x")
	assert.Equal(t, repl.ExitOK, code, stderr)
	assert.Contains(t, stdout, "C: AUTH SCRAM-SHA-256 [redacted]")

	t.Setenv("SMTPSH_OAUTH2_TOKEN", authTestToken)
	code, stdout, stderr = runCmd(t, "", "send", "--server", srv.Addr(), "--ca", sendCA(t), "--servername", "localhost",
		"--user", sendUser, "--from", sendUser, "--to", "li@example.cn", "--body", "x")
	assert.Equal(t, repl.ExitOK, code, stderr)
	assert.Contains(t, stdout, "C: AUTH OAUTHBEARER [redacted]", "a token needs no password")
	assert.NotContains(t, stdout+stderr, authTestToken)
}

func TestAuthFlagUsageErrors(t *testing.T) {
	t.Setenv("SMTPSH_OAUTH2_TOKEN", "")
	base := []string{"send", "--server", "127.0.0.1:1", "--from", "a@example.test", "--to", "b@example.test", "--user", "u"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--auth", "xoauth2"}, "--auth xoauth2: no OAuth 2.0 access token: set SMTPSH_OAUTH2_TOKEN or use --oauth2-token-file FILE"},
		{[]string{"--auth", "external"}, "--auth external: give the client certificate with --cert FILE --key FILE"},
		{[]string{"--cert", "x.pem"}, "--cert and --key go together"},
		{[]string{"--oauth2-token-file", "/nonexistent/token"}, "--oauth2-token-file: open /nonexistent/token"},
		{[]string{"--protocol", "imap"}, `--protocol "imap": want smtp or lmtp`},
		{[]string{"--proxy", "http://proxy:3128"}, `--proxy: smtpwire: proxy scheme "http": want socks5:// or socks5h://`},
		{[]string{"--proxy", "socks5://u:topsecret@proxy"}, `--proxy: smtpwire: proxy "socks5://u:xxxxx@proxy": want socks5://[user:pass@]host:port`},
	} {
		code, _, stderr := runCmd(t, "", append(append([]string{}, base...), tc.args...)...)
		assert.Equal(t, repl.ExitUsage, code, tc.want)
		assert.Contains(t, stderr, tc.want)
		assert.NotContains(t, stderr, "topsecret")
		code, _, stderr = runCmd(t, "", append([]string{"check", "127.0.0.1:1", "--user", "u"}, tc.args...)...)
		assert.Equal(t, repl.ExitUsage, code, "check: "+tc.want)
		assert.Contains(t, stderr, tc.want)
	}
}

func TestCheckEveryMechanism(t *testing.T) {
	srv := allMechServer(t)
	token := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(token, []byte(authTestToken+"\n"), 0o600))
	t.Setenv("SMTPSH_OAUTH2_TOKEN", "")
	for _, mech := range []string{"auto", "cram-md5", "scram-sha-1", "xoauth2"} {
		for _, good := range []bool{true, false} {
			pw := sendPassword
			if !good {
				pw = "wrong-password-42"
			}
			t.Setenv("SMTPSH_PASSWORD", pw)
			args := []string{"check", srv.Addr(), "--ca", sendCA(t), "--servername", "localhost", "--user", sendUser, "--auth", mech, "--json"}
			if mech == "xoauth2" {
				tok := token
				if !good {
					tok = filepath.Join(t.TempDir(), "bad")
					require.NoError(t, os.WriteFile(tok, []byte("expired"), 0o600))
				}
				args = append(args, "--oauth2-token-file", tok)
			}
			code, stdout, stderr := runCmd(t, "", args...)
			if good {
				assert.Equal(t, repl.ExitOK, code, "%s: %s%s", mech, stdout, stderr)
			} else {
				assert.Equal(t, repl.ExitAuth, code, "%s: %s", mech, stdout)
				assert.Contains(t, stdout, "535 5.7.8", mech)
				problem := `"problem": "auth.bad_credentials"`
				if mech == "xoauth2" {
					problem = `"problem": "auth.bad_token"`
				}
				assert.Contains(t, stdout, problem, mech)
			}
			want := strings.ToUpper(mech)
			if mech == "auto" {
				want = "SCRAM-SHA-256"
			}
			assert.Contains(t, stdout, "AUTH "+want, mech)
			assert.NotContains(t, stdout+stderr, authTestToken)
			assert.NotContains(t, stdout+stderr, pw)
		}
	}
}

// check --proxy: the proxy is a stage of its own, in place of TCP, and
// each failing hop is named with its own problem and exit status 3.
func TestCheckThroughProxy(t *testing.T) {
	srv := allMechServer(t)
	ps, err := smtptest.NewSOCKS5Server("proxyuser", "proxy-secret-9")
	require.NoError(t, err)
	t.Cleanup(func() { ps.Close() })
	closed := checkClosedPort(t)
	_, closedPort, _ := strings.Cut(closed, ":")
	t.Setenv("SMTPSH_PASSWORD", sendPassword)
	env := checkEnv{}
	good := "socks5://proxyuser:proxy-secret-9@" + ps.Addr()
	code, rep := checkJSON(t, env, srv.Addr(), "--ca", sendCA(t), "--servername", "localhost", "--user", sendUser, "--proxy", good)
	assert.Equal(t, repl.ExitOK, code)
	status, seen, _ := rep.stage("proxy")
	assert.Equal(t, "pass", status)
	assert.Contains(t, seen, "proxy "+ps.Addr()+": connected in")
	assert.Contains(t, seen, srv.Addr()+" through the proxy: connected in")
	status, _, _ = rep.stage("tcp")
	assert.Empty(t, status, "no TCP stage of its own")
	assert.Equal(t, []string{srv.Addr()}, ps.Targets())

	code, rep = checkJSON(t, env, "localhost:"+strings.Split(srv.Addr(), ":")[1], "--ca", sendCA(t), "--proxy", strings.Replace(good, "socks5:", "socks5h:", 1))
	assert.Equal(t, repl.ExitOK, code)
	_, seen, _ = rep.stage("dns")
	assert.Contains(t, seen, "resolved by the proxy")

	for _, tc := range []struct {
		proxy, target, problem, advice string
	}{
		{"socks5://proxyuser:wrong@" + ps.Addr(), srv.Addr(), "proxy.refused", "check the user and password in --proxy"},
		{"socks5://" + closed, srv.Addr(), "proxy.unreachable", "check the proxy's host and port"},
		{good, "127.0.0.1:" + closedPort, "proxy.target_failed", "try the check without --proxy"},
	} {
		code, rep := checkJSON(t, env, tc.target, "--tls", "none", "--proxy", tc.proxy)
		assert.Equal(t, repl.ExitConnect, code, tc.problem)
		assert.Equal(t, "proxy", rep.Verdict.Layer, tc.problem)
		assert.Equal(t, tc.problem, rep.Verdict.Problem)
		_, seen, advice := rep.stage("proxy")
		assert.Contains(t, advice, tc.advice)
		assert.NotContains(t, seen+advice, "proxy-secret-9")
	}
}

// check --protocol lmtp says LHLO, and gives up without HELO.
func TestCheckLMTP(t *testing.T) {
	srv := checkReplay(t, "S: 220 lmtp.test LMTP\nC: LHLO client.test\nS: 250-lmtp.test\nS: 250 PIPELINING\nC: QUIT\nS: 221 Bye\n", nil)
	code, rep := checkJSON(t, checkEnv{}, srv.Addr(), "--tls", "none", "--protocol", "lmtp")
	assert.Equal(t, repl.ExitOK, code)
	_, seen, _ := rep.stage("ehlo")
	assert.Contains(t, seen, "LHLO client.test → 250 lmtp.test")
	assert.NoError(t, srv.Wait())

	srv = checkReplay(t, "S: 220 mx.test ESMTP\nC: LHLO client.test\nS: 500 5.5.1 Unknown command\nC: QUIT\nS: 221 Bye\n", nil)
	code, rep = checkJSON(t, checkEnv{}, srv.Addr(), "--tls", "none", "--protocol", "lmtp")
	assert.Equal(t, repl.ExitNegative, code)
	assert.Equal(t, "ehlo.rejected", rep.Verdict.Problem)
	assert.NoError(t, srv.Wait())
}

// The proxy password can stay out of argv: SMTPSH_PROXY holds the whole
// URL, or SMTPSH_PROXY_PASSWORD the password of a URL with a user only.
func TestProxyFromEnvironment(t *testing.T) {
	ps, err := smtptest.NewSOCKS5Server("pu", "env-proxy-pw")
	require.NoError(t, err)
	t.Cleanup(func() { ps.Close() })
	srv := mailServer(t, &smtptest.MailServerOptions{NoTLS: true})
	base := []string{"send", "--server", srv.Addr(), "--tls", "none", "--from", "a@example.test", "--to", "b@example.test", "--body", "x", "--quiet"}
	t.Setenv("SMTPSH_PROXY", "socks5://pu:env-proxy-pw@"+ps.Addr())
	code, _, stderr := runCmd(t, "", base...)
	assert.Equal(t, repl.ExitOK, code, stderr)
	t.Setenv("SMTPSH_PROXY", "")
	t.Setenv("SMTPSH_PROXY_PASSWORD", "env-proxy-pw")
	code, _, stderr = runCmd(t, "", append(base, "--proxy", "socks5://pu@"+ps.Addr())...)
	assert.Equal(t, repl.ExitOK, code, stderr)
	t.Setenv("SMTPSH_PROXY_PASSWORD", "wrong")
	code, _, stderr = runCmd(t, "", append(base, "--proxy", "socks5://pu@"+ps.Addr())...)
	assert.Equal(t, repl.ExitConnect, code)
	assert.Contains(t, stderr, "refused: check the user and password")
	assert.NotContains(t, stderr, "wrong")
	assert.Len(t, ps.Targets(), 2)
	assert.Len(t, srv.Messages(), 2)
}

// mx --probe --proxy: each MX host is probed through the proxy.
func TestMXProbeThroughProxy(t *testing.T) {
	dns := startMXDNS(t)
	srv := mailServer(t, &smtptest.MailServerOptions{NoTLS: true})
	ps, err := smtptest.NewSOCKS5Server("", "")
	require.NoError(t, err)
	t.Cleanup(func() { ps.Close() })
	port := portOf(t, srv.Addr())
	code, stdout, stderr := runCmd(t, "", "mx", "probe.test", "--resolver", dns, "--probe", "--port", port, "--proxy", "socks5://"+ps.Addr())
	assert.Equal(t, repl.ExitOK, code, stderr)
	assert.Contains(t, stdout, "   banner    220 smtpsh.demo ESMTP")
	assert.Equal(t, []string{"127.0.0.1:" + port}, ps.Targets())

	code, _, stderr = runCmd(t, "", "mx", "probe.test", "--resolver", dns, "--probe", "--proxy", "ftp://x")
	assert.Equal(t, repl.ExitUsage, code)
	assert.Contains(t, stderr, `--proxy: smtpwire: proxy scheme "ftp"`)
}

// send --protocol lmtp: one verdict per recipient; a partial delivery is
// a warning, a refusal for all is exit 9.
func TestSendLMTPVerdicts(t *testing.T) {
	msg := filepath.Join(t.TempDir(), "msg.eml")
	require.NoError(t, os.WriteFile(msg, []byte("Subject: x\n\nbody\n"), 0o600))
	for _, tc := range []struct {
		first, second string
		code          int
		want          string
	}{
		{"250 2.0.0 <a@example.test> Saved", "452 4.2.2 <b@example.test> Mailbox is full", repl.ExitOK,
			"# warning: LMTP: <b@example.test>: not delivered: 452 4.2.2 <b@example.test> Mailbox is full"},
		{"250 2.0.0 <a@example.test> Saved", "250 2.0.0 <b@example.test> Saved", repl.ExitOK, "# LMTP: <b@example.test>: delivered"},
		{"550 5.2.1 <a@example.test> Mailbox disabled", "452 4.2.2 <b@example.test> Mailbox is full", repl.ExitMessage,
			"# warning: LMTP: <a@example.test>: not delivered: 550 5.2.1"},
	} {
		srv := replayServer(t, `S: 220 lmtp.test LMTP
C: LHLO client.test
S: 250 lmtp.test
C: MAIL FROM:<a@example.test>
S: 250 2.1.0 OK
C: RCPT TO:<a@example.test>
S: 250 2.1.5 OK
C: RCPT TO:<b@example.test>
S: 250 2.1.5 OK
C: DATA
S: 354 OK
C: Subject: x
C:
C: body
C: .
S: `+tc.first+`
S: `+tc.second+`
C: QUIT
S: 221 Bye
`)
		code, stdout, stderr := runCmd(t, "", "send", "--server", srv.Addr(), "--protocol", "lmtp", "--tls", "none", "--ehlo", "client.test",
			"--from", "a@example.test", "--to", "a@example.test", "--to", "b@example.test", "--data", msg)
		assert.Equal(t, tc.code, code, stdout+stderr)
		assert.Contains(t, stdout+stderr, tc.want)
		assert.Regexp(t, `(?m)^#   LHLO  `, stdout, "the timing table names the command sent")
		assert.NoError(t, srv.Wait())
	}
}

// After a server refuses EHLO, the timing table shows the EHLO refused
// and then the HELO, each under its own name.
func TestSendTimingHELOFallback(t *testing.T) {
	srv := replayServer(t, `S: 220 old.example.com Sendmail 8.6.12 ready
C: EHLO client.test
S: 500 Command unrecognized
C: HELO client.test
S: 250 old.example.com Hello client.test
C: QUIT
S: 221 old.example.com closing connection
`)
	code, stdout, stderr := runCmd(t, "", "send", "--server", srv.Addr(), "--tls", "none", "--ehlo", "client.test",
		"--from", "a@example.test", "--to", "b@example.test", "--body", "x", "--quit-after", "ehlo")
	assert.Equal(t, repl.ExitOK, code, stdout+stderr)
	assert.Regexp(t, `(?m)^#   EHLO +\S+  EHLO not known: HELO instead \(RFC 5321 §3\.2\)\n#   HELO +\S+\n`, stdout)
	assert.NoError(t, srv.Wait())
}

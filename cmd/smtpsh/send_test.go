package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	sendUser     = "zhang@example.cn"
	sendPassword = "授权码-secret-1234"
)

// sendCA writes the test CA, which signs the certificate of MailServer
// and of the replay server, to a file for --ca.
func sendCA(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(path, smtptest.CAPEM(), 0o600))
	return path
}

// mailServer starts a MailServer with one account, AUTH only inside TLS.
func mailServer(t *testing.T, opts *smtptest.MailServerOptions) *smtptest.MailServer {
	t.Helper()
	if opts == nil {
		opts = &smtptest.MailServerOptions{}
	}
	if opts.Users == nil && !opts.NoTLS {
		opts.Users = map[string]string{sendUser: sendPassword}
		opts.AuthRequiresTLS = true
	}
	srv, err := smtptest.NewMailServer(opts)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv
}

// replayServer serves a transcript to one client.
func replayServer(t *testing.T, transcript string) *smtptest.Server {
	t.Helper()
	s, err := smtptest.Parse(t.Name()+".txt", strings.NewReader(transcript))
	require.NoError(t, err)
	srv, err := smtptest.NewServer(s, &smtptest.ServeOptions{Timeout: 10 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv
}

// secretForms are the ways a password could leak: as is, and in the
// base64 of AUTH LOGIN and AUTH PLAIN.
func secretForms(user, password string) []string {
	return []string{
		password,
		base64.StdEncoding.EncodeToString([]byte(password)),
		base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password)),
	}
}

func TestSendThroughMailServer(t *testing.T) {
	t.Setenv("SMTPSH_PASSWORD", sendPassword)
	srv := mailServer(t, nil)
	dir := t.TempDir()
	attachment := make([]byte, 100_000)
	rand.Read(attachment)
	attPath := filepath.Join(dir, "季度报告.pdf")
	require.NoError(t, os.WriteFile(attPath, attachment, 0o600))
	rec := filepath.Join(dir, "rec.txt")

	code, stdout, stderr := runCmd(t, "", "send", "--server", srv.Addr(), "--ca", sendCA(t), "--servername", "localhost",
		"--user", sendUser, "--from", "张三 <"+sendUser+">",
		"--to", "李四 <li@example.cn>", "--to", "wang@example.cn, zhao@example.cn", "--cc", "Bob <bob@example.com>",
		"--bcc", "secret-boss@example.com", "--subject", "测试邮件：季度报告", "--body", "你好，\n\n附件是季度报告。\n.a line with a dot\n",
		"--attach", attPath, "--ehlo", "client.example.test", "--record", rec, "--timeout", "10s")
	require.Equal(t, repl.ExitOK, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)

	msgs := srv.Messages()
	require.Len(t, msgs, 1)
	m := msgs[0]
	assert.Equal(t, sendUser, m.From)
	assert.Equal(t, []string{"li@example.cn", "wang@example.cn", "zhao@example.cn", "bob@example.com", "secret-boss@example.com"}, m.To,
		"the envelope has every recipient, Bcc included")
	assert.True(t, m.TLS, "STARTTLS was used (--tls auto)")
	assert.Equal(t, sendUser, m.AuthUser)
	assert.Equal(t, "client.example.test", m.Helo)
	assert.NotContains(t, string(m.Data), "secret-boss", "Bcc is in no header")
	assert.NotContains(t, strings.ToLower(string(m.Data)), "bcc:")

	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	require.NoError(t, err)
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, "测试邮件：季度报告", subject)
	from, err := msg.Header.AddressList("From")
	require.NoError(t, err)
	assert.Equal(t, []*mail.Address{{Name: "张三", Address: sendUser}}, from)
	to, err := msg.Header.AddressList("To")
	require.NoError(t, err)
	require.Len(t, to, 3)
	assert.Equal(t, "李四", to[0].Name)
	cc, err := msg.Header.AddressList("Cc")
	require.NoError(t, err)
	assert.Equal(t, "bob@example.com", cc[0].Address)
	_, err = msg.Header.Date()
	assert.NoError(t, err, "a Date was added")
	assert.Regexp(t, `^<\d{14}\.[0-9a-f]{16}@example\.cn>$`, msg.Header.Get("Message-ID"), "a Message-ID from the sender's domain")

	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/mixed", mt)
	mr := multipart.NewReader(msg.Body, params["boundary"])
	text, err := mr.NextPart()
	require.NoError(t, err)
	assert.Equal(t, "base64", text.Header.Get("Content-Transfer-Encoding"), "Chinese text travels in base64")
	body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, text))
	require.NoError(t, err)
	assert.Equal(t, "你好，\r\n\r\n附件是季度报告。\r\n.a line with a dot\r\n", string(body))
	att, err := mr.NextPart()
	require.NoError(t, err)
	assert.Equal(t, "季度报告.pdf", att.FileName())
	assert.Contains(t, att.Header.Get("Content-Type"), "application/pdf")
	got, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, att))
	require.NoError(t, err)
	assert.Equal(t, attachment, got, "the attachment arrived byte for byte")

	// The transcript: STARTTLS, AUTH redacted, SIZE, the message
	// summarised, the timing table.
	for _, want := range []string{
		"C: STARTTLS\nS: 220 2.0.0 Ready to start TLS\n! tls\n# TLS 1.3",
		"#   verified: yes, for localhost",
		"C: AUTH PLAIN [redacted]\nS: 235",
		"C: MAIL FROM:<" + sendUser + "> SIZE=",
		"C: RCPT TO:<secret-boss@example.com>",
		"# message: multipart/mixed: text/plain (base64), 季度报告.pdf (application/pdf, base64)",
		"C: Subject: =?UTF-8?b?",
		"more lines (", "not shown; the recording has them all\n",
		"# pipelined (RFC 2920): the next 7 commands leave in one write\n", // MAIL, 5 RCPT, BDAT
		"C: BDAT ",
		"S: 250 2.0.0 Ok: queued as",
		"# message accepted:",
		"# timing:\n#   connect", "#   TLS ", "#   AUTH ", "#   transfer ", "B/s, ", "#   total",
	} {
		assert.Contains(t, stdout, want)
	}
	assert.Less(t, len(stdout), 12_000, "a 100 kB attachment is not printed line by line")

	recorded, err := os.ReadFile(rec)
	require.NoError(t, err)
	lines := strings.Count(string(recorded), "\nC: ")
	assert.Greater(t, lines, 100_000/57, "the recording keeps every message line")
	for _, secret := range secretForms(sendUser, sendPassword) {
		assert.NotContains(t, stdout, secret)
		assert.NotContains(t, stderr, secret)
		assert.NotContains(t, string(recorded), secret)
	}
	_, err = smtptest.ParseFile(rec)
	assert.NoError(t, err, "the recording is a valid transcript")
}

func TestSendImplicitTLSLoginAndHTML(t *testing.T) {
	t.Setenv("SMTPSH_PASSWORD", sendPassword)
	srv := mailServer(t, &smtptest.MailServerOptions{ImplicitTLSAddr: "127.0.0.1:0"})
	html := filepath.Join(t.TempDir(), "body.html")
	require.NoError(t, os.WriteFile(html, []byte("<p>你好 <b>world</b></p>\n"), 0o600))
	code, stdout, _ := runCmd(t, "plain text from stdin\n", "send", "--server", srv.ImplicitTLSAddr(), "--tls", "implicit",
		"--ca", sendCA(t), "--servername", "localhost", "--user", sendUser, "--auth", "login",
		"--from", sendUser, "--to", "li@example.cn", "--html", html,
		"--header", "Reply-To: 客服 <support@example.cn>", "--header", "X-Campaign: 2025-q1")
	require.Equal(t, repl.ExitOK, code, stdout)
	assert.Contains(t, stdout, "# connecting to "+srv.ImplicitTLSAddr()+" (implicit TLS)\n! tls\n")
	assert.Contains(t, stdout, "C: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\n# Username:\nC: [redacted]\n")
	assert.Contains(t, stdout, "handshake (implicit TLS)")

	m := srv.Messages()[0]
	assert.True(t, m.TLS)
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	require.NoError(t, err)
	rt, err := msg.Header.AddressList("Reply-To")
	require.NoError(t, err)
	assert.Equal(t, "客服", rt[0].Name)
	assert.Equal(t, "2025-q1", msg.Header.Get("X-Campaign"))
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/alternative", mt)
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for _, want := range []struct{ typ, text string }{{"text/plain", "plain text from stdin\r\n"}, {"text/html", "<p>你好 <b>world</b></p>\r\n"}} {
		p, err := mr.NextPart()
		require.NoError(t, err)
		assert.Contains(t, p.Header.Get("Content-Type"), want.typ)
		var r io.Reader = p // multipart.Part decodes quoted-printable itself
		if p.Header.Get("Content-Transfer-Encoding") == "base64" {
			r = base64.NewDecoder(base64.StdEncoding, p)
		}
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		assert.Equal(t, want.text, string(b))
	}
}

// TestSendDataUnchanged sends a prepared message: it arrives byte for
// byte, dot-stuffed on the wire only, and BODY=8BITMIME is declared for
// its UTF-8 because the server offers 8BITMIME.
func TestSendDataUnchanged(t *testing.T) {
	srv := mailServer(t, nil)
	data := "From: a@example.test\r\nTo: b@example.test\r\nSubject: prepared\r\n\r\n.starts with a dot\r\n..two dots\r\n中文\r\n.\r\nlast\r\n"
	path := filepath.Join(t.TempDir(), "msg.eml")
	require.NoError(t, os.WriteFile(path, []byte(data), 0o600))
	code, stdout, _ := runCmd(t, "", "send", "--server", srv.Addr(), "--ca", sendCA(t), "--servername", "localhost",
		"--from", "a@example.test", "--to", "b@example.test", "--data", path, "--chunking", "never")
	require.Equal(t, repl.ExitOK, code, stdout)
	assert.Equal(t, data, string(srv.Messages()[0].Data))
	assert.Contains(t, stdout, fmt.Sprintf("C: MAIL FROM:<a@example.test> SIZE=%d BODY=8BITMIME\n", len(data)))
	assert.Contains(t, stdout, "C: ..starts with a dot\nC: ...two dots\nC: 中文\nC: ..\nC: last\nC: .\n")
}

// sendReplayArgs make a built message whose bytes are known, for exact
// wire checks against transcripts.
func sendReplayArgs(addr string, more ...string) []string {
	return append([]string{"send", "--server", addr, "--ehlo", "client.example.test", "--timeout", "5s",
		"--from", "a@example.test", "--to", "b@example.test", "--subject", "hi", "--body", "hello",
		"--header", "Date: Sat, 01 Mar 2025 09:30:00 +0800", "--header", "Message-ID: <t1@example.test>"}, more...)
}

const replayMessage = `C: Date: Sat, 01 Mar 2025 09:30:00 +0800
C: From: <a@example.test>
C: To: <b@example.test>
C: Subject: hi
C: Message-ID: <t1@example.test>
C: MIME-Version: 1.0
C: Content-Type: text/plain; charset=utf-8
C: Content-Transfer-Encoding: 7bit
C:
C: hello
C: .
`

func TestSendWireExact(t *testing.T) {
	srv := replayServer(t, `S: 220 mx.example.test ESMTP
C: EHLO client.example.test
S: 250-mx.example.test
S: 250 SIZE 1000000
C: MAIL FROM:<a@example.test> SIZE=231
S: 250 2.1.0 Ok
C: RCPT TO:<b@example.test>
S: 250 2.1.5 Ok
C: DATA
S: 354 go ahead
`+replayMessage+`S: 250 2.0.0 Ok: queued as 42
C: QUIT
S: 221 2.0.0 Bye
`)
	code, stdout, _ := runCmd(t, "", sendReplayArgs(srv.Addr())...)
	require.NoError(t, srv.Wait(), "the client put the transcript's exact bytes on the wire")
	assert.Equal(t, repl.ExitOK, code, stdout)
	assert.Contains(t, stdout, "# the server offers no STARTTLS: the session stays in plain text")
}

// TestSendQuitAfter stops at each stage with QUIT, and checks the wire
// byte for byte.
func TestSendQuitAfter(t *testing.T) {
	t.Setenv("SMTPSH_PASSWORD", sendPassword)
	ca := sendCA(t)
	stages := []struct{ stage, wire string }{
		{"connect", ""},
		{"banner", ""},
		{"ehlo", "C: EHLO client.example.test\nS: 250-mx.example.test\nS: 250 STARTTLS\n"},
		{"starttls", "C: STARTTLS\nS: 220 2.0.0 Ready\n! tls\nC: EHLO client.example.test\nS: 250-mx.example.test\nS: 250 AUTH PLAIN LOGIN\n"},
		{"auth", "C: AUTH PLAIN [redacted]\nS: 235 2.7.0 Authentication successful\n"},
		{"mail", "C: MAIL FROM:<a@example.test>\nS: 250 2.1.0 Ok\n"},
		{"rcpt", "C: RCPT TO:<b@example.test>\nS: 250 2.1.5 Ok\n"},
	}
	script := "S: 220 mx.example.test ESMTP\n"
	for _, st := range stages {
		script += st.wire
		t.Run(st.stage, func(t *testing.T) {
			transcript := script
			if st.stage != "connect" {
				transcript += "C: QUIT\nS: 221 2.0.0 Bye\n"
			}
			srv := replayServer(t, transcript)
			code, stdout, stderr := runCmd(t, "", sendReplayArgs(srv.Addr(), "--quit-after", st.stage,
				"--user", "a@example.test", "--ca", ca, "--servername", "localhost")...)
			require.NoError(t, srv.Wait())
			assert.Equal(t, repl.ExitOK, code, stdout+stderr)
			assert.Contains(t, stdout, "--quit-after "+st.stage)
			assert.NotContains(t, stdout, "C: DATA")
		})
	}
}

func TestSendNoPasswordAskedBeforeAuth(t *testing.T) {
	os.Unsetenv("SMTPSH_PASSWORD")
	srv := replayServer(t, "S: 220 mx.example.test ESMTP\nC: EHLO client.example.test\nS: 250 mx.example.test\nC: QUIT\nS: 221 Bye\n")
	code, stdout, stderr := runCmd(t, "", sendReplayArgs(srv.Addr(), "--user", "a@example.test", "--quit-after", "ehlo")...)
	require.NoError(t, srv.Wait())
	assert.Equal(t, repl.ExitOK, code, stdout+stderr)
}

// TestSendExitStatuses checks the status of each failing stage against a
// transcript that fails there, and the wire up to the failure.
func TestSendExitStatuses(t *testing.T) {
	greet := "S: 220 mx.example.test ESMTP\nC: EHLO client.example.test\nS: 250 mx.example.test\n"
	envelope := greet + "C: MAIL FROM:<a@example.test>\nS: 250 2.1.0 Ok\n"
	quit := "C: QUIT\nS: 221 2.0.0 Bye\n"
	tests := []struct {
		name, script string
		args         []string
		want         int
		says         string
	}{
		{"greeting 554", "S: 554 5.7.1 no SMTP service for you\n" + quit, nil, repl.ExitNegative,
			"refuses your IP address"},
		{"EHLO refused", "S: 220 mx.example.test ESMTP\nC: EHLO client.example.test\nS: 554 5.7.1 go away\n" + quit, nil,
			repl.ExitNegative, "EHLO client.example.test: the server said 554"},
		{"STARTTLS required, not offered", greet + quit, []string{"--tls", "starttls"}, repl.ExitTLS,
			"does not offer STARTTLS"},
		{"MAIL refused", greet + "C: MAIL FROM:<a@example.test>\nS: 553 5.7.1 Sender address rejected: not owned by user\n" + quit,
			nil, repl.ExitEnvelope, "use the AUTH user name in MAIL FROM"},
		{"every RCPT refused", envelope + "C: RCPT TO:<b@example.test>\nS: 550 5.1.1 User unknown\n" + quit,
			nil, repl.ExitEnvelope, "every recipient was refused: b@example.test (550 5.1.1 User unknown)"},
		{"DATA refused", envelope + "C: RCPT TO:<b@example.test>\nS: 250 Ok\nC: DATA\nS: 554 5.5.1 No valid recipients\n" + quit,
			nil, repl.ExitMessage, "DATA: the server said 554"},
		{"message refused", envelope + "C: RCPT TO:<b@example.test>\nS: 250 Ok\nC: DATA\nS: 354 go\n" + replayMessage +
			"S: 554 5.7.1 Message rejected as spam (DT:SPM)\n" + quit,
			nil, repl.ExitMessage, "163/126 classed the message as spam"},
		{"server hangs up", envelope + "! close\n", nil, repl.ExitProtocol, "# error: RCPT: smtpwire: RCPT: "},
		{"garbage", "S: SSH-2.0-OpenSSH_9.2\n", nil, repl.ExitProtocol, "SSH-2.0"},
		{"421 at RCPT", envelope + "C: RCPT TO:<b@example.test>\nS: 421 4.7.0 Too many errors\n", nil, repl.ExitEnvelope,
			"421"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := replayServer(t, tt.script)
			code, stdout, stderr := runCmd(t, "", sendReplayArgs(srv.Addr(), tt.args...)...)
			assert.NoError(t, srv.Wait(), "the wire up to the failure")
			assert.Equal(t, tt.want, code, stdout+stderr)
			assert.Contains(t, stdout, tt.says)
		})
	}
}

func TestSendPartialRecipients(t *testing.T) {
	srv := replayServer(t, `S: 220 mx.example.test ESMTP
C: EHLO client.example.test
S: 250 mx.example.test
C: MAIL FROM:<a@example.test>
S: 250 Ok
C: RCPT TO:<b@example.test>
S: 250 Ok
C: RCPT TO:<nobody@example.test>
S: 550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown
C: DATA
S: 354 go
`+replayMessage+`S: 250 Ok: queued
C: QUIT
S: 221 Bye
`)
	code, stdout, stderr := runCmd(t, "", sendReplayArgs(srv.Addr(), "--bcc", "nobody@example.test", "--quiet")...)
	require.NoError(t, srv.Wait())
	assert.Equal(t, repl.ExitOK, code, "the message went to the accepted recipient")
	assert.Empty(t, stdout, "--quiet")
	assert.Contains(t, stderr, "# warning: 1 of 2 recipients refused; the message goes to the others:\n"+
		"#          nobody@example.test (550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown)")
	assert.Contains(t, stderr, "Unknown recipient", "explained")
}

func TestSendWrongPassword(t *testing.T) {
	t.Setenv("SMTPSH_PASSWORD", "my-qq-login-password")
	srv := mailServer(t, nil)
	rec := filepath.Join(t.TempDir(), "rec.txt")
	code, stdout, stderr := runCmd(t, "", "send", "--server", srv.Addr(), "--ca", sendCA(t), "--servername", "localhost",
		"--user", sendUser, "--from", sendUser, "--to", "li@example.cn", "--body", "x", "--quiet", "--record", rec)
	assert.Equal(t, repl.ExitAuth, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "# error: the server refused the login of "+sendUser+" with AUTH PLAIN: 535 5.7.8")
	assert.Contains(t, stderr, "authorization code (授权码)")
	assert.NotContains(t, stderr, "/b64", "no advice about the shell's commands")
	recorded, err := os.ReadFile(rec)
	require.NoError(t, err)
	assert.Contains(t, string(recorded), "C: AUTH PLAIN [redacted]\nS: 535")
	for _, secret := range secretForms(sendUser, "my-qq-login-password") {
		assert.NotContains(t, stderr, secret)
		assert.NotContains(t, string(recorded), secret)
	}
	assert.Empty(t, srv.Messages())
}

func TestSendPasswordArgvWarns(t *testing.T) {
	os.Unsetenv("SMTPSH_PASSWORD")
	srv := mailServer(t, nil)
	code, stdout, stderr := runCmd(t, "", "send", "--server", srv.Addr(), "--ca", sendCA(t), "--servername", "localhost",
		"--user", sendUser, "--password", sendPassword, "--from", sendUser, "--to", "li@example.cn", "--body", "x")
	assert.Equal(t, repl.ExitOK, code, stdout)
	assert.Contains(t, stderr, "warning: --password puts the password in argv")
	for _, secret := range secretForms(sendUser, sendPassword) {
		assert.NotContains(t, stdout, secret)
		assert.NotContains(t, stderr, secret)
	}
}

func TestSendPasswordFile(t *testing.T) {
	os.Unsetenv("SMTPSH_PASSWORD")
	srv := mailServer(t, nil)
	pw := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pw, []byte(sendPassword+"\n"), 0o600))
	code, stdout, stderr := runCmd(t, "", "send", "--server", srv.Addr(), "--ca", sendCA(t), "--servername", "localhost",
		"--user", sendUser, "--password-file", pw, "--from", sendUser, "--to", "li@example.cn", "--body", "x", "--quiet")
	assert.Equal(t, repl.ExitOK, code, stderr)
	assert.Empty(t, stdout+stderr)
	assert.Len(t, srv.Messages(), 1)
}

func TestSendConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	code, stdout, _ := runCmd(t, "", "send", "--server", addr, "--from", "a@example.test", "--to", "b@example.test", "--body", "x")
	assert.Equal(t, repl.ExitConnect, code)
	assert.Contains(t, stdout, "connection refused")
	assert.Contains(t, stdout, "check the host name and port")
}

func TestSendTLSFailure(t *testing.T) {
	t.Run("plain server, implicit TLS", func(t *testing.T) {
		srv := replayServer(t, "S: 220 mx.example.test ESMTP\n")
		code, stdout, _ := runCmd(t, "", "send", "--server", srv.Addr(), "--tls", "implicit", "--timeout", "5s",
			"--from", "a@example.test", "--to", "b@example.test", "--body", "x")
		assert.Equal(t, repl.ExitTLS, code)
		assert.Contains(t, stdout, "use --tls starttls")
	})
	t.Run("unknown authority after STARTTLS", func(t *testing.T) {
		srv := mailServer(t, nil)
		code, stdout, _ := runCmd(t, "", "send", "--server", srv.Addr(), "--from", "a@example.test", "--to", "b@example.test", "--body", "x")
		assert.Equal(t, repl.ExitTLS, code, "--tls auto does not fall back to plain text after a failed handshake")
		assert.Contains(t, stdout, "not signed by an authority this machine trusts")
		assert.Empty(t, srv.Messages())
	})
}

// TestSendRefusesPlaintextPassword checks that a password never goes
// without TLS to a server that is not on loopback.
func TestSendRefusesPlaintextPassword(t *testing.T) {
	t.Setenv("SMTPSH_PASSWORD", sendPassword)
	code, _, stderr := runCmd(t, "", "send", "--server", "smtp.example.test:587", "--tls", "none", "--user", "u@example.test",
		"--from", "u@example.test", "--to", "b@example.test", "--body", "x")
	assert.Equal(t, repl.ExitUsage, code, "refused before connecting")
	assert.Contains(t, stderr, "would send the password in plain text")

	// A server without STARTTLS, reached under a name that is not
	// loopback: the plan is pointed at a local transcript.
	srv := replayServer(t, "S: 220 mx.example.test ESMTP\nC: EHLO client.example.test\nS: 250-mx.example.test\nS: 250 AUTH PLAIN\n"+
		"C: QUIT\nS: 221 Bye\n")
	var o sendOptions
	fs := newSendFlagSet(&o)
	require.NoError(t, fs.Parse(sendReplayArgs(srv.Addr(), "--user", "u@example.test")[1:]))
	plan, err := o.check(strings.NewReader(""), io.Discard)
	require.NoError(t, err)
	plan.host = "smtp.example.test"
	var out bytes.Buffer
	so, err := newSendOutput(&out, io.Discard, false, "")
	require.NoError(t, err)
	s := &sender{o: &o, plan: plan, out: so}
	assert.Equal(t, repl.ExitAuth, s.run(context.Background()))
	require.NoError(t, srv.Wait(), "QUIT, and no AUTH, on the wire")
	assert.Contains(t, out.String(), "refusing to send the password without TLS to smtp.example.test")

	// --allow-plaintext-auth lets it through.
	srv = replayServer(t, "S: 220 mx.example.test ESMTP\nC: EHLO client.example.test\nS: 250-mx.example.test\nS: 250 AUTH PLAIN\n"+
		"C: AUTH PLAIN [redacted]\nS: 235 ok\nC: QUIT\nS: 221 Bye\n")
	o = sendOptions{}
	fs = newSendFlagSet(&o)
	require.NoError(t, fs.Parse(sendReplayArgs(srv.Addr(), "--user", "u@example.test", "--allow-plaintext-auth", "--quit-after", "auth")[1:]))
	plan, err = o.check(strings.NewReader(""), io.Discard)
	require.NoError(t, err)
	plan.host = "smtp.example.test"
	so, _ = newSendOutput(io.Discard, io.Discard, false, "")
	s = &sender{o: &o, plan: plan, out: so}
	assert.Equal(t, repl.ExitOK, s.run(context.Background()))
	require.NoError(t, srv.Wait())
}

func TestSendUsageErrors(t *testing.T) {
	os.Unsetenv("SMTPSH_PASSWORD")
	body := filepath.Join(t.TempDir(), "body.txt")
	require.NoError(t, os.WriteFile(body, []byte("x"), 0o600))
	base := []string{"send", "--server", "127.0.0.1:1", "--from", "a@example.test", "--to", "b@example.test"}
	tests := []struct {
		args []string
		says string
	}{
		{[]string{"send", "--from", "a@example.test", "--to", "b@example.test"}, "--server"},
		{[]string{"send", "--server", "127.0.0.1:1", "--to", "b@example.test"}, "--from"},
		{[]string{"send", "--server", "127.0.0.1:1", "--from", "a@example.test"}, "no recipient"},
		{[]string{"send", "--server", "127.0.0.1:1", "--from", "a@example.test", "--to", "b@example.test", "--cc", "team:;"}, "--cc \"team:;\": no address in it"},
		{[]string{"send", "--server", "127.0.0.1:1", "--from", "a@example.test", "--to", "b@example.test", "--header", "Reply-To: 0:;"}, "no address in it"},
		{append(base, "--subject", "x\r\nBcc: evil@x"), "CR or LF"},
		{append(base, "--subject", "x\nBcc: evil@x"), "CR or LF"},
		{append(base, "--header", "X-A: b\r\nBcc: evil@x"), "CR or LF"},
		{append(base, "--header", "Bcc: evil@x"), "envelope only"},
		{append(base, "--header", "Bad Name: x"), "invalid character"},
		{append(base, "--header", "no colon"), `want "Name: value"`},
		{append(base, "--header", "Content-Type: text/html"), "set by smtpsh"},
		{append(base, "--from", "not an address"), "--from"},
		{append(base, "--to", "b@example.test>\r\nRCPT TO:<evil@x"), "--to \"b@example.test>\\r\\nRCPT TO:<evil@x\": an address cannot hold a line break"},
		{append(base, "--from", "a@example.test\nRCPT TO:<evil@x>"), "--from \"a@example.test\\nRCPT TO:<evil@x>\": an address cannot hold a line break"},
		{append(base, "--bcc", "c@example.test\x00"), "--bcc"},
		{append(base, "--data", body, "--subject", "x"), "--data sends a prepared message unchanged"},
		{append(base, "--body", "x", "--body-file", body), "not both"},
		{append(base, "--attach", "/nonexistent/file.pdf"), "--attach"},
		{append(base, "--attach", t.TempDir()), "not a regular file"},
		{append(base, "--quit-after", "data"), "--quit-after"},
		{append(base, "--auth", "digest-md5", "--user", "u"), "--auth"},
		{append(base, "--auth", "plain"), "needs --user"},
		{append(base, "--user", "u@example.test"), "no password"},
		{append(base, "--tls", "ssl"), "--tls"},
		{append(base, "--server", "smtp://x"), "--server"},
		{append(base, "extra"), "unexpected argument"},
		{append(base, "--body-file", "/nonexistent"), "--body-file"},
		{append(base, "--body", "\xc4\xe3\xba\xc3"), "iconv -f GBK"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(t, "", tt.args...)
		assert.Equal(t, repl.ExitUsage, code, "%q", tt.args)
		assert.Contains(t, stderr, tt.says, "%q", tt.args)
		assert.Empty(t, stdout, "nothing was sent: %q", tt.args)
	}
	code, _, stderr := runCmd(t, "", "send", "--help")
	assert.Equal(t, repl.ExitOK, code)
	assert.Contains(t, stderr, "usage: smtpsh send")
}

func TestSendSMTPUTF8(t *testing.T) {
	srv := mailServer(t, &smtptest.MailServerOptions{NoTLS: true})
	code, stdout, _ := runCmd(t, "", "send", "--server", srv.Addr(), "--from", "a@example.test", "--to", "用户@例子.中国", "--body", "x")
	require.Equal(t, repl.ExitOK, code, stdout)
	assert.Contains(t, stdout, "C: MAIL FROM:<a@example.test> SIZE=")
	assert.Contains(t, stdout, " SMTPUTF8\n")
	assert.Equal(t, []string{"用户@例子.中国"}, srv.Messages()[0].To)
}

// TestSendRecordingReplays records a session and serves the recording to
// a second run of the same command: the recording is a transcript the
// replay harness accepts, and the second run matches it byte for byte.
func TestSendRecordingReplays(t *testing.T) {
	t.Setenv("SMTPSH_PASSWORD", sendPassword)
	srv := mailServer(t, nil)
	dir := t.TempDir()
	data := filepath.Join(dir, "msg.eml")
	require.NoError(t, os.WriteFile(data, []byte("Subject: replay\r\n\r\n.dot\r\nbody\r\n"), 0o600))
	rec := filepath.Join(dir, "rec.txt")
	args := func(addr string) []string {
		return []string{"send", "--server", addr, "--ca", sendCA(t), "--servername", "localhost", "--ehlo", "client.example.test",
			"--user", sendUser, "--from", sendUser, "--to", "li@example.cn", "--data", data}
	}
	code, stdout, _ := runCmd(t, "", append(args(srv.Addr()), "--record", rec)...)
	require.Equal(t, repl.ExitOK, code, stdout)

	script, err := smtptest.ParseFile(rec)
	require.NoError(t, err)
	replay, err := smtptest.NewServer(script, &smtptest.ServeOptions{Timeout: 10 * time.Second})
	require.NoError(t, err)
	defer replay.Close()
	code, stdout, _ = runCmd(t, "", args(replay.Addr())...)
	assert.NoError(t, replay.Wait())
	assert.Equal(t, repl.ExitOK, code, stdout)
}

// sinkServer is a minimal SMTP server for the memory test: it reads
// messages line by line without keeping them, and reports the size of
// each one.
func sinkServer(t *testing.T) (addr string, sizes chan int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	sizes = make(chan int64, 4)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			serveSink(conn, sizes)
		}
	}()
	return ln.Addr().String(), sizes
}

func serveSink(conn net.Conn, sizes chan int64) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReaderSize(conn, 64<<10)
	reply := func(s string) { io.WriteString(conn, s) }
	reply("220 sink ESMTP\r\n")
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return
		}
		switch {
		case bytes.HasPrefix(line, []byte("EHLO")):
			reply("250-sink\r\n250 SIZE 0\r\n")
		case bytes.HasPrefix(line, []byte("DATA")):
			reply("354 go\r\n")
			var n int64
			for {
				l, err := br.ReadSlice('\n')
				if err != nil {
					return
				}
				if string(l) == ".\r\n" {
					break
				}
				n += int64(len(l))
			}
			sizes <- n
			reply("250 ok\r\n")
		case bytes.HasPrefix(line, []byte("QUIT")):
			reply("221 bye\r\n")
			return
		default:
			reply("250 ok\r\n")
		}
	}
}

// TestSendBigAttachmentMemoryFlat sends a 10 MiB attachment and checks
// that it is streamed: with --quiet the whole send allocates a small
// fraction of the file, and with the transcript shown and recorded the
// heap never grows by more than a few MiB (the transcript shows a
// summary, the recording is written as it goes).
func TestBigAttachmentMemoryFlat(t *testing.T) {
	const size = 10 << 20
	dir := t.TempDir()
	big := filepath.Join(dir, "big.bin")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(size))
	require.NoError(t, f.Close())
	addr, sizes := sinkServer(t)
	args := []string{"send", "--server", addr, "--from", "a@example.test", "--to", "b@example.test", "--body", "big", "--attach", big}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code, stdout, stderr := runCmd(t, "", append(args, "--quiet")...)
	runtime.ReadMemStats(&after)
	require.Equal(t, repl.ExitOK, code, stderr)
	assert.Empty(t, stdout)
	sent := <-sizes
	assert.Greater(t, sent, int64(size*4/3), "the attachment went out, in base64")
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("--quiet: %d bytes on the wire, %d bytes allocated in all", sent, allocated)
	assert.Less(t, allocated, uint64(2<<20), "allocations are a small fraction of the 10 MiB file")

	// Shown and recorded: every line is traced, so allocations grow with
	// the message, but nothing is kept: the live heap stays flat.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > peak.Load() {
					peak.Store(ms.HeapAlloc)
				}
			}
		}
	}()
	code, stdout, stderr = runCmd(t, "", append(args, "--record", filepath.Join(dir, "rec.txt"))...)
	close(stop)
	<-sampled
	require.Equal(t, repl.ExitOK, code, stderr)
	<-sizes
	growth := int64(peak.Load()) - int64(before.HeapAlloc)
	t.Logf("shown and recorded: heap %d before, peak growth %d bytes; %d bytes shown", before.HeapAlloc, growth, len(stdout))
	assert.Less(t, growth, int64(4<<20), "the heap does not hold the 10 MiB file or its 13.5 MiB of base64")
	assert.Less(t, len(stdout), 10_000, "the transcript shows a summary, not 180,000 base64 lines")
	assert.Regexp(t, `# \.\.\. \d{6} more lines \(13\.\d MiB\) not shown; the recording has them all`, stdout)
}

// A Chinese user sees send's notes in their script; the wire lines are
// the same in every language.
func TestSendInChinese(t *testing.T) {
	wire := func(out string) []string {
		var lines []string
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "C: ") || strings.HasPrefix(l, "S: ") {
				if strings.Contains(l, "Date: ") || strings.Contains(l, "Message-ID: ") || strings.Contains(l, "queued as") {
					continue // differ from run to run
				}
				lines = append(lines, l)
			}
		}
		return lines
	}
	var outs []string
	for _, tc := range []struct{ lang, connecting, accepted, timing, connect, transfer, total string }{
		{"en", "# connecting to ", "# message accepted: ", "# timing:", "#   connect ", "round trip", "#   total "},
		{"zh", "# 正在连接 ", "# 邮件已被接受:", "# 耗时:", "#   连接 ", "1 次往返", "#   合计 "},
		{"zh-Hant", "# 正在連接 ", "# 郵件已被接受:", "# 耗時:", "#   連接 ", "1 次往返", "#   合計 "},
	} {
		srv := mailServer(t, nil)
		code, stdout, stderr := runCmd(t, "", "send", "--lang", tc.lang, "--server", srv.Addr(), "--ca", sendCA(t),
			"--servername", "localhost", "--from", "a@example.test", "--to", "b@example.test", "--subject", "s", "--body", "x")
		require.Equal(t, repl.ExitOK, code, stdout+stderr)
		for _, want := range []string{tc.connecting, tc.accepted, tc.timing, tc.connect, tc.transfer, tc.total} {
			assert.Contains(t, stdout, want, tc.lang)
		}
		if tc.lang != "en" {
			// The timing table is in the reader's language too.
			for _, en := range []string{"connect ", "greeting", "transfer", "total", "TCP to", "round trip", "pipelined", "handshake"} {
				assert.NotContains(t, stdout, "#   "+en, tc.lang)
				assert.NotContains(t, stdout, "  "+en, tc.lang)
			}
		}
		outs = append(outs, stdout)
	}
	assert.Equal(t, wire(outs[0]), wire(outs[1]))
	assert.Equal(t, wire(outs[0]), wire(outs[2]))
	assert.Contains(t, outs[1], "# 流水线(RFC 2920):接下来 3 条命令在一次写入中发出")
	// The TLS summary and the sizes are in the reader's language too.
	assert.Contains(t, outs[1], "\n#   验证:通过,名称为 localhost\n")
	assert.Contains(t, outs[2], "\n#   驗證:通過,名稱為 localhost\n")
	assert.Regexp(t, `# 邮件已被接受:\d+ 字节,`, outs[1])
	for _, out := range outs[1:] {
		for _, en := range []string{"verified:", "certificate:", "issuer:", " bytes", "days left"} {
			assert.NotContains(t, out, en)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTarget(t *testing.T) {
	tests := []struct {
		mode, arg, addr    string
		implicit, starttls bool
		err                string
	}{
		{"auto", "smtp.qq.com", "smtp.qq.com:25", false, false, ""},
		{"auto", "smtp.qq.com:465", "smtp.qq.com:465", true, false, ""},
		{"auto", "smtp.163.com:994", "smtp.163.com:994", true, false, ""},
		{"auto", "smtp.gmail.com:587", "smtp.gmail.com:587", false, false, ""},
		{"implicit", "smtpdm.aliyun.com", "smtpdm.aliyun.com:465", true, false, ""},
		{"starttls", "smtp.gmail.com", "smtp.gmail.com:587", false, true, ""},
		{"none", "smtp.example.com:465", "smtp.example.com:465", false, false, ""},
		{"auto", "::1", "[::1]:25", false, false, ""},
		{"auto", "[::1]:465", "[::1]:465", true, false, ""},
		{"auto", "[::1]", "[::1]:25", false, false, ""},
		{"auto", "127.0.0.1", "127.0.0.1:25", false, false, ""},
		{"auto", "host:abc", "", false, false, "want a number"},
		{"auto", "host:0", "", false, false, "want a number"},
		{"auto", "host:70000", "", false, false, "want a number"},
		{"auto", "a\r\nRCPT", "", false, false, "is not HOST[:PORT]"},
		{"auto", "", "", false, false, "is not HOST[:PORT]"},
		{"auto", "smtp://x", "", false, false, "is not HOST[:PORT]"},
		{"auto", "a:b:c", "", false, false, "is not HOST[:PORT]"},
		{"ssl", "smtp.qq.com", "", false, false, "want auto, implicit, starttls or none"},
		// Provider names stand where a host goes, with their preset port and TLS mode.
		{"auto", "qq", "smtp.qq.com:465", true, false, ""},
		{"auto", "QQ:587", "smtp.qq.com:587", false, true, ""},
		{"auto", "gmail", "smtp.gmail.com:465", true, false, ""},
		{"auto", "gmail:587", "smtp.gmail.com:587", false, true, ""},
		{"auto", "163:994", "smtp.163.com:994", true, false, ""},
		{"auto", "directmail", "smtpdm.aliyun.com:465", true, false, ""},
		{"starttls", "qq", "smtp.qq.com:587", false, true, ""},
		{"starttls", "gmail", "smtp.gmail.com:587", false, true, ""},
		{"none", "qq:25", "smtp.qq.com:25", false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.mode+" "+tt.arg, func(t *testing.T) {
			f := sessionFlags{tlsMode: tt.mode}
			addr, implicit, starttls, err := f.target(tt.arg)
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.addr, addr)
			assert.Equal(t, tt.implicit, implicit)
			assert.Equal(t, tt.starttls, starttls)
		})
	}
}

// scriptServer replays a transcript given as text, for one client.
func scriptServer(t *testing.T, script string) *smtptest.Server {
	t.Helper()
	s, err := smtptest.Parse(t.Name()+".txt", strings.NewReader(script))
	require.NoError(t, err)
	srv, err := smtptest.NewServer(s, nil)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv
}

func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code = run(ctx, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"a", "b"}, {"--nosuch", "x"}, {"--tls", "ssl", "x"}, {"x:port"}, {"replay"}, {"serve", "extra"}} {
		code, _, stderr := runCmd(t, "", args...)
		assert.Equal(t, repl.ExitUsage, code, "%q", args)
		assert.NotEmpty(t, stderr, "%q says why", args)
	}
	code, _, _ := runCmd(t, "", "--help")
	assert.Equal(t, repl.ExitOK, code)
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	code, stdout, _ := runCmd(t, "QUIT\n", addr, "--timeout", "2s")
	assert.Equal(t, repl.ExitConnect, code)
	assert.Contains(t, stdout, "connection refused")
	assert.Contains(t, stdout, "check the host name and port")
}

func TestTLSFailureStatus(t *testing.T) {
	// A plain-text server on a port dialled with implicit TLS.
	srv := scriptServer(t, "S: 220 mx.example.com ESMTP\n")
	code, stdout, _ := runCmd(t, "", srv.Addr(), "--tls", "implicit", "--timeout", "5s")
	assert.Equal(t, repl.ExitTLS, code)
	assert.Contains(t, stdout, "use --tls starttls")
}

func TestScriptModeAgainstReplay(t *testing.T) {
	seed := filepath.Join("..", "..", "testdata", "transcripts", "seed-alimail-auth-login.txt")
	s, err := smtptest.ParseFile(seed)
	require.NoError(t, err)
	var input strings.Builder
	for _, st := range s.Steps {
		if st.Kind == smtptest.StepClient {
			input.WriteString(st.Text + "\n")
		}
	}
	srv, err := smtptest.NewServer(s, nil)
	require.NoError(t, err)
	defer srv.Close()
	code, stdout, _ := runCmd(t, input.String(), srv.Addr(), "--timeout", "5s")
	assert.NoError(t, srv.Wait(), "the shell put the seed's exact bytes on the wire")
	assert.Equal(t, repl.ExitOK, code)
	assert.Contains(t, stdout, "C: MAIL FROM: <test@test.com>\nS: 250 Mail Ok\n")
	assert.NotContains(t, stdout, "dGVzdA==")
}

func TestNegativeReplyStatus(t *testing.T) {
	srv := scriptServer(t, "S: 220 mx ESMTP\nC: MAIL FROM:<a@b>\nS: 503 5.5.1 need EHLO\nC: QUIT\nS: 221 bye\n")
	code, _, _ := runCmd(t, "MAIL FROM:<a@b>\nQUIT\n", srv.Addr())
	assert.NoError(t, srv.Wait())
	assert.Equal(t, repl.ExitNegative, code)
}

func TestGarbageServerStatus(t *testing.T) {
	srv := scriptServer(t, "S: SSH-2.0-OpenSSH_9.2\n")
	code, stdout, _ := runCmd(t, "QUIT\n", srv.Addr())
	assert.Equal(t, repl.ExitProtocol, code)
	assert.Contains(t, stdout, "SSH-2.0")
}

// TestDemoSession walks the README's first command in script mode: the
// whole seed-like session on the built-in server.
func TestDemoSession(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "demo.txt")
	script := strings.Join([]string{
		"EHLO me.example.com",
		"STARTTLS",
		"EHLO me.example.com",
		"/auth login " + demoUser,
		demoPassword,
		"MAIL FROM:<" + demoUser + ">",
		"RCPT TO:<friend@example.com>",
		"DATA",
		"Subject: hello",
		"",
		".a line with a dot",
		".",
		"QUIT",
	}, "\n") + "\n"
	code, stdout, stderr := runCmd(t, script, "demo", "--record", rec)
	assert.Equal(t, repl.ExitOK, code, stdout)
	assert.Contains(t, stderr, "password "+demoPassword, "the banner tells the demo account")
	assert.Contains(t, stdout, "S: 235 2.7.0 Authentication successful")
	assert.Contains(t, stdout, "# message 00000001 received: from <"+demoUser+"> to <friend@example.com>")
	assert.Contains(t, stdout, "#   .a line with a dot", "the server got the line un-stuffed")
	recorded, err := os.ReadFile(rec)
	require.NoError(t, err)
	for _, secret := range []string{demoPassword, base64.StdEncoding.EncodeToString([]byte(demoPassword))} {
		assert.NotContains(t, stdout, secret)
		assert.NotContains(t, string(recorded), secret)
	}
}

func TestReplayOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	file := filepath.Join("..", "..", "testdata", "transcripts", "ehlo-rejected-helo.txt")
	done := make(chan int, 1)
	var out bytes.Buffer
	go func() {
		done <- run(context.Background(), []string{"replay", file, "--listen", addr, "--once"}, strings.NewReader(""), &out, &bytes.Buffer{})
	}()
	var conn net.Conn
	require.Eventually(t, func() bool {
		conn, err = net.Dial("tcp", addr)
		return err == nil
	}, 5*time.Second, 20*time.Millisecond)
	defer conn.Close()
	buf := make([]byte, 512)
	n, _ := conn.Read(buf)
	assert.Contains(t, string(buf[:n]), "220 old.example.com")
	fmt.Fprint(conn, "EHLO wrong\r\n")
	select {
	case code := <-done:
		assert.Equal(t, repl.ExitNegative, code, "a client off the transcript fails --once")
	case <-time.After(10 * time.Second):
		t.Fatal("replay --once did not finish")
	}
	assert.Contains(t, out.String(), `client sent "EHLO wrong", want "EHLO client.example.com"`)
}

func TestWantColor(t *testing.T) {
	assert.False(t, wantColor(&bytes.Buffer{}, ""), "not a file")
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, wantColor(f, ""), "a file is not a terminal")
}

func TestServeCatchesMail(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	out := &lockedWriter{w: &bytes.Buffer{}}
	go func() {
		done <- run(ctx, []string{"serve", "--listen", addr}, strings.NewReader(""), out, &bytes.Buffer{})
	}()

	var c *smtpwire.Client
	require.Eventually(t, func() bool {
		c, err = smtpwire.Dial(context.Background(), addr, nil)
		return err == nil
	}, 5*time.Second, 20*time.Millisecond)
	ctx2 := context.Background()
	require.NoError(t, c.Hello(ctx2, "app.example.com"))
	require.NoError(t, c.Mail(ctx2, "app@example.com", nil))
	require.NoError(t, c.Rcpt(ctx2, "user@example.com", nil))
	w, err := c.Data(ctx2)
	require.NoError(t, err)
	fmt.Fprint(w, "Subject: password reset\r\n\r\nyour link\r\n")
	require.NoError(t, w.Close())
	require.NoError(t, c.Quit(ctx2))

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, repl.ExitOK, code)
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop")
	}
	printed := out.w.(*bytes.Buffer).String()
	assert.Contains(t, printed, "# listening on "+addr)
	assert.Contains(t, printed, "# message 00000001 received: from <app@example.com> to <user@example.com>")
	assert.Contains(t, printed, "#   Subject: password reset\n#   \n#   your link\n")
}

func TestBadCAIsAUsageError(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.pem")
	require.NoError(t, os.WriteFile(empty, []byte("not a certificate\n"), 0o600))
	for _, ca := range []string{filepath.Join(dir, "missing.pem"), empty} {
		// Nothing listens on port 9 of loopback: a usage error must come first.
		code, _, stderr := runCmd(t, "", "127.0.0.1:9", "--tls", "implicit", "--ca", ca)
		assert.Equal(t, repl.ExitUsage, code, ca)
		assert.Contains(t, stderr, "--ca")
		code, _, stderr = runCmd(t, "", "send", "--server", "127.0.0.1:9", "--from", "a@example.test", "--to", "b@example.test", "--body", "x", "--ca", ca)
		assert.Equal(t, repl.ExitUsage, code, ca)
		assert.Contains(t, stderr, "--ca")
	}
}

func TestSendStageStatus(t *testing.T) {
	reply := func(code int, enh smtpwire.EnhancedCode) *smtpwire.ReplyError {
		return &smtpwire.ReplyError{Code: code, Enhanced: enh, Reply: &smtpwire.Reply{Code: code}}
	}
	assert.Equal(t, repl.ExitMessage, sendStageStatus("MAIL", reply(552, smtpwire.EnhancedCode{Class: 5, Subject: 3, Detail: 4})), "too big, at MAIL")
	assert.Equal(t, repl.ExitMessage, sendStageStatus("MAIL", reply(554, smtpwire.EnhancedCode{Class: 5, Subject: 3, Detail: 4})))
	assert.Equal(t, repl.ExitAuth, sendStageStatus("MAIL", reply(530, smtpwire.EnhancedCode{Class: 5, Subject: 7, Detail: 0})), "AUTH or STARTTLS first")
	assert.Equal(t, repl.ExitEnvelope, sendStageStatus("MAIL", reply(553, smtpwire.EnhancedCode{})))
	assert.Equal(t, repl.ExitEnvelope, sendStageStatus("RCPT", reply(550, smtpwire.EnhancedCode{Class: 5, Subject: 1, Detail: 1})))
	assert.Equal(t, repl.ExitAuth, sendStageStatus("AUTH", reply(535, smtpwire.EnhancedCode{})))
	assert.Equal(t, repl.ExitMessage, sendStageStatus("DATA", reply(554, smtpwire.EnhancedCode{})))
	assert.Equal(t, repl.ExitNegative, sendStageStatus("EHLO", reply(502, smtpwire.EnhancedCode{})))
}

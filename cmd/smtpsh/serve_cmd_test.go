package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// startServe runs smtpsh serve with args on free ports and returns the
// SMTP and HTTP addresses from its banner; the server stops with the test.
func startServe(t *testing.T, args ...string) (smtpAddr, httpAddr string, out *lockedWriter) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	out = &lockedWriter{w: &bytes.Buffer{}}
	args = append([]string{"serve", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"}, args...)
	go func() { done <- run(ctx, args, strings.NewReader(""), out, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("serve did not stop")
		}
	})
	re := regexp.MustCompile(`# listening on (\S+) [\s\S]*# web page and API on http://(\S+)/`)
	var m []string
	require.Eventually(t, func() bool {
		out.mu.Lock()
		defer out.mu.Unlock()
		m = re.FindStringSubmatch(out.w.(*bytes.Buffer).String())
		return m != nil
	}, 5*time.Second, 10*time.Millisecond)
	return m[1], m[2], out
}

// sendOne sends a one-line message and returns the reply to RCPT or to
// the end of data.
func sendOne(t *testing.T, addr, to, subject string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := smtpwire.Dial(ctx, addr, nil)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Hello(ctx, "app.example.com"))
	require.NoError(t, c.Mail(ctx, "app@example.com", nil))
	if err := c.Rcpt(ctx, to, nil); err != nil {
		return c.LastReply().String()
	}
	w, err := c.Data(ctx)
	require.NoError(t, err)
	fmt.Fprintf(w, "Subject: %s\r\n\r\nbody\r\n", subject)
	w.Close()
	return c.LastReply().String()
}

func TestServeHTTP(t *testing.T) {
	smtpAddr, httpAddr, out := startServe(t, "--quiet", "--auth", "any", "--max-messages", "2",
		"--fault", "RCPT to=*@bounce.test 550 5.1.1 No such user")
	assert.Equal(t, "550 5.1.1 No such user", sendOne(t, smtpAddr, "x@bounce.test", "bounced"))
	for _, s := range []string{"one", "two", "three"} {
		assert.Contains(t, sendOne(t, smtpAddr, "user@example.com", s), "250 2.0.0 Ok: queued as ")
	}
	resp, err := http.Get("http://" + httpAddr + "/api/v1/messages?wait=5s&to=user@example.com")
	require.NoError(t, err)
	defer resp.Body.Close()
	var l struct {
		Total    int `json:"total"`
		Messages []struct {
			Subject string `json:"subject"`
		} `json:"messages"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&l))
	assert.Equal(t, 2, l.Total, "--max-messages drops the oldest")
	require.Len(t, l.Messages, 2)
	assert.Equal(t, "three", l.Messages[0].Subject)
	out.mu.Lock()
	printed := out.w.(*bytes.Buffer).String()
	out.mu.Unlock()
	assert.Contains(t, printed, "AUTH with any user and password (any)")
	assert.Contains(t, printed, "# fault: RCPT to=*@bounce.test 550 5.1.1 No such user\n")
	assert.NotContains(t, printed, "# message", "--quiet")
}

// The banner is in the log's language, like the messages it prints.
func TestServeBannerInChinese(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedWriter
	out.w = &bytes.Buffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--lang", "zh", "--auth", "demo",
			"--fault", "RCPT to=*@bounce.test 550 5.1.1 No such user"}, strings.NewReader(""), &out, io.Discard)
	}()
	var printed string
	require.Eventually(t, func() bool {
		out.mu.Lock()
		defer out.mu.Unlock()
		printed = out.w.(*bytes.Buffer).String()
		return strings.Contains(printed, "故障规则")
	}, 5*time.Second, 10*time.Millisecond)
	cancel()
	<-done
	assert.Regexp(t, `^# 正在 127\.0\.0\.1:\d+ 监听\(STARTTLS\);TLS 之后 AUTH,账号 demo@smtpsh\.demo,密码 demo-password;按 Ctrl-C 停止\n`, printed)
	assert.Contains(t, printed, "# 故障规则:RCPT to=*@bounce.test 550 5.1.1 No such user\n")
}

func TestServeHTTPAuth(t *testing.T) {
	t.Setenv("SMTPSH_HTTP_PASSWORD", "s3cret")
	_, httpAddr, _ := startServe(t, "--http-auth", "admin")
	resp, err := http.Get("http://" + httpAddr + "/api/v1/messages")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	req, _ := http.NewRequest("GET", "http://"+httpAddr+"/api/v1/messages", nil)
	req.SetBasicAuth("admin", "s3cret")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestServeUsage(t *testing.T) {
	t.Setenv("SMTPSH_HTTP_PASSWORD", "")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--fault", "NOPE 550"}, `unknown command "NOPE"`},
		{[]string{"--auth", "maybe"}, `--auth "maybe": use demo, any, required or off`},
		{[]string{"--max-messages", "0"}, "must be positive"},
		{[]string{"--http", "127.0.0.1:0", "--http-auth", "admin"}, "SMTPSH_HTTP_PASSWORD"},
	} {
		code, _, stderr := runCmd(t, "", append([]string{"serve", "--listen", "127.0.0.1:0"}, tc.args...)...)
		assert.Equal(t, repl.ExitUsage, code, "%q", tc.args)
		assert.Contains(t, stderr, tc.want, "%q", tc.args)
	}
}

func TestTestCommand(t *testing.T) {
	srv, err := smtptest.NewMailServer(nil)
	require.NoError(t, err)
	defer srv.Close()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		return p
	}
	good := write("good.txt", "# the built-in server\nS: 220 *\nC: EHLO me.test\nS: 250-*\nS: 250-PIPELINING\nS: 250-SIZE *\nS: 250-8BITMIME\nS: 250-BINARYMIME\nS: 250-CHUNKING\nS: 250-DSN\nS: 250-ENHANCEDSTATUSCODES\nS: 250-STARTTLS\nS: 250-SMTPUTF8\nS: 250 HELP\nC: MAIL FROM:<a@example.com>\nS: 250 2.1.0 Ok\nC: QUIT\nS: 221 *\n! close\n")
	code, stdout, stderr := runCmd(t, "", "test", good, srv.Addr())
	assert.Equal(t, repl.ExitOK, code, stdout+stderr)
	assert.Equal(t, "# "+good+": "+srv.Addr()+" followed the transcript (18 steps)\n", stdout)

	bad := write("bad.txt", "S: 220 *\nC: RCPT TO:<a@example.com>\nS: 250*\n")
	code, stdout, _ = runCmd(t, "", "test", bad, srv.Addr())
	assert.Equal(t, repl.ExitNegative, code)
	assert.Equal(t, "  S: 220 smtpsh.demo ESMTP smtpsh demo server\n  C: RCPT TO:<a@example.com>\n- S: 250*\n+ S: 503 5.5.1 Error: need MAIL command\n"+
		"# bad.txt:3: server sent \"503 5.5.1 Error: need MAIL command\", want \"250*\"\n", stdout)

	code, _, stderr = runCmd(t, "", "test", filepath.Join(dir, "missing.txt"), srv.Addr())
	assert.Equal(t, repl.ExitUsage, code)
	assert.Contains(t, stderr, "missing.txt")
	code, _, _ = runCmd(t, "", "test", good)
	assert.Equal(t, repl.ExitUsage, code)
	code, _, _ = runCmd(t, "", "test", good, "127.0.0.1:1")
	assert.Equal(t, repl.ExitConnect, code)
}

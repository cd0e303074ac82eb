package repl

import (
	"bytes"
	"context"
	"crypto/tls"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite failing golden files")

const transcripts = "../testdata/transcripts"

// fakeInput is a LineReader fed from a list. "<Ctrl-C>" stands for an
// interrupt. It records prompts and history.
type fakeInput struct {
	lines     []string
	passwords []string
	prompts   []string
	history   []string
}

func (f *fakeInput) ReadLine(prompt string) (string, error) {
	f.prompts = append(f.prompts, prompt)
	if len(f.lines) == 0 {
		return "", io.EOF
	}
	l := f.lines[0]
	f.lines = f.lines[1:]
	if l == "<Ctrl-C>" {
		return "", ErrInterrupt
	}
	return l, nil
}

func (f *fakeInput) ReadPassword(prompt string) (string, error) {
	f.prompts = append(f.prompts, prompt)
	if len(f.passwords) == 0 {
		return "", io.EOF
	}
	p := f.passwords[0]
	f.passwords = f.passwords[1:]
	return p, nil
}

func (f *fakeInput) AddHistory(line string) { f.history = append(f.history, line) }

// result is what one shell run produced.
type result struct {
	out    string
	status int
	in     *fakeInput
}

// runShell replays transcript file as the server and drives a shell with
// in against it. opts may adjust the shell options.
func runShell(t *testing.T, file string, in *fakeInput, opts func(*Options)) result {
	t.Helper()
	var res result
	smtptest.Replay(t, file, false, func(addr string, tc *tls.Config) error {
		var out bytes.Buffer
		o := Options{Addr: addr, Out: &out, Config: smtpwire.Config{TLSConfig: tc, LocalName: "client.example.com",
			Timeouts: smtpwire.Timeouts{Greeting: 5 * time.Second, Command: 5 * time.Second}}}
		if opts != nil {
			opts(&o)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		res.status = New(o).Run(ctx, in)
		res.out = out.String()
		res.in = in
		return nil
	})
	return res
}

var (
	portRE     = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	durationRE = regexp.MustCompile(`(in|用时|用時) [0-9.]+[µnm]?s\b`)
	daysRE     = regexp.MustCompile(`valid until \d{4}-\d\d-\d\d \(\d+ days left\)`)
)

// golden compares out, with ports and durations made stable, with
// testdata/NAME.golden; -update rewrites it.
func golden(t *testing.T, name, out string) {
	t.Helper()
	out = portRE.ReplaceAllString(out, "127.0.0.1:PORT")
	out = durationRE.ReplaceAllString(out, "$1 Xms")
	out = daysRE.ReplaceAllString(out, "valid until DATE (N days left)")
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./repl -update to create it")
	assert.Equal(t, string(want), out)
}

// seedInput is what a user types in the seed session: its C: lines.
func seedInput(t *testing.T) []string {
	s, err := smtptest.ParseFile(filepath.Join(transcripts, "seed-alimail-auth-login.txt"))
	require.NoError(t, err)
	var lines []string
	for _, st := range s.Steps {
		if st.Kind == smtptest.StepClient {
			lines = append(lines, st.Text)
		}
	}
	return lines
}

func TestScriptModeReproducesSeedSession(t *testing.T) {
	// The replay server checks every byte the shell writes against the
	// seed transcript: typing its C: lines must give its exchange exactly.
	in := &fakeInput{lines: seedInput(t)}
	res := runShell(t, filepath.Join(transcripts, "seed-alimail-auth-login.txt"), in, nil)
	assert.Equal(t, ExitOK, res.status)
	golden(t, "seed-script", res.out)
	// The output is itself a transcript the replayer accepts.
	_, err := smtptest.Parse("out", strings.NewReader(res.out))
	assert.NoError(t, err)
	assert.NotContains(t, res.out, "dGVzdA==", "the password never reaches the output")
	for _, h := range res.in.history {
		assert.NotContains(t, h, "dGVzdA==", "nor the history")
		assert.NotContains(t, h, "dGVzdEB0ZXN0LmNvbQ==")
		assert.NotEqual(t, "subject: test", h, "message lines stay out of history")
	}
	assert.Contains(t, res.in.history, "MAIL FROM: <test@test.com>")
}

func TestPromptFollowsTheSession(t *testing.T) {
	in := &fakeInput{lines: seedInput(t)}
	runShell(t, filepath.Join(transcripts, "seed-alimail-auth-login.txt"), in, nil)
	want := []string{
		"smtp EHLO> ",       // greeted
		"smtp AUTH> ",       // after EHLO: AUTH comes next on this server
		"smtp AUTH> ",       // 334: typing the user name
		"smtp AUTH> ",       // 334: typing the password
		"smtp[auth] MAIL> ", // authenticated
		"smtp[auth] RCPT> ",
		"smtp[auth] DATA> ",
		"data> ", "data> ", "data> ", "data> ", "data> ", "data> ",
		"smtp[auth] MAIL> ", // the message is sent
	}
	assert.Equal(t, want, in.prompts)
}

func TestAuthCommandNarratesAndHidesPassword(t *testing.T) {
	in := &fakeInput{
		lines:     []string{"EHLO client.example.com", "/auth login user@example.com", "QUIT"},
		passwords: []string{"hunter2"},
	}
	res := runShell(t, filepath.Join(transcripts, "auth-login.txt"), in, nil)
	assert.Equal(t, ExitOK, res.status)
	golden(t, "auth-login", res.out)
	assert.Contains(t, res.out, `# sending the user name: base64("user@example.com") = dXNlckBleGFtcGxlLmNvbQ==`)
	assert.Contains(t, res.out, "# sending the password: base64 of 7 characters, not shown")
	assert.NotContains(t, res.out, "hunter2")
	assert.NotContains(t, res.out, "aHVudGVyMg==")
	assert.Equal(t, []string{"Password: "}, in.prompts[2:3])
	assert.Equal(t, []string{"EHLO client.example.com", "/auth login user@example.com", "QUIT"}, in.history)
}

func TestStartTLSCommand(t *testing.T) {
	in := &fakeInput{lines: []string{"EHLO client.example.com", "/starttls", "/tls", "AUTH PLAIN AHVzZXJAZXhhbXBsZS5jb20Ac2VjcmV0", "QUIT"}}
	res := runShell(t, filepath.Join(transcripts, "starttls-reehlo.txt"), in, nil)
	assert.Equal(t, ExitOK, res.status)
	golden(t, "starttls", res.out)
	assert.Regexp(t, `S: 220 2.0.0 Ready to start TLS\n(#.*\n)*! tls\n(#.*\n)*C: EHLO client.example.com\n`, res.out,
		"the handshake follows the 220, and EHLO follows the handshake")
	assert.Contains(t, res.out, "verified: yes, for localhost")
	assert.Contains(t, res.out, "C: AUTH PLAIN [redacted]")
	assert.NotContains(t, strings.Join(in.history, "\n"), "AHVzZXJAZXhhbXBsZS5jb20Ac2VjcmV0", "an AUTH line with credentials stays out of history")
}

// The TLS summary is in the shell's language, like every "# " line.
func TestStartTLSSummaryInChinese(t *testing.T) {
	in := &fakeInput{lines: []string{"EHLO client.example.com", "/starttls", "AUTH PLAIN AHVzZXJAZXhhbXBsZS5jb20Ac2VjcmV0", "QUIT"}}
	res := runShell(t, filepath.Join(transcripts, "starttls-reehlo.txt"), in, func(o *Options) { o.Lang = explain.ZhHans })
	assert.Equal(t, ExitOK, res.status)
	assert.Regexp(t, `(?m)^# TLS 1\.[23],加密套件 TLS_`, res.out)
	assert.Contains(t, res.out, "\n# 证书:CN=localhost")
	assert.Contains(t, res.out, "\n#   验证:通过,名称为 localhost\n")
	assert.NotContains(t, res.out, "verified:")
}

func TestTypedStartTLSUpgradesToo(t *testing.T) {
	in := &fakeInput{lines: []string{"EHLO client.example.com", "STARTTLS", "EHLO client.example.com", "AUTH PLAIN AHVzZXJAZXhhbXBsZS5jb20Ac2VjcmV0", "QUIT"}}
	res := runShell(t, filepath.Join(transcripts, "starttls-reehlo.txt"), in, nil)
	assert.Equal(t, ExitOK, res.status)
	assert.Contains(t, res.out, "send EHLO again")
	assert.Contains(t, res.out, "TLS 1.3")
}

func TestStartTLSMode(t *testing.T) {
	// --tls starttls: the upgrade follows the user's first EHLO by itself.
	in := &fakeInput{lines: []string{"EHLO client.example.com", "AUTH PLAIN AHVzZXJAZXhhbXBsZS5jb20Ac2VjcmV0", "QUIT"}}
	res := runShell(t, filepath.Join(transcripts, "starttls-reehlo.txt"), in, func(o *Options) { o.StartTLS = true })
	assert.Equal(t, ExitOK, res.status)
	assert.Contains(t, res.out, "C: STARTTLS\nS: 220 2.0.0 Ready to start TLS\n")
}

func TestOutOfOrderWarnsExplainsAndGoesOn(t *testing.T) {
	in := &fakeInput{lines: []string{"RCPT TO:<someone@example.com>", "QUIT"}}
	res := runShell(t, "testdata/rcpt-before-mail.txt", in, nil)
	assert.Equal(t, ExitNegative, res.status, "a negative reply makes the exit status 1")
	golden(t, "rcpt-before-mail", res.out)
	assert.Contains(t, res.out, "# warning: ")
	assert.Contains(t, res.out, "S: 503 5.5.1 Error: need MAIL command")
}

func TestDataModeStuffsAndFile(t *testing.T) {
	body := filepath.Join("testdata", "body.txt")
	in := &fakeInput{lines: []string{"EHLO client.example.com", "MAIL FROM:<sender@example.com>", "RCPT TO:<user@example.com>", "DATA",
		"Subject: dots", "", ".hidden", "/file " + body, ".", "QUIT"}}
	res := runShell(t, "testdata/data-mode.txt", in, nil)
	assert.Equal(t, ExitOK, res.status)
	golden(t, "data-mode", res.out)
	assert.Contains(t, res.out, `# dot-stuffed: sent as "..hidden"`)
	assert.Contains(t, res.out, "bytes from "+body+" sent")
}

func TestCtrlCInDataCanClose(t *testing.T) {
	in := &fakeInput{lines: []string{"EHLO client.example.com", "MAIL FROM:<sender@example.com>", "RCPT TO:<user@example.com>", "DATA",
		"Subject: never sent", "<Ctrl-C>", "close"}}
	res := runShell(t, "testdata/data-abort.txt", in, nil)
	assert.Equal(t, ExitAborted, res.status)
	assert.Contains(t, res.out, "SMTP cannot cancel a message once DATA has begun")
	assert.Contains(t, res.out, "the message was not delivered")
}

func TestCtrlCInDataCanSend(t *testing.T) {
	in := &fakeInput{lines: []string{"EHLO client.example.com", "MAIL FROM:<sender@example.com>", "RCPT TO:<user@example.com>", "DATA",
		"Subject: dots", "", "<Ctrl-C>", "send", "QUIT"}}
	res := runShell(t, "testdata/data-send-early.txt", in, nil)
	assert.Equal(t, ExitOK, res.status)
}

func TestEOFSendsQuit(t *testing.T) {
	in := &fakeInput{lines: []string{"EHLO client.example.com"}}
	res := runShell(t, "testdata/eof-quit.txt", in, nil)
	assert.Equal(t, ExitOK, res.status)
	assert.Contains(t, res.out, "C: QUIT\nS: 221")
}

func TestRecordingReplays(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "session.txt")
	lines := []string{"EHLO client.example.com", "/auth login user@example.com", "QUIT"}
	in := &fakeInput{lines: append([]string(nil), lines...), passwords: []string{"hunter2"}}
	res := runShell(t, filepath.Join(transcripts, "auth-login.txt"), in, func(o *Options) { o.Record = rec })
	require.Equal(t, ExitOK, res.status)
	data, err := os.ReadFile(rec)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "hunter2")
	assert.NotContains(t, string(data), "aHVudGVyMg==")
	assert.Contains(t, string(data), "C: [redacted]")

	// The recording replays, unchanged, against the same input, with a
	// different password even: the placeholder matches any payload.
	in2 := &fakeInput{lines: append([]string(nil), lines...), passwords: []string{"another"}}
	res2 := runShell(t, rec, in2, nil)
	assert.Equal(t, ExitOK, res2.status)
}

func TestRecordCommandMidSession(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "mid.txt")
	in := &fakeInput{lines: []string{"EHLO client.example.com", "HELO client.example.com", "/record " + rec, "QUIT"}}
	res := runShell(t, filepath.Join(transcripts, "ehlo-rejected-helo.txt"), in, nil)
	assert.Equal(t, ExitNegative, res.status, "the 500 to EHLO counts")
	data, err := os.ReadFile(rec)
	require.NoError(t, err)
	s, err := smtptest.Parse("mid.txt", bytes.NewReader(data))
	require.NoError(t, err, "a recording is a valid transcript")
	assert.Contains(t, string(data), "S: 220 old.example.com", "it starts at the start of the session")
	assert.Contains(t, string(data), "C: QUIT")
	assert.NotEmpty(t, s.Steps)
}

func TestShellCommands(t *testing.T) {
	in := &fakeInput{lines: []string{"/help", "/help MAIL", "/help /auth", "/explain 535 5.7.8", "/b64 \\0user\\0secret",
		"/unb64 AHVzZXIAc2VjcmV0", "/status", "/nosuch", "QUIT"}}
	res := runShell(t, "testdata/shell-commands.txt", in, nil)
	golden(t, "shell-commands", res.out)
	assert.Contains(t, res.out, "# AHVzZXIAc2VjcmV0")
	assert.Contains(t, res.out, `# > /b64 [redacted]`, "the command line of /b64 is not echoed with its secret")
	assert.NotContains(t, in.history, "/b64 \\0user\\0secret")
	assert.Contains(t, in.history, "/help MAIL")
}

func TestCompletion(t *testing.T) {
	in := &fakeInput{lines: []string{"EHLO client.example.com"}}
	var sh *Shell
	smtptest.Replay(t, "testdata/eof-quit.txt", false, func(addr string, tc *tls.Config) error {
		sh = New(Options{Addr: addr, Config: smtpwire.Config{TLSConfig: tc, LocalName: "client.example.com"}})
		// Before EHLO the shell offers EHLO and HELO.
		cfg := sh.opts.Config
		cfg.Trace = sh.trace
		c, err := smtpwire.Dial(context.Background(), addr, &cfg)
		require.NoError(t, err)
		sh.c, sh.in = c, in
		assert.Contains(t, sh.Complete(""), "EHLO client.example.com")
		assert.Equal(t, []string{"/starttls", "/status", "/stop"}, sh.Complete("/st"))
		assert.Equal(t, []string{"/auth plain", "/auth login", "/auth cram-md5", "/auth scram-sha-256", "/auth scram-sha-1", "/auth xoauth2", "/auth oauthbearer", "/auth external", "/auth auto"}, sh.Complete("/auth "))
		assert.Equal(t, []string{"/help MAIL"}, sh.Complete("/help MA"))
		sh.handle(context.Background(), "EHLO client.example.com")
		assert.Contains(t, sh.Complete("M"), "MAIL FROM:<")
		assert.Empty(t, sh.Complete("RCPT"), "RCPT is not valid before MAIL")
		sh.handle(context.Background(), "QUIT")
		c.Close()
		return nil
	})
}

func TestInteractiveOutput(t *testing.T) {
	in := &fakeInput{lines: []string{"EHLO client.example.com", "AUTH LOGIN", "dXNlckBleGFtcGxlLmNvbQ==", "aHVudGVyMg==", "QUIT"}}
	res := runShell(t, filepath.Join(transcripts, "auth-login.txt"), in, func(o *Options) { o.Interactive, o.Color = true, true })
	assert.Equal(t, ExitOK, res.status)
	assert.NotContains(t, res.out, "C: EHLO client.example.com", "the terminal already shows what was typed")
	assert.Contains(t, res.out, colorServer+"S: 334 VXNlcm5hbWU6   # Username:"+colorReset, "the challenge decoded beside it")
	assert.Contains(t, res.out, colorNote+"# ")
	assert.NotContains(t, res.out, "aHVudGVyMg==")
	assert.NotContains(t, in.history, "aHVudGVyMg==", "a typed AUTH response is not history")
	assert.NotContains(t, in.history, "dXNlckBleGFtcGxlLmNvbQ==")

	plain := runShell(t, filepath.Join(transcripts, "auth-login.txt"), &fakeInput{lines: []string{"EHLO client.example.com", "AUTH LOGIN", "dXNlckBleGFtcGxlLmNvbQ==", "aHVudGVyMg==", "QUIT"}},
		func(o *Options) { o.Interactive = true })
	assert.NotContains(t, plain.out, "\x1b[", "no colour unless asked (NO_COLOR, or not a terminal)")
}

func TestBadInputLines(t *testing.T) {
	// A CR inside a line is refused before anything is written, and the
	// session goes on; the replay server sees only EHLO and QUIT.
	in := &fakeInput{lines: []string{"EHLO client.example.com\rRCPT TO:<victim@example.com>", "EHLO client.example.com"}}
	res := runShell(t, "testdata/eof-quit.txt", in, nil)
	assert.Equal(t, ExitOK, res.status)
	assert.Contains(t, res.out, "# error: the line holds a CR or LF in the middle")

	// A script line longer than the input cap ends the run with a usage
	// error instead of eating memory.
	var out bytes.Buffer
	huge := strings.NewReader("EHLO " + strings.Repeat("x", maxScriptLine+10) + "\n")
	smtptest.Replay(t, "testdata/greet-only.txt", false, func(addr string, tc *tls.Config) error {
		status := New(Options{Addr: addr, Out: &out}).Run(context.Background(), NewScriptReader(huge))
		assert.Equal(t, ExitUsage, status)
		return nil
	})
	assert.Contains(t, out.String(), "reading input: bufio.Scanner: token too long")
}

package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// The secret every hostile scenario logs in with; no output may hold it,
// its base64, or the base64 of a PLAIN response carrying it, in any case.
const (
	hostileUser     = "victim@example.com"
	hostilePassword = "Hostile-Pa55word"
)

// hostileSecrets are the forms of the secret looked for in every output.
func hostileSecrets() []string {
	return []string{
		hostilePassword,
		base64.StdEncoding.EncodeToString([]byte(hostilePassword)),
		base64.StdEncoding.EncodeToString([]byte("\x00" + hostileUser + "\x00" + hostilePassword)),
	}
}

// hostileTimeout is --timeout in the hostile runs: short, so that a silent
// server costs little, long enough for a TLS handshake under -race.
var hostileTimeout = 250 * time.Millisecond

// hostileMode is one way of driving smtpsh: send, check, or the shell's
// script mode.
type hostileMode string

const (
	modeSend  hostileMode = "send"
	modeCheck hostileMode = "check"
	modeShell hostileMode = "shell"
)

// hostileRun is what one run printed and returned.
type hostileRun struct {
	code           int
	stdout, stderr string
	record         string
}

// firstProblem is the first line that reports what went wrong: the shell's
// first "# error:" line, check's verdict, send's first error line.
func (r hostileRun) firstProblem(mode hostileMode) string {
	all := r.stderr + "\n" + r.stdout
	for _, l := range strings.Split(all, "\n") {
		switch {
		case mode == modeShell && len(l) > 7 && strings.HasPrefix(l, "S: ") && (l[3] == '4' || l[3] == '5') && l[6] == ' ':
			return l // the shell explains a negative reply rather than calling it an error
		case mode == modeCheck && strings.HasPrefix(l, "Verdict:"):
			return l
		case mode != modeCheck && (strings.HasPrefix(l, "# error: ") || strings.HasPrefix(l, "error: ") || strings.HasPrefix(l, "smtpsh")):
			return l
		}
	}
	return ""
}

// runHostile drives smtpsh against srv in mode with extra flags, and a
// shell script for the shell mode.
func runHostile(t *testing.T, mode hostileMode, addr string, tlsMode string, extra []string, script string) hostileRun {
	return runHostileCA(t, mode, addr, tlsMode, smtptest.CAPEM(), extra, script)
}

// runHostileCA is runHostile with the CA certificates to trust.
func runHostileCA(t *testing.T, mode hostileMode, addr string, tlsMode string, caPEM []byte, extra []string, script string) hostileRun {
	t.Helper()
	dir := hostileDir(t, caPEM)
	return hostileInvoke(dir, mode, addr, tlsMode, extra, script)
}

// hostileDir prepares a directory for one run: the CA file and the
// password file. It runs on the test goroutine.
func hostileDir(t *testing.T, caPEM []byte) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ca.pem"), caPEM, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "password"), []byte(hostilePassword+"\n"), 0o600))
	return dir
}

// hostileInvoke runs smtpsh once in dir (see hostileDir). It touches no
// testing.T and no environment, so runs can go side by side.
func hostileInvoke(dir string, mode hostileMode, addr string, tlsMode string, extra []string, script string) hostileRun {
	ca := filepath.Join(dir, "ca.pem")
	record := filepath.Join(dir, "record.txt")
	password := filepath.Join(dir, "password")
	common := []string{"--tls", tlsMode, "--ca", ca, "--servername", "localhost", "--timeout", hostileTimeout.String(), "--ehlo", "client.test"}
	var args []string
	var stdin string
	switch mode {
	case modeSend:
		args = append([]string{"send", "--server", addr, "--user", hostileUser, "--password-file", password, "--from", "a@example.com",
			"--to", "b@example.com", "--subject", "hi", "--body", "hello", "--record", record}, common...)
	case modeCheck:
		args = append([]string{"check", addr, "--user", hostileUser, "--password-file", password,
			"--from", "a@example.com", "--to", "b@example.com", "--record", record}, common...)
	case modeShell:
		args = append([]string{addr, "--record", record}, common...)
		stdin = script
	}
	args = append(args, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := run(ctx, args, strings.NewReader(stdin), &out, &errb)
	rec, _ := os.ReadFile(record)
	return hostileRun{code: code, stdout: out.String(), stderr: errb.String(), record: string(rec)}
}

// assertNoCredential fails when any output holds the secret.
func assertNoCredential(t *testing.T, r hostileRun) {
	t.Helper()
	for _, s := range hostileSecrets() {
		for what, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "record": r.record} {
			assert.NotContains(t, strings.ToLower(text), strings.ToLower(s), "%s holds the credential %q", what, s)
		}
	}
}

// noLeak notes the goroutines running now; the function it returns fails
// the test if others are still running when it is called (goleak retries
// for a while, so goroutines on their way out are waited for).
func noLeak(t *testing.T) func() {
	t.Helper()
	before := goleak.IgnoreCurrent()
	return func() {
		t.Helper()
		goleak.VerifyNone(t, before)
	}
}

var _ = assert.Equal

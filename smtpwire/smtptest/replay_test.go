package smtptest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a testing.TB that records what Replay reports instead of
// failing the real test, so that failures can be checked.
type recorder struct {
	testing.TB
	errors []string
	logs   []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// captureStdout replaces the package's stdout for the test.
func captureStdout(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	old := stdout
	stdout = &buf
	t.Cleanup(func() { stdout = old })
	return &buf
}

// tempCopy copies testdata/name into a temporary directory.
func tempCopy(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, src, 0o644))
	return path
}

func TestReplayPasses(t *testing.T) {
	Replay(t, "testdata/happy.txt", false, sendMail)
	Replay(t, "testdata/starttls.txt", false, startTLSSession)
}

func TestReplayReportsMismatch(t *testing.T) {
	path := tempCopy(t, "happy.txt")
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	rec := &recorder{TB: t}
	Replay(rec, path, false, func(addr string, _ *tls.Config) error {
		c, err := dialGreeted(addr)
		if err != nil {
			return err
		}
		defer c.close()
		return c.steps("EHLO other.example.test", "250")
	})
	require.NotEmpty(t, rec.errors)
	assert.Equal(t, `happy.txt:4: client sent "EHLO other.example.test", want "EHLO client.example.test"`, rec.errors[0])
	assert.Len(t, rec.errors, 2, "the client's own error is reported too: %q", rec.errors)

	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "without update the file is left alone")
}

func TestReplayReportsDriveError(t *testing.T) {
	rec := &recorder{TB: t}
	Replay(rec, "testdata/happy.txt", false, func(string, *tls.Config) error {
		return errors.New("boom")
	})
	require.Len(t, rec.errors, 2)
	assert.Contains(t, rec.errors[0], "happy.txt: no client connected before the client code returned")
	assert.Equal(t, "happy.txt: client: boom", rec.errors[1])
}

func TestReplayParseError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.txt")
	require.NoError(t, os.WriteFile(path, []byte("S: 220 hi\nC:QUIT\n"), 0o644))
	rec := &recorder{TB: t}
	called := false
	Replay(rec, path, false, func(string, *tls.Config) error {
		called = true
		return nil
	})
	assert.False(t, called)
	assert.Equal(t, []string{`bad.txt:2: missing space after "C:" in "C:QUIT"`}, rec.errors)
}

// updateClient speaks testdata/update.txt with two lines changed: EHLO
// new.example.test (line 5) and RSET instead of NOOP (line 11). stopAfter
// > 0 makes it hang up after that many commands.
func updateClient(stopAfter int) func(string, *tls.Config) error {
	return func(addr string, _ *tls.Config) error {
		c, err := dialGreeted(addr)
		if err != nil {
			return err
		}
		defer c.close()
		cmds := []string{
			"EHLO new.example.test", "250",
			"AUTH PLAIN AHVzZXIAcGFzcw==", "235",
			"RSET", "250",
			"QUIT", "221",
		}
		if stopAfter > 0 {
			cmds = cmds[:2*stopAfter]
		}
		return c.steps(cmds...)
	}
}

func TestReplayUpdate(t *testing.T) {
	out := captureStdout(t)
	path := tempCopy(t, "update.txt")
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	rec := &recorder{TB: t}
	Replay(rec, path, true, updateClient(0))
	assert.Empty(t, rec.errors, "update fixed every mismatch")

	after, err := os.ReadFile(path)
	require.NoError(t, err)
	want := strings.Replace(string(before), "C: EHLO old.example.test\n", "C: EHLO new.example.test\n", 1)
	want = strings.Replace(want, "C: NOOP\n", "C: RSET\n", 1)
	require.NotEqual(t, string(before), want)
	assert.Equal(t, want, string(after), "only the mismatched C: lines changed; comments and the redacted line kept")

	const diff = "update.txt:5: -C: EHLO old.example.test\n" +
		"update.txt:5: +C: EHLO new.example.test\n" +
		"update.txt:11: -C: NOOP\n" +
		"update.txt:11: +C: RSET\n"
	assert.Equal(t, []string{"updated " + path + ":\n" + diff}, rec.logs)
	assert.Equal(t, "updated "+path+":\n"+diff, out.String())

	// The rewritten file now passes without update.
	rec = &recorder{TB: t}
	Replay(rec, path, false, updateClient(0))
	assert.Empty(t, rec.errors)
}

func TestReplayUpdateUnfixable(t *testing.T) {
	captureStdout(t)
	path := tempCopy(t, "update.txt")
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	// The client changes EHLO, then hangs up after AUTH: the EHLO line is
	// fixed, the missing lines are not and still fail the test.
	rec := &recorder{TB: t}
	Replay(rec, path, true, updateClient(2))
	assert.Equal(t, []string{`update.txt:11: client closed the connection, want "NOOP"`}, rec.errors)

	after, err := os.ReadFile(path)
	require.NoError(t, err)
	want := strings.Replace(string(before), "C: EHLO old.example.test\n", "C: EHLO new.example.test\n", 1)
	assert.Equal(t, want, string(after))
}

func TestReplayUpdateBareLFNotWritten(t *testing.T) {
	captureStdout(t)
	path := tempCopy(t, "update.txt")
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	rec := &recorder{TB: t}
	Replay(rec, path, true, func(addr string, _ *tls.Config) error {
		c, err := dialGreeted(addr)
		if err != nil {
			return err
		}
		defer c.close()
		if err := c.raw("EHLO new.example.test\n"); err != nil {
			return err
		}
		if err := c.expect("250"); err != nil {
			return err
		}
		return c.steps("AUTH PLAIN AHVzZXIAcGFzcw==", "235", "NOOP", "250", "QUIT", "221")
	})
	require.Len(t, rec.errors, 1)
	assert.Contains(t, rec.errors[0], "update.txt:5: client sent \"EHLO new.example.test\\n\"")
	assert.Contains(t, rec.errors[0], "bare LF")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "a line a transcript cannot hold is not written")
}

func TestReplayUpdateLeavesPassingFileAlone(t *testing.T) {
	out := captureStdout(t)
	// Not in canonical form ("C: " and no final newline): a rewrite would
	// show.
	src := "S: 220 hi\nC: EHLO a\nS: 250 ok\nC: \nS: 250 empty\nC: QUIT\nS: 221 bye"
	path := filepath.Join(t.TempDir(), "pass.txt")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))

	rec := &recorder{TB: t}
	Replay(rec, path, true, func(addr string, _ *tls.Config) error {
		c, err := dialGreeted(addr)
		if err != nil {
			return err
		}
		defer c.close()
		return c.steps("EHLO a", "250", "", "250", "QUIT", "221")
	})
	assert.Empty(t, rec.errors)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, src, string(after))
	assert.Empty(t, out.String())
}

func TestLineDiff(t *testing.T) {
	assert.Equal(t, "", lineDiff("f", "a\nb\n", "a\nb\n"))
	assert.Equal(t, "f:2: -b\nf:2: +c\n", lineDiff("f", "a\nb\n", "a\nc\n"))
	assert.Equal(t, "f:2: +b\n", lineDiff("f", "a\n", "a\nb\n"))
}

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/repl"
)

// An empty password is refused where it comes from, before any
// connection: it is a variable left unfilled or the wrong file, and AUTH
// PLAIN cannot carry it.
func TestEmptyPasswordIsAnError(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, []byte("\n"), 0o600))
	spaces := filepath.Join(dir, "spaces")
	require.NoError(t, os.WriteFile(spaces, []byte("  \n"), 0o600))

	t.Run("file", func(t *testing.T) {
		_, err := (&passwordFlags{file: empty}).get("me", strings.NewReader(""), io.Discard)
		require.Error(t, err)
		assert.Equal(t, "--password-file "+empty+": the first line is empty", err.Error())
	})
	t.Run("spaces are a password", func(t *testing.T) {
		pw, err := (&passwordFlags{file: spaces}).get("me", strings.NewReader(""), io.Discard)
		require.NoError(t, err)
		assert.Equal(t, "  ", pw)
	})
	t.Run("environment", func(t *testing.T) {
		t.Setenv("SMTPSH_PASSWORD", "")
		_, err := (&passwordFlags{file: spaces}).get("me", strings.NewReader(""), io.Discard)
		require.Error(t, err)
		assert.Equal(t, "SMTPSH_PASSWORD is set but empty", err.Error())
	})
	t.Run("send stops before dialling", func(t *testing.T) {
		// Port 1 on loopback refuses: a dial would exit 3, not 2.
		code, stdout, stderr := runCmd(t, "", "send", "--server", "127.0.0.1:1", "--tls", "none", "--user", "me@example.test",
			"--password-file", empty, "--from", "me@example.test", "--to", "you@example.test", "--body", "x")
		assert.Equal(t, repl.ExitUsage, code, stdout+stderr)
		assert.Contains(t, stderr, "password for me@example.test: --password-file "+empty+": the first line is empty")
	})
	t.Run("check stops before dialling", func(t *testing.T) {
		t.Setenv("SMTPSH_PASSWORD", "")
		code, stdout, stderr := runCmd(t, "", "check", "127.0.0.1:1", "--user", "me@example.test")
		assert.Equal(t, repl.ExitUsage, code, stdout+stderr)
		assert.Contains(t, stderr, "SMTPSH_PASSWORD is set but empty")
	})

}

// check refuses a user name with a line break before asking for a
// password, as send does.
func TestCheckUserWithLineBreak(t *testing.T) {
	code, stdout, stderr := runCmd(t, "", "check", "127.0.0.1:1", "--user", "me@example.test\nx")
	assert.Equal(t, repl.ExitUsage, code, stdout+stderr)
	assert.Contains(t, stderr, `--user "me@example.test\nx": control characters are not allowed`)
}

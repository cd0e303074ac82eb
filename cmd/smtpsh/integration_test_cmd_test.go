//go:build integration

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/repl"
)

// smtpsh test plays a transcript with patterns against the real Postfix
// and passes; a transcript that expects the wrong reply fails with a diff.
func TestTestCommandAgainstPostfix(t *testing.T) {
	srv := itLoad(t)
	code, stdout, stderr := runCmd(t, "", "test", "testdata/test-postfix.txt", srv.PostfixSMTP,
		"--ca", srv.CAFile, "--servername", srv.ServerName)
	require.Equal(t, repl.ExitOK, code, stdout+stderr)
	assert.Contains(t, stdout, "followed the transcript")

	text, err := os.ReadFile("testdata/test-postfix.txt")
	require.NoError(t, err)
	wrong := strings.Replace(string(text), "S: 5?? 5.7.1 *Relay access denied", "S: 250 2.1.5 Ok", 1)
	p := filepath.Join(t.TempDir(), "wrong.txt")
	require.NoError(t, os.WriteFile(p, []byte(wrong), 0o600))
	code, stdout, _ = runCmd(t, "", "test", p, srv.PostfixSMTP, "--ca", srv.CAFile, "--servername", srv.ServerName)
	assert.Equal(t, repl.ExitNegative, code)
	assert.Contains(t, stdout, "- S: 250 2.1.5 Ok\n+ S: 554 5.7.1 <someone@elsewhere.invalid>: Relay access denied\n")
}

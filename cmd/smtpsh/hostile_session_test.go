package main

import (
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// check --record writes the wire session as a transcript, AUTH redacted.
func TestCheckRecord(t *testing.T) {
	h := &smtptest.Hostile{}
	require.NoError(t, h.Start())
	defer h.Close()
	r := runHostile(t, modeCheck, h.Addr(), "starttls", nil, "")
	assert.Equal(t, repl.ExitOK, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.record, "S: 220 hostile.test ESMTP\nC: EHLO client.test\n")
	assert.Contains(t, r.record, "\n! tls\n")
	assert.Contains(t, r.record, "C: AUTH PLAIN [redacted]\n")
	assertNoCredential(t, r)
	_, err := smtptest.Parse("record.txt", strings.NewReader(r.record))
	assert.NoError(t, err, "the recording is a valid transcript")
}


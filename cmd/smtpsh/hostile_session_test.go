package main

import (
	"strings"
	"testing"
	"time"

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

// The wait for the reply to the final "." is bounded by --timeout (or
// --data-timeout), not stretched to minutes.
func TestFinalReplyWaitHonoursTimeout(t *testing.T) {
	h := &smtptest.Hostile{Acts: map[string]smtptest.Act{"DOT": smtptest.Silent()}}
	require.NoError(t, h.Start())
	defer h.Close()
	for _, extra := range [][]string{{"--timeout", "1s"}, {"--data-timeout", "1s", "--timeout", "30s"}} {
		start := time.Now()
		r := runHostile(t, modeSend, h.Addr(), "starttls", extra, "")
		assert.Equal(t, repl.ExitProtocol, r.code, r.stdout+r.stderr)
		assert.Contains(t, r.stdout+r.stderr, "no reply within 1s")
		assert.Less(t, time.Since(start), 15*time.Second, "the run ended on the context's deadline, not on --timeout")
	}
}

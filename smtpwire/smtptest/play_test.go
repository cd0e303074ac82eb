package smtptest_test

import (
	"crypto/tls"
	"errors"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

func playAgainst(t *testing.T, addr, transcript string) ([]string, error) {
	t.Helper()
	script, err := smtptest.Parse("play.txt", strings.NewReader(transcript))
	require.NoError(t, err)
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	var lines []string
	err = script.Play(testCtx(t), conn, &smtptest.PlayOptions{
		TLSConfig: &tls.Config{RootCAs: smtptest.CertPool(), ServerName: "localhost"},
		Line:      func(s string) { lines = append(lines, s) },
	})
	return lines, err
}

func TestPlay(t *testing.T) {
	srv := newMailServer(t, nil)
	lines, err := playAgainst(t, srv.Addr(), `# patterns and exact lines
S: 220 smtpsh.demo ESMTP *
C: EHLO client.test
S: 250-smtpsh.demo Hello client.test
S: 250-PIPELINING
S: 250-*
S: 250-*
S: 250-*
S: 250-*
S: 250-*
S: 250-*
S: 250-STARTTLS
S: 250-SMTPUTF8
S: 250 HELP
C: STARTTLS
S: 220 *
! tls
C: EHLO client.test
S: 250-smtpsh.demo*
S: 250-*
S: 250-*
S: 250-*
S: 250-*
S: 250-*
S: 250-*
S: 250-*
S: 250-SMTPUTF8
S: 250 HELP
C: RCPT TO:<a@example.com>
S: 5?? *
C: QUIT
S: 221 2.0.0 Bye
! close
`)
	require.NoError(t, err)
	assert.Equal(t, "! tls (TLS 1.3)", lines[15])
	assert.Equal(t, "  S: 503 5.5.1 Error: need MAIL command", lines[len(lines)-4])
	assert.Equal(t, "! close", lines[len(lines)-1])
}

func TestPlayMismatch(t *testing.T) {
	srv := newMailServer(t, nil)
	lines, err := playAgainst(t, srv.Addr(), "S: 220 *\nC: NOOP\nS: 550 *\n")
	var me *smtptest.PlayMismatchError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, &smtptest.PlayMismatchError{File: "play.txt", Line: 3, Want: "550 *", Got: "250 2.0.0 Ok"}, me)
	assert.Equal(t, []string{"  S: 220 smtpsh.demo ESMTP smtpsh demo server", "  C: NOOP", "- S: 550 *", "+ S: 250 2.0.0 Ok"}, lines)

	// The server closes where the script wants a reply.
	_, err = playAgainst(t, srv.Addr(), "S: 220 *\nC: QUIT\nS: 221 *\nS: 250 more\n")
	require.ErrorAs(t, err, &me)
	assert.Equal(t, 4, me.Line)
	assert.True(t, errors.Is(err, os.ErrDeadlineExceeded) || strings.Contains(err.Error(), "EOF"), err.Error())

	_, err = playAgainst(t, srv.Addr(), "S: 220 *\nC: AUTH PLAIN [redacted]\n")
	assert.ErrorContains(t, err, "play.txt:2: C: line hides what to send behind [redacted]")
}

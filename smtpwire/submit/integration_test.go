//go:build integration

package submit_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest/realservers"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The engine against the real servers scripts/servers.sh starts (see
// testdata/servers/README.md): streams of messages delivered byte for
// byte, pipelined and in lockstep, with BDAT and with DATA, a refused
// recipient in the middle of a stream, DSN parameters that Postfix acts on.

func postfix(t *testing.T, s *realservers.Servers, o submit.Options) *submit.Session {
	t.Helper()
	o.Addr, o.TLS = s.Submission, submit.TLSRequired
	o.Config = smtpwire.Config{LocalName: "client.smtpsh.test", CAFile: s.CAFile,
		Timeouts: smtpwire.Timeouts{Command: 30 * time.Second, DataTerm: 60 * time.Second}}
	o.Auth = func(*smtpwire.Extensions, bool) (smtpwire.Mechanism, error) {
		return smtpwire.PlainAuth("", s.User, s.Password), nil
	}
	sess, err := submit.Dial(itCtx(t), o)
	require.NoError(t, err)
	return sess
}

func itCtx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return c
}

// streamBody is message i of a run: a unique header, lines that need
// dot-stuffing, 8-bit text and an empty line.
func streamBody(run string, i int) string {
	// Date and Message-ID given, so that Postfix adds none and the
	// delivered file ends with the message as sent.
	return fmt.Sprintf("From: <a@example.test>\r\nTo: <tester@example.test>\r\nSubject: stream %d\r\n"+
		"Date: Wed, 02 Dec 2026 00:00:00 +0000\r\nMessage-ID: <%s.%d@example.test>\r\n"+
		"X-Smtpsh-Run: %s-%d\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"line one of %d\r\n.a line with a dot\r\n..two dots\r\n\r\n中文 %d\r\n.\r\nend\r\n", i, run, i, run, i, i, i)
}

// delivered waits until want messages of run are in the Maildir and
// returns them by the number after the run ID, with LF line endings as
// Postfix's virtual delivery writes them.
func delivered(t *testing.T, dir, run string, want int) map[int]string {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	needle := "X-Smtpsh-Run: " + run + "-"
	for {
		got := map[int]string{}
		entries, _ := os.ReadDir(filepath.Join(dir, "new"))
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, "new", e.Name()))
			if err != nil {
				continue
			}
			s := string(b)
			i := strings.Index(s, needle)
			if i < 0 {
				continue
			}
			var n int
			fmt.Sscanf(s[i+len(needle):], "%d", &n)
			got[n] = s
		}
		if len(got) >= want {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d messages of run %s delivered to %s", len(got), want, run, dir)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestIntegrationStreamPostfix(t *testing.T) {
	s := realservers.Load(t)
	for _, tc := range []struct {
		name  string
		count int
		o     submit.Options
		trips float64 // round trips per message
	}{
		{"pipelined BDAT", 1000, submit.Options{}, 1},
		{"pipelined DATA", 300, submit.Options{Chunking: submit.Never}, 1},
		{"lockstep DATA", 100, submit.Options{Chunking: submit.Never, Pipelining: submit.Never}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := fmt.Sprintf("%d", time.Now().UnixNano())
			sess := postfix(t, s, tc.o)
			const refusedAt = 7
			sent := 0
			err := sess.SendAll(itCtx(t), func(yield func(*submit.Message) bool) {
				for i := range tc.count {
					to := rcpts(s.User)
					if i == refusedAt {
						to = rcpts(s.User, "outside@elsewhere.test")
					}
					if !yield(msg(t, s.User, streamBody(run, i), to...)) {
						return
					}
				}
			}, func(m *submit.Message, r *submit.Result, err error) bool {
				if !assert.NoError(t, err, "message %d", sent) {
					return false
				}
				if sent == refusedAt {
					require.Len(t, r.Recipients, 2)
					assert.NoError(t, r.Recipients[0].Err)
					var re *smtpwire.ReplyError
					if assert.ErrorAs(t, r.Recipients[1].Err, &re) {
						assert.Contains(t, re.Reply.String(), "never relays")
					}
				} else {
					assert.Equal(t, 1, r.Accepted())
				}
				assert.Regexp(t, `^250 2\.0\.0 Ok: .*queued as [0-9A-F]+$`, r.Reply.String())
				sent++
				return true
			})
			require.NoError(t, err)
			require.Equal(t, tc.count, sent)
			assert.InDelta(t, tc.trips*float64(tc.count), float64(sess.RoundTrips()), 2, "round trips")
			require.NoError(t, sess.Quit(itCtx(t)))

			got := delivered(t, s.Maildir, run, tc.count)
			for i := range tc.count {
				want := strings.ReplaceAll(streamBody(run, i), "\r\n", "\n")
				assert.True(t, strings.HasSuffix(got[i], "\n"+want), "message %d arrived byte for byte:\n%s", i, got[i])
			}
		})
	}
}

// DSN (RFC 3461): Postfix acts on NOTIFY=SUCCESS by sending the sender a
// delivery report that carries ENVID and ORCPT back.
func TestIntegrationDSNPostfix(t *testing.T) {
	s := realservers.Load(t)
	run := fmt.Sprintf("dsn%d", time.Now().UnixNano())
	sess := postfix(t, s, submit.Options{})
	defer sess.Quit(itCtx(t))
	m := msg(t, s.User, streamBody(run, 0), submit.Recipient{Addr: s.User, Notify: []string{"SUCCESS"}, ORcpt: s.User})
	m.Ret, m.EnvID = "HDRS", run
	_, err := sess.Send(itCtx(t), m)
	require.NoError(t, err)
	delivered(t, s.Maildir, run, 1)
	report := waitAnywhere(t, s.Maildir, "Original-Envelope-Id: "+run)
	assert.Contains(t, report, "Action: delivered")
	assert.Contains(t, report, "Original-Recipient: rfc822;"+s.User)
}

// aiosmtpd offers neither PIPELINING nor CHUNKING: lockstep DATA.
func TestIntegrationLockstepAiosmtpd(t *testing.T) {
	s := realservers.Load(t)
	sess, err := submit.Dial(itCtx(t), submit.Options{Addr: s.Aiosmtpd, TLS: submit.TLSRequired,
		Config: smtpwire.Config{LocalName: "client.smtpsh.test", CAFile: s.CAFile},
		Auth: func(*smtpwire.Extensions, bool) (smtpwire.Mechanism, error) {
			return smtpwire.LoginAuth(s.User, s.Password), nil
		}})
	require.NoError(t, err)
	defer sess.Quit(itCtx(t))
	run := fmt.Sprintf("aio%d", time.Now().UnixNano())
	r, err := sess.Send(itCtx(t), msg(t, s.User, streamBody(run, 0), rcpts("big@example.test")...))
	require.NoError(t, err)
	assert.False(t, r.Pipelined)
	assert.False(t, r.Chunked)
}

// waitAnywhere waits for a file in the Maildir holding needle anywhere
// (a delivery report has it in its delivery-status part) and returns it.
func waitAnywhere(t *testing.T, dir, needle string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		entries, _ := os.ReadDir(filepath.Join(dir, "new"))
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, "new", e.Name()))
			if err == nil && strings.Contains(string(b), needle) {
				return string(b)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message with %q in %s/new within a minute", needle, dir)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

//go:build integration

package smtpwire_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var record = flag.Bool("record", false, "rewrite testdata/transcripts/real-*.txt from the real servers")

// normalisers make a recording stable: what changes from run to run is
// replaced by a fixed value of the same shape; the rest is the server's
// own text.
var normalisers = []struct {
	re   *regexp.Regexp
	with string
	note string
}{
	{regexp.MustCompile(`(queued as )[0-9A-F]{6,}\b`), "${1}4B1A2C3D4E5", `the Postfix queue ID in "queued as" is fixed to 4B1A2C3D4E5`},
	{regexp.MustCompile(`(saved as )\d+-\d+\.eml\b`), "${1}000001-4242.eml", `the spool file name in "saved as" (counter and pid) is fixed to 000001-4242.eml`},
}

// TestRecordRealTranscripts drives each session of realSessions
// (real_transcript_test.go) against the real server, turns smtpwire's
// trace into a transcript and normalises it. With -record it writes
// testdata/transcripts/real-*.txt; without, it checks that the committed
// files still match what the servers say (comments aside):
//
//	scripts/servers.sh start
//	go test -tags integration -count=1 ./smtpwire/ -run TestRecordRealTranscripts -record
//	git diff testdata/transcripts
func TestRecordRealTranscripts(t *testing.T) {
	srv := loadServers(t)
	addrs := map[string]string{
		"postfix-submission": srv.Submission,
		"postfix-smtps":      srv.SMTPS,
		"aiosmtpd":           srv.Aiosmtpd,
		"smtp-sink":          srv.Sink,
	}
	for _, s := range realSessions {
		t.Run(s.file, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var steps []string
			inTLS := false
			cfg := &smtpwire.Config{
				// As in transcript_test.go's replay, so the client's lines match.
				LocalName:   "client.example.com",
				ImplicitTLS: s.implicit,
				CAFile:      srv.CAFile,
				Timeouts:    smtpwire.Timeouts{Greeting: 10 * time.Second, Command: 10 * time.Second},
				Trace: func(ev smtpwire.TraceEvent) {
					if ev.TLS && !inTLS {
						steps = append(steps, "! tls")
						inTLS = true
					}
					step := ev.Dir.String() + ": " + ev.Line
					if ev.Line == "" {
						step = ev.Dir.String() + ":" // the canonical empty line
					}
					steps = append(steps, step)
				},
			}
			c, err := smtpwire.Dial(ctx, addrs[s.server], cfg)
			require.NoError(t, err)
			defer c.Close()
			require.NoError(t, s.run(srv.User, srv.Password)(t, ctx, c))

			body := strings.Join(steps, "\n") + "\n"
			for _, n := range normalisers {
				body = n.re.ReplaceAllString(body, n.with)
			}
			require.NotContains(t, body, srv.Password, "the recording must hold no secret")
			require.NotContains(t, body, "\r")
			_, port, _ := net.SplitHostPort(addrs[s.server])
			require.NotContains(t, body, port, "no run-specific port in the recording")

			path := filepath.Join(transcripts, s.file)
			if *record {
				text := recordingHeader(srv, s, body) + body
				require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
				t.Logf("wrote %s", path)
				return
			}
			old, err := os.ReadFile(path)
			require.NoError(t, err, "no %s: record it with -record", path)
			assert.Equal(t, withoutComments(string(old)), body,
				"%s no longer matches the real server; if the change is expected, re-record:\n"+
					"go test -tags integration -count=1 ./smtpwire/ -run TestRecordRealTranscripts -record", path)
		})
	}
}

// withoutComments drops the # lines and blank lines of a transcript.
func withoutComments(s string) string {
	var b bytes.Buffer
	for _, l := range strings.Split(s, "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}

// recordingHeader says which server and version, how the file was
// recorded and what was normalised.
func recordingHeader(srv *realServers, s realSession, body string) string {
	what := map[string]string{
		"postfix-submission": fmt.Sprintf(`Postfix %s with Dovecot %s SASL, submission port:
STARTTLS required, AUTH offered only after TLS (smtpd_tls_auth_only) and
required to send. Session: EHLO, STARTTLS, EHLO again, AUTH PLAIN, one
short message, QUIT.`, srv.PostfixVersion, srv.DovecotVersion),
		"postfix-smtps": fmt.Sprintf(`Postfix %s with Dovecot %s SASL, implicit-TLS
port (smtpd_tls_wrappermode): TLS before the greeting, AUTH required to
send. Session: EHLO, AUTH LOGIN, one short message, QUIT.`, srv.PostfixVersion, srv.DovecotVersion),
		"aiosmtpd": fmt.Sprintf(`aiosmtpd %s (Debian's python3-aiosmtpd) running
testdata/servers/aiosmtpd/server.py: STARTTLS, AUTH only after TLS
(auth_require_tls) and required to send (auth_required). Session: EHLO,
STARTTLS, EHLO again, AUTH LOGIN, one short message, QUIT.`, srv.AiosmtpdVersion),
		"smtp-sink": fmt.Sprintf(`smtp-sink from Postfix %s, a discard server: no
STARTTLS; it announces AUTH and answers it with 250, not 235. Session: EHLO,
AUTH PLAIN in plain text (loopback), one short message, QUIT.`, srv.PostfixVersion),
	}[s.server]
	norm := []string{"Normalised: nothing (no queue ID, date or port in this session)."}
	for _, n := range normalisers {
		if n.re.MatchString(body) || strings.Contains(body, strings.TrimPrefix(n.with, "${1}")) {
			norm = append(norm[:0:0], "Normalised: "+n.note+".")
		}
	}
	text := "Recorded from a real server: " + what + `
Started on 127.0.0.1 by scripts/servers.sh (configuration in
testdata/servers/), recorded with smtpwire's Config.Trace by
TestRecordRealTranscripts (smtpwire/integration_record_test.go; run
scripts/record-transcripts.sh), replayed offline by
smtpwire/real_transcript_test.go through the same client calls. AUTH
payloads are [redacted] by the client; host names are the test instance's
own and the client's EHLO name is client.example.com, as in the replay.
` + strings.Join(norm, "\n")
	return "# " + strings.ReplaceAll(text, "\n", "\n# ") + "\n"
}

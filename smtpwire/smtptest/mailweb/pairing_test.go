package mailweb

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// lines turns "C: x" / "S: y" text into session lines.
func lines(text string) []smtptest.SessionLine {
	var out []smtptest.SessionLine
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		dir := smtpwire.Received
		if strings.HasPrefix(l, "C: ") {
			dir = smtpwire.Sent
		}
		out = append(out, smtptest.SessionLine{Dir: dir, Text: l[3:]})
	}
	return out
}

func TestReplyCommands(t *testing.T) {
	got := replyCommands(lines(`
S: 220 mx ESMTP
C: EHLO a
S: 250-mx
S: 250 PIPELINING
C: AUTH LOGIN
S: 334 VXNlcm5hbWU6
C: [redacted]
S: 334 UGFzc3dvcmQ6
C: [redacted]
S: 235 2.7.0 ok
C: MAIL FROM:<a@b>
C: RCPT TO:<c@d>
C: DATA
S: 250 2.1.0 Ok
S: 550 5.1.1 no
S: 354 go
C: MAIL FROM:<not@a.command>
C: .
S: 250 2.0.0 queued
C: MAIL FROM:<a@b>
C: RCPT TO:<c@d>
C: BDAT 5
C: RSET
C: BDAT 0 LAST
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
S: 250 2.0.0 5 octets
S: 250 2.0.0 queued
C: QUIT
S: 221 bye
`))
	assert.Equal(t, map[int]string{
		0: "", 3: "EHLO a", 5: "AUTH LOGIN", 7: "AUTH", 9: "AUTH",
		13: "MAIL FROM:<a@b>", 14: "RCPT TO:<c@d>", 15: "DATA", 18: ".",
		24: "MAIL FROM:<a@b>", 25: "RCPT TO:<c@d>", 26: "BDAT 5", 27: "BDAT 0 LAST",
		29: "QUIT",
	}, got)
}

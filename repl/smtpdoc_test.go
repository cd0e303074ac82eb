package repl

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// ehloExt builds the extensions of an EHLO reply from its lines after the
// greeting line, such as "STARTTLS" or "AUTH PLAIN LOGIN".
func ehloExt(t *testing.T, keywords ...string) *smtpwire.Extensions {
	t.Helper()
	lines := []string{"250-mx.example.com"}
	for _, k := range keywords {
		lines = append(lines, "250-"+k)
	}
	lines[len(lines)-1] = "250 " + lines[len(lines)-1][4:]
	r, err := smtpwire.ParseReply(lines)
	require.NoError(t, err)
	return smtpwire.ParseExtensions(r)
}

func TestLookupSMTP(t *testing.T) {
	tests := []struct {
		name string
		want string // "" when not found
	}{
		{"MAIL", "MAIL"},
		{"mail", "MAIL"},
		{"Rcpt", "RCPT"},
		{" starttls ", "STARTTLS"},
		{"ehlo", "EHLO"},
		{"bdat", "BDAT"}, // documented, though not offered for completion
		{"MAILX", ""},
		{"", ""},
		{"/help", ""},
	}
	for _, tt := range tests {
		c, ok := LookupSMTP(tt.name)
		if tt.want == "" {
			assert.False(t, ok, "LookupSMTP(%q)", tt.name)
			continue
		}
		if assert.True(t, ok, "LookupSMTP(%q)", tt.name) {
			assert.Equal(t, tt.want, c.Name)
		}
	}
}

func TestSMTPCommandsAreDocumented(t *testing.T) {
	var names []string
	bdat, _ := LookupSMTP("BDAT")
	for _, c := range append(slices.Clip(SMTPCommands), bdat) {
		names = append(names, c.Name)
		assert.Equal(t, strings.ToUpper(c.Name), c.Name)
		assert.True(t, strings.HasPrefix(c.Syntax, c.Name), "%s: Syntax %q starts with the name", c.Name, c.Syntax)
		assert.True(t, strings.HasPrefix(c.RFC, "RFC "), "%s: RFC %q", c.Name, c.RFC)
		for _, lang := range explain.Langs {
			summary, detail := c.Summary().Text(lang), c.Detail().Text(lang)
			assert.NotContains(t, summary, "!cmd", c.Name)
			assert.LessOrEqual(t, width(summary), 48, "%s: the /help table has 48 columns for Summary", c.Name)
			assert.NotContains(t, detail, "!cmd", c.Name)
			for _, l := range strings.Split(detail, "\n") {
				assert.LessOrEqual(t, width(l), 98, "%s in %s: Detail line %q", c.Name, lang, l)
			}
		}
		if c.Name != "BDAT" {
			assert.True(t, strings.HasPrefix(c.Insert, c.Name), "%s: Insert %q", c.Name, c.Insert)
		}
	}
	assert.Equal(t, []string{"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "VRFY", "EXPN",
		"HELP", "NOOP", "QUIT", "BDAT"}, names)

	mail, _ := LookupSMTP("MAIL")
	assert.Equal(t, "MAIL FROM:<", mail.Insert)
	assert.Contains(t, mail.Detail().Text(explain.En), "MAIL FROM:<you@example.com>")
	assert.Contains(t, mail.Detail().Text(explain.En), "Aliyun DirectMail")
	auth, _ := LookupSMTP("AUTH")
	assert.Contains(t, auth.Detail().Text(explain.En), "授权码")
	assert.Contains(t, auth.Detail().Text(explain.En), "the user must be the sender address")
	assert.Contains(t, auth.Detail().Text(explain.ZhHant), "授權碼")
}

func TestNextCommands(t *testing.T) {
	tail := []string{"RSET", "NOOP", "HELP", "QUIT"}
	with := func(first ...string) []string { return append(first, tail...) }
	submission := ehloExt(t, "PIPELINING", "SIZE 35882577", "STARTTLS", "AUTH PLAIN LOGIN", "8BITMIME")
	implicit := ehloExt(t, "8BITMIME", "AUTH=PLAIN LOGIN XALIOAUTH", "AUTH PLAIN LOGIN XALIOAUTH", "PIPELINING", "DSN")
	mx := ehloExt(t, "PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES")

	tests := []struct {
		name   string
		st     smtpwire.State
		tls    bool
		authed bool
		ext    *smtpwire.Extensions
		want   []string
	}{
		{"before the greeting", smtpwire.StateConnected, false, false, nil, with("EHLO", "HELO")},
		{"greeted", smtpwire.StateGreeted, false, false, nil, with("EHLO", "HELO")},
		{"port 587 before TLS: STARTTLS first", smtpwire.StateHello, false, false, submission,
			with("STARTTLS", "AUTH", "MAIL", "VRFY", "EXPN", "EHLO")},
		{"STARTTLS not offered again once TLS is up", smtpwire.StateHello, true, false, submission,
			with("AUTH", "MAIL", "VRFY", "EXPN", "EHLO")},
		{"port 465: AUTH first", smtpwire.StateHello, true, false, implicit,
			with("AUTH", "MAIL", "VRFY", "EXPN", "EHLO")},
		{"an MX: no STARTTLS, no AUTH", smtpwire.StateHello, false, false, mx,
			with("MAIL", "VRFY", "EXPN", "EHLO")},
		{"after HELO: nothing announced", smtpwire.StateHello, false, false, nil,
			with("MAIL", "VRFY", "EXPN", "EHLO")},
		{"after STARTTLS: EHLO again", smtpwire.StateTLS, true, false, nil, with("EHLO")},
		{"authenticated", smtpwire.StateAuthenticated, true, true, implicit,
			with("MAIL", "VRFY", "EXPN", "EHLO")},
		{"authenticated without TLS: no STARTTLS, no AUTH", smtpwire.StateAuthenticated, false, true, submission,
			with("MAIL", "VRFY", "EXPN", "EHLO")},
		{"after MAIL", smtpwire.StateMail, true, true, implicit, with("RCPT")},
		{"after RCPT: DATA may follow", smtpwire.StateRcpt, true, true, implicit, with("DATA", "RCPT")},
		{"DATA mode", smtpwire.StateData, true, true, implicit, nil},
		{"closed", smtpwire.StateClosed, true, true, implicit, nil},
		{"broken", smtpwire.StateBroken, false, false, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, NextCommands(tt.st, tt.tls, tt.authed, tt.ext))
		})
	}
}

func TestNextCommandsAreDocumented(t *testing.T) {
	ext := ehloExt(t, "STARTTLS", "AUTH PLAIN LOGIN")
	for st := smtpwire.StateConnected; st <= smtpwire.StateBroken; st++ {
		for _, name := range NextCommands(st, false, false, ext) {
			_, ok := LookupSMTP(name)
			assert.True(t, ok, "state %s offers %s, which has no documentation", st, name)
		}
	}
}

func TestWarn(t *testing.T) {
	submission := ehloExt(t, "SIZE 35882577", "STARTTLS", "AUTH PLAIN LOGIN", "8BITMIME", "ENHANCEDSTATUSCODES")
	afterTLS := ehloExt(t, "SIZE 35882577", "AUTH PLAIN LOGIN", "8BITMIME", "ENHANCEDSTATUSCODES")
	aliyun := ehloExt(t, "8BITMIME", "AUTH=PLAIN LOGIN XALIOAUTH", "AUTH PLAIN LOGIN XALIOAUTH", "PIPELINING", "DSN")
	mx := ehloExt(t, "PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES")
	const (
		greeted = smtpwire.StateGreeted
		hello   = smtpwire.StateHello
		authd   = smtpwire.StateAuthenticated
		mail    = smtpwire.StateMail
		rcpt    = smtpwire.StateRcpt
	)

	tests := []struct {
		line   string
		st     smtpwire.State
		tls    bool
		authed bool
		ext    *smtpwire.Extensions
		want   []string // phrases the warning holds; nil: no warning
	}{
		// In order: no warning.
		{"EHLO client.example.com", greeted, false, false, nil, nil},
		{"HELO client.example.com", greeted, false, false, nil, nil},
		{"STARTTLS", hello, false, false, submission, nil},
		{"AUTH LOGIN", hello, true, false, afterTLS, nil},
		{"auth plain", hello, true, false, afterTLS, nil},
		{"MAIL FROM:<me@example.com>", authd, true, true, afterTLS, nil},
		{"mail from:<me@example.com>", authd, true, true, afterTLS, nil},
		{"MAIL FROM:<> BODY=8BITMIME SIZE=1000", authd, true, true, afterTLS, nil},
		{"MAIL FROM:<me@example.com>", hello, false, false, mx, nil},
		{"MAIL FROM:<me@example.com> SIZE=10 SMTPUTF8", hello, false, false, nil, nil}, // after HELO nothing is known
		{"RCPT TO:<you@example.com>", mail, true, true, afterTLS, nil},
		{"RCPT TO:<you@example.com> NOTIFY=SUCCESS,FAILURE", rcpt, true, true, aliyun, nil},
		{"DATA", rcpt, true, true, afterTLS, nil},
		{"RSET", mail, true, true, afterTLS, nil},
		{"NOOP", greeted, false, false, nil, nil},
		{"HELP MAIL", hello, false, false, mx, nil},
		{"QUIT", rcpt, true, true, afterTLS, nil},
		{"VRFY postmaster", greeted, false, false, nil, nil},
		{"EHLO client.example.com", authd, true, true, afterTLS, nil},
		{"XCLIENT ADDR=192.0.2.1", hello, false, false, mx, nil},
		{"   ", hello, false, false, mx, nil},
		{"RCPT TO:<a@example.com>", smtpwire.StateData, true, true, afterTLS, nil}, // a message line, not a command

		// Out of order.
		{"RCPT TO:<you@example.com>", hello, false, false, mx,
			[]string{"RCPT before MAIL", "503 Bad sequence of commands", "RFC 5321 §4.1.4"}},
		{"RCPT TO:<you@example.com>", authd, true, true, afterTLS, []string{"RCPT before MAIL"}},
		{"RCPT TO:<you@example.com>", greeted, false, false, nil, []string{"RCPT before EHLO and MAIL", "503"}},
		{"AUTH LOGIN", greeted, true, false, nil, []string{"AUTH before EHLO", "503"}},
		{"AUTH LOGIN", smtpwire.StateTLS, true, false, nil, []string{"send EHLO again", "RFC 3207 §4.2"}},
		{"AUTH LOGIN", authd, true, true, afterTLS, []string{"already authenticated", "503", "RFC 4954 §4"}},
		{"AUTH LOGIN", mail, true, false, mx, []string{"during a mail transaction", "503", "RSET"}},
		{"DATA", mail, true, true, afterTLS, []string{"DATA before any accepted RCPT", "503", "554", "RFC 5321 §3.3"}},
		{"DATA", hello, false, false, mx, []string{"DATA without MAIL and RCPT", "503"}},
		{"DATA", greeted, false, false, nil, []string{"DATA without MAIL and RCPT"}},
		{"MAIL FROM:<me@example.com>", greeted, false, false, nil, []string{"MAIL before EHLO", "503"}},
		{"MAIL FROM:<me@example.com>", smtpwire.StateTLS, true, false, nil, []string{"after STARTTLS", "EHLO again"}},
		{"MAIL FROM:<me@example.com>", rcpt, true, true, afterTLS, []string{"already open", "503", "RSET"}},
		{"STARTTLS", hello, true, false, afterTLS, []string{"STARTTLS while TLS is already active", "503"}},
		{"STARTTLS", greeted, false, false, nil, []string{"STARTTLS before EHLO"}},
		{"STARTTLS", mail, false, false, submission, []string{"middle of a transaction", "503"}},
		{"STARTTLS", hello, false, false, mx, []string{"did not offer STARTTLS"}},
		{"STARTTLS", hello, false, false, nil, []string{"send EHLO"}},
		{"EHLO client.example.com", mail, true, true, afterTLS, []string{"drops the open transaction"}},

		// Credentials without TLS.
		{"AUTH LOGIN", hello, false, false, aliyun,
			[]string{"AUTH without TLS", "clear text", "base64 is not encryption"}},
		{"AUTH PLAIN AHVzZXIAc2VjcmV0", greeted, false, false, nil, []string{"clear text"}},

		// AUTH the server did not offer.
		{"AUTH CRAM-MD5", hello, true, false, afterTLS, []string{"offers AUTH PLAIN LOGIN, not CRAM-MD5", "504"}},
		{"AUTH LOGIN", hello, true, false, mx, []string{"did not offer AUTH"}},
		{"AUTH LOGIN", hello, true, false, nil, []string{"send EHLO"}},
		{"AUTH", hello, true, false, afterTLS, []string{"needs a mechanism", "501"}},

		// MAIL and RCPT syntax and parameters.
		{"MAIL FROM:me@example.com", authd, true, true, afterTLS, []string{"without <>", "MAIL FROM:<you@example.com>"}},
		{"MAIL FROM <me@example.com>", authd, true, true, afterTLS, []string{"MAIL needs a colon after FROM"}},
		{"MAIL TO:<me@example.com>", authd, true, true, afterTLS, []string{"MAIL needs FROM: and an address", "501"}},
		{"MAIL FROM:<me@example.com", authd, true, true, afterTLS, []string{"no closing >"}},
		{"MAIL FROM:", authd, true, true, afterTLS, []string{"needs an address"}},
		{"MAIL FROM: <me@example.com>", authd, true, true, aliyun, []string{"no space after the colon", "RFC 5321 §3.3"}},
		{"RCPT TO: <you@example.com>", mail, true, true, aliyun, []string{"no space after the colon"}},
		{"RCPT TO:you@example.com", mail, true, true, aliyun, []string{"RCPT address without <>", "RCPT TO:<them@example.com>"}},
		{"MAIL FROM:<me@example.com>", hello, true, false, afterTLS, []string{"MAIL before AUTH", "530"}},
		{"MAIL FROM:<me@example.com> SIZE=99999999", authd, true, true, afterTLS,
			[]string{"SIZE=99999999", "34.2 MiB", "552 5.3.4"}},
		{"MAIL FROM:<me@example.com> SMTPUTF8", authd, true, true, afterTLS, []string{"SMTPUTF8: the server did not offer SMTPUTF8", "555"}},
		{"MAIL FROM:<me@example.com> RET=HDRS", authd, true, true, afterTLS, []string{"RET: the server did not offer DSN", "555"}},
		{"MAIL FROM:<me@example.com> BODY=8BITMIME", authd, true, true, mx, nil},
		{"MAIL FROM:<me@example.com> BODY=BINARYMIME", authd, true, true, afterTLS, []string{"did not offer BINARYMIME"}},
		{"MAIL FROM:<me@example.com> BODY=7BIT", authd, true, true, ehloExt(t, "SIZE"), nil},
		{"MAIL FROM:<me@example.com> BODY=8BITMIME", authd, true, true, ehloExt(t, "SIZE"), []string{"did not offer 8BITMIME"}},
		{"MAIL FROM:<用户@example.com>", authd, true, true, afterTLS, []string{"not ASCII", "SMTPUTF8"}},
		{"RCPT TO:<you@example.com> NOTIFY=NEVER", mail, true, true, afterTLS, []string{"NOTIFY: the server did not offer DSN"}},

		// Other slips.
		{"EHLO", greeted, false, false, nil, []string{"needs your host name", "501"}},
		{"VRFY", hello, false, false, mx, []string{"needs an argument"}},
		{"QUIT now", hello, false, false, mx, []string{"no arguments"}},
		{"DATA please", rcpt, true, true, afterTLS, []string{"no arguments", "501"}},
		{"HELLO client.example.com", greeted, false, false, nil, []string{"did you mean HELO?"}},
		{"EHOL client.example.com", greeted, false, false, nil, []string{"did you mean EHLO?"}},
		{"RCTP TO:<a@example.com>", mail, false, false, mx, []string{"did you mean RCPT?"}},
		{"BDAT 100 LAST", rcpt, true, true, afterTLS, []string{"use DATA"}},
		{"NOOP " + strings.Repeat("x", 600), hello, false, false, mx, []string{"512", "§4.5.3.1.4"}},
		{"QUIT", smtpwire.StateClosed, false, false, nil, []string{"closed"}},
		{"EHLO client.example.com", smtpwire.StateConnected, false, false, nil, []string{"greeting"}},
	}
	for _, tt := range tests {
		got := Warn(tt.line, tt.st, tt.tls, tt.authed, tt.ext)
		if tt.want == nil {
			assert.Empty(t, got, "Warn(%q) in state %s", tt.line, tt.st)
			continue
		}
		for _, w := range tt.want {
			assert.Contains(t, got, w, "Warn(%q) in state %s", tt.line, tt.st)
		}
		// The shell prints it behind "# warning: ".
		assert.LessOrEqual(t, utf8.RuneCountInString(got), 88, "Warn(%q) is one short line", tt.line)
	}
}

func TestOneTypoApart(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"HELLO", "HELO", true},
		{"HELO", "HELLO", true},
		{"EHOL", "EHLO", true},
		{"MAIK", "MAIL", true},
		{"MAIL", "MAIL", false},
		{"MALI", "MAIL", true},
		{"LIAM", "MAIL", false},
		{"XCLIENT", "QUIT", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, oneTypoApart(tt.a, tt.b), "%s vs %s", tt.a, tt.b)
	}
}

package main

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// want is the outcome of one scenario in one mode: the exit status and a
// piece of the first line that reports a problem ("" when none may be
// reported: the run succeeded).
type want struct {
	code  int
	first string
}

// hostileCase is one misbehaving server, run against send, check and
// the shell's script mode.
type hostileCase struct {
	name  string
	acts  map[string]smtptest.Act
	setup func(h *smtptest.Hostile) // TLS configuration, implicit TLS...
	tls   string                    // --tls; default starttls
	ca    []byte                    // CA certificates for --ca; default the test CA
	extra []string                  // more flags, for every mode
	body  string                    // "big": a message of 8 MiB (send: --attach, shell: /file)

	send, check, shell want
}

// act is a one-step scenario.
func act(step string, a smtptest.Act) map[string]smtptest.Act {
	return map[string]smtptest.Act{step: a}
}

// hostileScript is the shell session: what a user would type.
const hostileScript = "EHLO client.test\n/auth login " + hostileUser + "\n" + hostilePassword + "\n" +
	"MAIL FROM:<a@example.com>\nRCPT TO:<b@example.com>\nDATA\nSubject: hi\n\nhello\n.\nQUIT\n"

const (
	slow      = 50 * time.Millisecond // a drip: one byte per slow, far past the timeout for a line
	endlessML = "250-and more"
)

func hostileCases() []hostileCase {
	expiredTLS, expiredPEM := hostileCert([]string{"localhost"}, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	otherTLS, otherPEM := hostileCert([]string{"other.example"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	selfTLS, _ := hostileCert([]string{"localhost"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	useTLS := func(c *tlsConfigHolder) func(h *smtptest.Hostile) { return func(h *smtptest.Hostile) { h.TLS = c.c } }
	return []hostileCase{
		// The greeting.
		{name: "greeting silent", send: want{5, "greeting: no reply within"}, check: want{5, "Verdict: banner (greeting) failed: the server accepted the connection bu"}, shell: want{5, "greeting: no reply within"}, acts: act("greeting", smtptest.Silent())},
		{name: "greeting close", send: want{5, "greeting: server closed the connection: EOF"}, check: want{5, "Verdict: banner (greeting) failed: the server closed the connection befo"}, shell: want{5, "greeting: server closed the connection: EOF"}, acts: act("greeting", smtptest.HangUp())},
		{name: "greeting reset", send: want{5, "greeting:"}, check: want{5, "Verdict: banner (greeting) failed: the server closed the connection befo"}, shell: want{5, "greeting:"}, acts: act("greeting", func(hc *smtptest.HostileConn, _ string) bool {
			time.Sleep(50 * time.Millisecond) // after the client's connect has returned
			hc.Raw("220 hostile")
			return hc.Reset()
		})},
		{name: "greeting 421", send: want{1, "the server said 421 4.3.2 too busy"}, check: want{5, "Verdict: banner (greeting) failed: the server is busy or limits connecti"}, shell: want{1, "S: 421 4.3.2 too busy"}, acts: act("greeting", smtptest.ReplyThenClose("421 4.3.2 too busy"))},
		{name: "greeting 554", send: want{1, "the server said 554 5.7.1 no service for you"}, check: want{5, "Verdict: banner (greeting) failed: the server refuses service to this cl"}, shell: want{1, "S: 554 5.7.1 no service for you"}, acts: act("greeting", smtptest.Reply("554 5.7.1 no service for you"))},
		{name: "greeting slow drip", send: want{5, "greeting: no reply within"}, check: want{5, "Verdict: banner (greeting) failed: the server accepted the connection bu"}, shell: want{5, "greeting: no reply within"}, acts: act("greeting", smtptest.DripReply("220 hostile.test ESMTP", slow))},
		{name: "greeting garbage", send: want{5, "protocol error: reply d"}, check: want{5, "Verdict: banner (greeting) failed: what answers on"}, shell: want{5, "protocol error: reply does not st"}, acts: act("greeting", smtptest.Reply("SSH-2.0-OpenSSH_9.2"))},
		{name: "greeting bad code", send: want{5, "protocol error: reply c"}, check: want{5, "Verdict: banner (greeting) failed: what answers on"}, shell: want{5, "protocol error: reply code follow"}, acts: act("greeting", smtptest.Reply("2200 hostile.test"))},
		{name: "greeting huge line", send: want{5, "protocol error: reply l"}, check: want{5, "Verdict: banner (greeting) failed: what answers on"}, shell: want{5, "protocol error: reply line longer"}, acts: act("greeting", smtptest.Reply("220 "+strings.Repeat("x", 100000)))},
		{name: "greeting endless continuation", send: want{5, "protocol error: reply l"}, check: want{5, "Verdict: banner (greeting) failed: what answers on"}, shell: want{5, "protocol error: reply longer than"}, acts: act("greeting", smtptest.Endless("220-and more"))},
		{name: "greeting reply ahead", send: want{5, "protocol error: the server sent a reply before"}, check: want{5, "Verdict: EHLO failed: the server sent a reply that is not SMTP."}, shell: want{5, "protocol error: the server sent a reply before the co"}, acts: act("greeting", smtptest.Reply("220 hostile.test ESMTP", "250 sent ahead of EHLO"))},
		{name: "greeting escapes", send: want{0, ""}, check: want{0, "Verdict: all checks passed."}, shell: want{0, ""}, acts: act("greeting", smtptest.Reply("220 hostile.test \x1b[6n\x1b]0;pwned\x07\u009b31m"))},

		// EHLO.
		{name: "EHLO silent", send: want{5, "EHLO: no reply within"}, check: want{5, "Verdict: EHLO failed: the server stopped answering."}, shell: want{5, "EHLO: no reply within"}, acts: act("EHLO", smtptest.Silent())},
		{name: "EHLO close", send: want{5, "EHLO: server closed the connection: EOF"}, check: want{5, "Verdict: EHLO failed: the server closed the connection."}, shell: want{5, "EHLO: server closed the connection: EOF"}, acts: act("EHLO", smtptest.HangUp())},
		{name: "EHLO reset", send: want{5, "EHLO:"}, check: want{5, "Verdict: EHLO failed: the server closed the connection."}, shell: want{5, "EHLO:"}, acts: act("EHLO", smtptest.ResetConn())},
		{name: "EHLO 421", send: want{1, "the server said 421 4.3.2 closing"}, check: want{5, "Verdict: EHLO failed: the server is closing the connection (421)."}, shell: want{1, "S: 421 4.3.2 closing"}, acts: act("EHLO", smtptest.ReplyThenClose("421 4.3.2 closing"))},
		{name: "EHLO 550", send: want{1, "the server said 550 5.7.1 go away"}, check: want{1, "Verdict: EHLO failed: the server refused EHLO (and HELO)."}, shell: want{1, "S: 550 5.7.1 go away"}, acts: act("EHLO", smtptest.Reply("550 5.7.1 go away"))},
		{name: "EHLO slow drip", send: want{5, "EHLO: no reply within"}, check: want{5, "Verdict: EHLO failed: the server stopped answering."}, shell: want{5, "EHLO: no reply within"}, acts: act("EHLO", smtptest.DripReply("250 hostile.test", slow))},
		{name: "EHLO endless continuation", send: want{5, "protocol error: reply longer th"}, check: want{5, "Verdict: EHLO failed: the server sent a reply that is not SMTP."}, shell: want{5, "protocol error: reply longer than 100"}, acts: act("EHLO", smtptest.Endless(endlessML))},
		{name: "EHLO duplicate reply", send: want{5, "protocol error: the server sent a reply bef"}, check: want{5, "Verdict: TLS failed: the server sent a reply that is not SMTP."}, shell: want{5, "protocol error: the server sent a reply before the co"}, acts: act("EHLO", smtptest.Reply("250-hostile.test", "250 STARTTLS", "250 again"))},
		{name: "EHLO bad code", send: want{5, "protocol error: reply does not"}, check: want{5, "Verdict: EHLO failed: the server sent a reply that is not SMTP."}, shell: want{5, "protocol error: reply does not start"}, acts: act("EHLO", smtptest.Reply("25O hostile.test"))},
		{name: "EHLO mixed codes", send: want{5, "protocol error: multi-line repl"}, check: want{5, "Verdict: EHLO failed: the server sent a reply that is not SMTP."}, shell: want{5, "protocol error: multi-line reply chan"}, acts: act("EHLO", smtptest.Reply("250-hostile.test", "220 STARTTLS"))},
		{name: "EHLO huge line", send: want{5, "protocol error: reply line long"}, check: want{5, "Verdict: EHLO failed: the server sent a reply that is not SMTP."}, shell: want{5, "protocol error: reply line longer tha"}, acts: act("EHLO", smtptest.Reply("250 "+strings.Repeat("y", 100000)))},
		{name: "EHLO bare LF", send: want{0, ""}, check: want{0, "Verdict: all checks passed."}, shell: want{0, ""}, acts: act("EHLO", func(hc *smtptest.HostileConn, _ string) bool {
			return hc.Raw("250-hostile.test\n250-STARTTLS\n250 AUTH PLAIN LOGIN\n")
		})},

		// STARTTLS.
		{name: "STARTTLS refused", send: want{4, "the server refused STARTTLS (454 4.7.0 TLS not available)"}, check: want{4, "Verdict: TLS failed: STARTTLS is unavailable for now."}, shell: want{4, "S: 454 4.7.0 TLS not available"}, acts: act("STARTTLS", smtptest.Reply("454 4.7.0 TLS not available"))},
		{name: "STARTTLS not offered", send: want{4, "--tls starttls: the server does not offer STARTTLS; refusing to"}, check: want{4, "Verdict: TLS failed: the server does not offer STARTTLS on"}, shell: want{4, "--tls starttls: the server does not offer STARTTLS; refusing to"}, setup: func(h *smtptest.Hostile) { h.NoSTARTTLS = true }},
		{name: "STARTTLS garbled", send: want{5, "protocol error: reply c"}, check: want{5, "Verdict: TLS failed: the server sent a reply that is not SMTP."}, shell: want{5, "protocol error: reply code follow"}, acts: act("STARTTLS", smtptest.Reply("220garbage"))},
		{name: "STARTTLS closed after 220", send: want{4, "TLS handshake with \"localhost\" failed: EOF"}, check: want{4, "Verdict: TLS failed: the TLS handshake failed."}, shell: want{4, "TLS handshake with \"localhost\" failed: EOF"}, acts: act("STARTTLS", smtptest.ReplyThenClose("220 go ahead"))},
		{name: "STARTTLS injected", send: want{4, "server sent 35 bytes after its STARTTLS reply and bef"}, check: want{4, "Verdict: TLS failed: bytes arrived between STARTTLS and the handshake: p"}, shell: want{4, "server sent 35 bytes after its STARTTLS reply and bef"}, acts: act("STARTTLS", smtptest.Reply("220 go ahead", "250 injected before the handshake"))},
		{name: "STARTTLS silent", send: want{5, "STARTTLS: no reply within"}, check: want{5, "Verdict: TLS failed: the server stopped answering."}, shell: want{5, "STARTTLS: no reply within"}, acts: act("STARTTLS", smtptest.Silent())},
		{name: "STARTTLS 220 then no handshake", send: want{4, "TLS handshake with \"localhost\" failed:"}, check: want{4, "Verdict: TLS failed: the server did not answer the TLS handshake."}, shell: want{4, "TLS handshake with \"localhost\" failed:"}, acts: act("STARTTLS", func(hc *smtptest.HostileConn, _ string) bool {
			hc.Say("220 go ahead")
			return hc.Silence()
		})},
		{name: "STARTTLS 220 then plain text", send: want{4, "TLS handshake with \"localhost\" failed: tls: first rec"}, check: want{4, "Verdict: TLS failed:"}, shell: want{4, "TLS handshake with \"localhost\" failed: tls: first rec"}, acts: act("STARTTLS", func(hc *smtptest.HostileConn, _ string) bool {
			hc.Say("220 go ahead")
			hc.ReadLine()
			return hc.Say("250 plain text where TLS should be")
		})},
		{name: "STARTTLS reset", send: want{5, "STARTTLS:"}, check: want{5, "Verdict: TLS failed: the server closed the connection."}, shell: want{5, "STARTTLS:"}, acts: act("STARTTLS", smtptest.ResetConn())},

		// Certificates.
		{name: "certificate self-signed", send: want{4, "TLS handshake with \"localhost\" failed: tls: failed to"}, check: want{4, "Verdict: TLS failed: the certificate is signed by an authority this mach"}, shell: want{4, "TLS handshake with \"localhost\" failed: tls: failed to"}, setup: useTLS(&tlsConfigHolder{selfTLS})},
		{name: "certificate expired", send: want{4, "TLS handshake with \"localhost\" failed: tls: failed to"}, check: want{4, "Verdict: TLS failed: the server's certificate has expired."}, shell: want{4, "TLS handshake with \"localhost\" failed: tls: failed to"}, setup: useTLS(&tlsConfigHolder{expiredTLS}), ca: expiredPEM},
		{name: "certificate wrong name", send: want{4, "TLS handshake with \"localhost\" failed: tls: failed to"}, check: want{4, "Verdict: TLS failed: the certificate is for another name than 127.0.0.1."}, shell: want{4, "TLS handshake with \"localhost\" failed: tls: failed to"}, setup: useTLS(&tlsConfigHolder{otherTLS}), ca: otherPEM},
		{name: "implicit TLS to a plain server", send: want{4, "TLS handshake with \"localhost\" failed: tls: first rec"}, check: want{4, "Verdict: TLS failed:"}, shell: want{4, "TLS handshake with \"localhost\" failed: tls: first rec"}, tls: "implicit"},
		{name: "implicit TLS self-signed", send: want{4, "TLS handshake with \"localhost\" failed: tls: failed to"}, check: want{4, "Verdict: TLS failed: the certificate is signed by an authority this mach"}, shell: want{4, "TLS handshake with \"localhost\" failed: tls: failed to"}, tls: "implicit", setup: func(h *smtptest.Hostile) { h.Implicit, h.TLS = true, selfTLS }},

		// AUTH.
		{name: "AUTH silent", send: want{5, "AUTH LOGIN: no reply within"}, check: want{5, "Verdict: AUTH (login) failed: the server stopped answering."}, shell: want{5, "AUTH LOGIN: no reply within"}, acts: act("AUTH", smtptest.Silent())},
		{name: "AUTH close", send: want{5, "AUTH LOGIN: server closed the connection: EOF"}, check: want{5, "Verdict: AUTH (login) failed: the server closed the connection."}, shell: want{5, "AUTH LOGIN: server closed the connection: EOF"}, acts: act("AUTH", smtptest.HangUp())},
		{name: "AUTH reset", send: want{5, "AUTH LOGIN: server closed the connection: EOF"}, check: want{5, "Verdict: AUTH (login) failed: the server closed the connection."}, shell: want{5, "AUTH LOGIN: server closed the connection: EOF"}, acts: act("AUTH", smtptest.ResetConn())},
		{name: "AUTH 421", send: want{7, "the server said 421 4.3.2 closing"}, check: want{5, "Verdict: AUTH (login) failed: the server is closing the connection (421)"}, shell: want{1, "S: 421 4.3.2 closing"}, acts: act("AUTH", smtptest.ReplyThenClose("421 4.3.2 closing"))},
		{name: "AUTH 535", send: want{7, "the server refused the login of victim@example.com with AUTH LO"}, check: want{7, "Verdict: AUTH (login) failed: the server rejected the user name or passw"}, shell: want{1, "S: 535 5.7.8 authentication failed"}, acts: act("AUTH", smtptest.Reply("535 5.7.8 authentication failed"))},
		{name: "AUTH endless password challenges", send: want{5, "protocol error: AUTH LOGIN cancelled (smtpwire:"}, check: want{5, "Verdict: AUTH (login) failed: the server sent a reply that is not SMTP."}, shell: want{5, "LOGIN"}, acts: act("AUTH", smtptest.Repeat("334 UGFzc3dvcmQ6"))},
		{name: "AUTH endless user challenges", send: want{5, "protocol error: AUTH LOGIN cancelled (smtpwire:"}, check: want{5, "Verdict: AUTH (login) failed: the server sent a reply that is not SMTP."}, shell: want{5, "LOGIN"}, acts: act("AUTH", smtptest.Repeat("334 VXNlcm5hbWU6"))},
		{name: "AUTH bad base64 challenge", send: want{5, "protocol error: AUTH LOGIN cancelled (smtpwire:"}, check: want{5, "Verdict: AUTH (login) failed: the server sent a reply that is not SMTP."}, shell: want{5, "334 c"}, acts: act("AUTH", smtptest.Repeat("334 !!not base64!!"))},
		{name: "AUTH endless continuation", send: want{5, "protocol error: reply lon"}, check: want{5, "Verdict: AUTH (login) failed: the server sent a reply that is not SMTP."}, shell: want{5, "protocol error: reply longer th"}, acts: act("AUTH", smtptest.Endless("535-no"))},
		{name: "AUTH echoes the secret", send: want{7, "the server refused the login of victim@example.com with AUTH LO"}, check: want{7, "Verdict: AUTH (login) failed: the server rejected the user name or passw"}, shell: want{1, "S: 535 5.7.8 bad credentials: [redacted] [redacted] [redacted] [redacted"}, acts: act("AUTH", hostileEcho)},
		{name: "AUTH LOGIN close after the password", send: want{5, "AUTH LOGIN password: server closed the connecti"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "AUTH LOGIN password: server closed the connection: EO"}, acts: act("AUTH LOGIN password", smtptest.HangUp())},
		{name: "AUTH LOGIN silent after the password", send: want{5, "AUTH LOGIN password: no reply within"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "AUTH LOGIN password: no reply within"}, acts: act("AUTH LOGIN password", smtptest.Silent())},
		{name: "AUTH LOGIN third challenge", send: want{5, "protocol error: AUTH LOGIN cancelled (the serve"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "LOGIN"}, acts: act("AUTH LOGIN password", smtptest.Repeat("334 UGFzc3dvcmQ6"))},
		{name: "AUTH reply ahead", send: want{5, "protocol error: the server sent a reply before"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server sent a reply t"}, shell: want{5, "protocol error: the server sent a reply before the co"}, acts: act("AUTH", smtptest.Reply("235 2.7.0 ok", "235 2.7.0 ok again"))},

		// MAIL.
		{name: "MAIL silent", send: want{5, "MAIL: no reply within"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server stopped answer"}, shell: want{5, "MAIL: no reply within"}, acts: act("MAIL", smtptest.Silent())},
		{name: "MAIL close", send: want{5, "MAIL: server closed the connection: EOF"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server closed the con"}, shell: want{5, "MAIL: server closed the connection: EOF"}, acts: act("MAIL", smtptest.HangUp())},
		{name: "MAIL reset", send: want{5, "MAIL: server closed the connection: EOF"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server closed the con"}, shell: want{5, "MAIL: server closed the connection: EOF"}, acts: act("MAIL", smtptest.ResetConn())},
		{name: "MAIL 421", send: want{8, "the server said 421 4.3.2 closing"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server is closing the"}, shell: want{1, "S: 421 4.3.2 closing"}, acts: act("MAIL", smtptest.ReplyThenClose("421 4.3.2 closing"))},
		{name: "MAIL 550", send: want{8, "the server said 550 5.7.1 sender ref"}, check: want{8, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the sender must be the ac"}, shell: want{1, "S: 550 5.7.1 sender refused"}, acts: act("MAIL", smtptest.Reply("550 5.7.1 sender refused"))},
		{name: "MAIL duplicate reply", send: want{5, "protocol error: the server sent a reply before"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server sent a reply t"}, shell: want{5, "protocol error: the server sent a reply before the co"}, acts: act("MAIL", smtptest.Reply("250 2.1.0 ok", "550 5.7.1 sender refused"))},
		{name: "MAIL refused, success sent ahead", send: want{5, "protocol error: the server sent a reply before"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server sent a reply t"}, shell: want{5, "protocol error: the server sent a reply before the co"}, acts: act("MAIL", smtptest.Reply("250 2.1.0 sent ahead", "550 5.7.1 sender refused"))},
		{name: "MAIL slow drip", send: want{5, "MAIL: no reply within"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server stopped answer"}, shell: want{5, "MAIL: no reply within"}, acts: act("MAIL", smtptest.DripReply("250 2.1.0 ok", slow))},
		{name: "MAIL escapes", send: want{8, "the server said 550 5.7.1 \\x1b]8;;ht"}, check: want{8, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the sender must be the ac"}, shell: want{1, "S: 550 5.7.1 \\x1b]8;;http://evil.example\\x1b\\click\\x1b]8;;\\x1b\\ \\x00"}, acts: act("MAIL", smtptest.Reply("550 5.7.1 \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ \x00"))},

		// RCPT.
		{name: "RCPT silent", send: want{5, "RCPT: no reply within"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server stopped answer"}, shell: want{5, "RCPT: no reply within"}, acts: act("RCPT", smtptest.Silent())},
		{name: "RCPT close", send: want{5, "RCPT: server closed the connection: EOF"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server closed the con"}, shell: want{5, "RCPT: server closed the connection: EOF"}, acts: act("RCPT", smtptest.HangUp())},
		{name: "RCPT 550", send: want{8, "every recipient was refused: b@example.com (550 5.1.1 no such u"}, check: want{8, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the recipient mailbox doe"}, shell: want{1, "S: 550 5.1.1 no such user"}, acts: act("RCPT", smtptest.Reply("550 5.1.1 no such user"))},
		{name: "RCPT 452", send: want{8, "every recipient was refused: b@example.com (452 4.5.3 too many"}, check: want{8, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server refused the en"}, shell: want{1, "S: 452 4.5.3 too many recipients"}, acts: act("RCPT", smtptest.Reply("452 4.5.3 too many recipients"))},
		{name: "RCPT refused, success sent ahead", send: want{5, "protocol error: the server sent a reply before"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server sent a reply t"}, shell: want{5, "protocol error: the server sent a reply before the co"}, acts: act("RCPT", smtptest.Reply("250 2.1.5 sent ahead", "550 5.1.1 no such user"))},
		{name: "RCPT late", send: want{5, "RCPT: no reply within"}, check: want{5, "Verdict: envelope (MAIL FROM, RCPT TO) failed: the server stopped answer"}, shell: want{5, "RCPT: no reply within"}, acts: act("RCPT", smtptest.Late(3*hostileTimeout, "250 2.1.5 ok"))},

		// DATA and the message.
		{name: "DATA silent", send: want{5, "DATA: no reply within"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "DATA: no reply within"}, acts: act("DATA", smtptest.Silent())},
		{name: "DATA close", send: want{5, "DATA: server closed the connection: EOF"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "DATA: server closed the connection: EOF"}, acts: act("DATA", smtptest.HangUp())},
		{name: "DATA 554", send: want{9, "the server said 554 5.5.1 no valid recipients"}, check: want{0, "Verdict: all checks passed."}, shell: want{1, "S: 554 5.5.1 no valid recipients"}, acts: act("DATA", smtptest.Reply("554 5.5.1 no valid recipients"))},
		{name: "DATA 250 instead of 354", send: want{9, "the server said 250 2.0.0 ok"}, check: want{0, "Verdict: all checks passed."}, shell: want{1, "S: 500 5.5.2 unknown command"}, acts: act("DATA", smtptest.Reply("250 2.0.0 ok"))},
		{name: "BODY verdict sent ahead", send: want{5, "protocol error: the server sent a reply befo"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "protocol error: the server sent a reply before the co"}, body: "big", extra: []string{"--timeout", "3s"}, acts: map[string]smtptest.Act{
			"BODY": smtptest.Reply("250 2.0.0 queued before the end"),
			"DOT":  smtptest.Reply("554 5.7.1 rejected after all"),
		}},
		// With the 8 MiB body, the runs that stream it keep both cores busy
		// under -race: every reply before it gets a longer time-out, as in
		// the case above (CI once saw MAIL's reply take over 250 ms).
		{name: "BODY server stops reading", send: want{5, "the server stopped reading the message"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "DATA: the server stopped reading the message: nothing"}, body: "big", extra: []string{"--timeout", "2s"}, acts: act("BODY", smtptest.StopReading())},
		{name: "BODY close", send: want{5, "end of DATA: server closed the connection: E"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "end of DATA: server closed the connection: EOF"}, acts: act("BODY", smtptest.HangUp())},
		{name: "BODY reset", send: want{5, "end of DATA: server closed the connection: E"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "end of DATA: server closed the connection: EOF"}, acts: act("BODY", smtptest.ResetConn())},

		// The final reply.
		{name: "DOT never", send: want{5, "end of DATA: no reply within"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "end of DATA: no reply within"}, acts: act("DOT", smtptest.Silent())},
		{name: "DOT late", send: want{5, "end of DATA: no reply within"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "end of DATA: no reply within"}, acts: act("DOT", smtptest.Late(3*hostileTimeout, "250 2.0.0 queued"))},
		{name: "DOT late but in time", send: want{0, ""}, check: want{0, "Verdict: all checks passed."}, shell: want{0, ""}, acts: act("DOT", smtptest.Late(hostileTimeout/5, "250 2.0.0 queued"))},
		{name: "DOT 554", send: want{9, "the server said 554 5.7.1 spam"}, check: want{0, "Verdict: all checks passed."}, shell: want{1, "S: 554 5.7.1 spam"}, acts: act("DOT", smtptest.Reply("554 5.7.1 spam"))},
		{name: "DOT close", send: want{5, "end of DATA: server closed the connection: E"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "end of DATA: server closed the connection: EOF"}, acts: act("DOT", smtptest.HangUp())},
		{name: "DOT duplicate reply", send: want{5, "protocol error: the server sent a reply before the co"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "protocol error: the server sent a reply before the co"}, acts: act("DOT", smtptest.Reply("250 2.0.0 queued", "250 2.0.0 queued again"))},
		{name: "DOT slow drip", send: want{5, "end of DATA: no reply within"}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "end of DATA: no reply within"}, acts: act("DOT", smtptest.DripReply("250 2.0.0 queued", slow))},

		// QUIT.
		{name: "QUIT silent", send: want{0, ""}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "QUIT: no reply within"}, acts: act("QUIT", smtptest.Silent())},
		{name: "QUIT close without 221", send: want{0, ""}, check: want{0, "Verdict: all checks passed."}, shell: want{5, "QUIT: server closed the connection: EOF"}, acts: act("QUIT", smtptest.HangUp())},
	}
}

// tlsConfigHolder lets a case name a certificate made once for the table.
type tlsConfigHolder struct{ c *tls.Config }

// hostileEcho answers AUTH with a 535 that repeats the secret, once the
// client has sent it, in every form a careless server might.
func hostileEcho(hc *smtptest.HostileConn, line string) bool {
	if len(strings.Fields(line)) == 2 { // LOGIN: ask for both first
		hc.Say("334 VXNlcm5hbWU6")
		hc.ReadLine()
		hc.Say("334 UGFzc3dvcmQ6")
		hc.ReadLine()
	}
	secrets := hostileSecrets()[:2] // the password, clear and in base64
	if f := strings.Fields(line); len(f) > 2 {
		secrets = append(secrets, f[2]) // PLAIN's response as sent
	}
	var forms []string
	for _, s := range secrets {
		forms = append(forms, s, strings.ToUpper(s), strings.ToLower(s))
	}
	return hc.Say("535 5.7.8 bad credentials: " + strings.Join(forms, " "))
}

// hostileBody writes a text file of about size bytes. 8 MiB fill the
// socket buffers of a server that stops reading, and make sure that a
// verdict the server sends at the first line is there before the client
// writes the final dot (with a small message, the dot may well leave
// first: the check is for replies already there).
func hostileBody(t *testing.T, size int) string {
	path := filepath.Join(t.TempDir(), fmt.Sprintf("body-%d.txt", size))
	line := strings.Repeat("a line of a big message ", 3) + "\n"
	require.NoError(t, os.WriteFile(path, []byte(strings.Repeat(line, size/len(line))), 0o600))
	return path
}

func TestHostileServers(t *testing.T) {
	cases := hostileCases()
	require.GreaterOrEqual(t, len(cases), 60)
	big := hostileBody(t, 8<<20)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer noLeak(t)()
			h := &smtptest.Hostile{Acts: tc.acts}
			if tc.setup != nil {
				tc.setup(h)
			}
			require.NoError(t, h.Start())
			tlsMode, ca := tc.tls, tc.ca
			if tlsMode == "" {
				tlsMode = "starttls"
			}
			if ca == nil {
				ca = smtptest.CAPEM()
			}
			// The three modes run side by side against the same server:
			// the table costs the slowest of them, not their sum.
			modes := []hostileMode{modeSend, modeCheck, modeShell}
			results := make([]hostileRun, len(modes))
			var wg sync.WaitGroup
			for i, mode := range modes {
				dir := hostileDir(t, ca)
				extra, script := tc.extra, hostileScript
				if mode == modeSend {
					extra = append([]string{"--auth", "login"}, extra...)
				}
				switch tc.body {
				case "big":
					script = strings.Replace(hostileScript, "hello\n", "hello\n/file "+big+"\n", 1)
					if mode == modeSend {
						extra = append(extra, "--attach", big)
					}
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					results[i] = hostileInvoke(dir, mode, h.Addr(), tlsMode, extra, script)
				}()
			}
			wg.Wait()
			h.Close()
			for i, mode := range modes {
				r := results[i]
				w := map[hostileMode]want{modeSend: tc.send, modeCheck: tc.check, modeShell: tc.shell}[mode]
				t.Run(string(mode), func(t *testing.T) {
					first := r.firstProblem(mode)
					assert.Equal(t, w.code, r.code, "exit status; first problem %q", first)
					if w.first == "" {
						assert.Empty(t, first, "no problem reported")
					} else {
						assert.Contains(t, first, w.first, "the first line that reports the problem")
					}
					if t.Failed() {
						t.Logf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
					}
					assertNoCredential(t, r)
					assertPrintable(t, "stdout", r.stdout)
					assertPrintable(t, "stderr", r.stderr)
				})
			}
		})
	}
}

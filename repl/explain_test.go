package repl

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// assertNoteLines checks that every line fits behind the shell's "# ".
func assertNoteLines(t *testing.T, lines []string, context string) {
	t.Helper()
	for _, l := range lines {
		assert.LessOrEqual(t, utf8.RuneCountInString(l), noteWidth, "%s: line %q is too long", context, l)
		assert.NotEmpty(t, strings.TrimSpace(l), "%s: empty line", context)
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		cmd   string
		reply []string
		want  []string // phrases the explanation holds, in any line
	}{
		// Positive replies.
		{"", []string{"220 smtp.aliyun-inc.com MX AliMail Server(127.0.0.1)"},
			[]string{"220: Service ready (RFC 5321 §4.2.3)", "EHLO"}},
		{"STARTTLS", []string{"220 2.0.0 Ready to start TLS"}, []string{"TLS handshake", "EHLO again"}},
		{"QUIT", []string{"221 2.0.0 Bye"}, []string{"221: Service closing", "closes the connection"}},
		{"AUTH", []string{"235 Authentication successful"}, []string{"235: Authentication successful", "logged in", "MAIL FROM"}},
		{"EHLO", []string{"250-smtp.gmail.com", "250-SIZE 35882577", "250-STARTTLS", "250 ENHANCEDSTATUSCODES"},
			[]string{"each line after the first names an extension", "Next: STARTTLS", "then EHLO again, then AUTH"}},
		{"EHLO", []string{"250-smtp.aliyun-inc.com", "250-8BITMIME", "250-AUTH=PLAIN LOGIN XALIOAUTH",
			"250-AUTH PLAIN LOGIN XALIOAUTH", "250-PIPELINING", "250 DSN"},
			[]string{"Next: AUTH LOGIN (offered: PLAIN LOGIN XALIOAUTH)"}},
		{"EHLO", []string{"250-mx.example.com", "250 PIPELINING"}, []string{"No AUTH offered", "(an MX)", "465 or 587"}},
		{"HELO", []string{"250 mx.example.com"}, []string{"no extension list", "Send EHLO"}},
		{"MAIL", []string{"250 Mail Ok"}, []string{"Sender accepted", "RCPT TO:<recipient>"}},
		{"mail from:<a@example.com>", []string{"250 2.1.0 Ok"}, []string{"Sender accepted"}},
		{"RCPT", []string{"250 2.1.5 Ok"}, []string{"Recipient accepted", "Send DATA next"}},
		{"DATA (end of message)", []string{"250 Data Ok: queued as freedom ###envid=148316944"},
			[]string{"message is accepted", "responsibility", "bounce"}},
		{".", []string{"250 2.0.0 Ok: queued as 4F1A2"}, []string{"message is accepted"}},
		{"RSET", []string{"250 2.0.0 Ok"}, []string{"Transaction cleared"}},
		{"NOOP", []string{"250 2.0.0 Ok"}, []string{"alive"}},
		{"RCPT", []string{"251 User not local; will forward to <x@example.org>"}, []string{"forward", "RFC 5321 §3.4"}},
		{"VRFY", []string{"252 2.0.0 Cannot VRFY user"}, []string{"will not say whether the mailbox exists", "RFC 5321 §7.3"}},
		{"HELP", []string{"214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA"}, []string{"214: Help message", "for humans"}},

		// AUTH challenges.
		{"AUTH", []string{"334 dXNlcm5hbWU6"}, []string{`asks "username:"`, "user name in base64", "/b64 TEXT", "/auth login USER"}},
		{"AUTH", []string{"334 UGFzc3dvcmQ6"}, []string{`asks "Password:"`, "授权码", "app password", "DirectMail"}},
		{"AUTH", []string{"334 "}, []string{"empty challenge", `\0user\0password`}},
		{"AUTH", []string{"334 eyJzdGF0dXMiOiI0MDAifQ=="}, []string{`OAuth2 error: {"status":"400"}`, "empty line"}},
		{"AUTH", []string{"334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZS5uZXQ+"},
			[]string{`"<1896.697170952@postoffice.example.net>"`}},
		{"AUTH", []string{"334 not base64!"}, []string{"not base64"}},
		{"DATA", []string{"354 End data with <CR><LF>.<CR><LF>"},
			[]string{"354: Start mail input", "headers, an empty line, the body", "single . ends it"}},

		// Transient failures.
		{"MAIL", []string{"421 4.7.0 mx.example.com Error: too many connections"},
			[]string{"closing the connection (RFC 5321 §3.8)", "Reconnect later"}},
		{"RCPT", []string{"450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted, try again in 300 seconds"},
			[]string{"Greylisting", "RFC 6647", "Send the same message again"}},
		{"RCPT", []string{"450 4.2.1 Mailbox busy"}, []string{"unavailable for now", "later"}},
		{"RCPT", []string{"451 4.7.1 Please try again later, rate limited"}, []string{"rate limiting", "wait"}},
		{".", []string{"451 4.3.0 Error: queue file write error"}, []string{"local error", "later"}},
		{"RCPT", []string{"452 4.5.3 Error: too many recipients"},
			[]string{"Too many recipients", "RFC 5321 §4.5.3.1.10", "new transaction"}},
		{"MAIL", []string{"452 4.3.1 Insufficient system storage"}, []string{"short of storage", "SIZE="}},
		{"STARTTLS", []string{"454 4.7.0 TLS not available due to local problem"}, []string{"TLS is not available", "465"}},
		{"AUTH", []string{"454 4.7.0 Temporary authentication failure"}, []string{"Temporary authentication failure", "RFC 4954 §6"}},

		// Syntax and sequence.
		{"EHLO", []string{"500 5.5.1 Command unrecognized: \"EHLO old.example.com\""}, []string{"does not know EHLO", "Use HELO"}},
		{"FOO", []string{"500 5.5.2 Error: command not recognized"}, []string{"did not understand", "512"}},
		{"MAIL", []string{"501 5.1.7 Bad sender address syntax"},
			[]string{"5.1.7: Permanent failure", "MAIL FROM:<you@example.com>", "no space after the colon"}},
		{"RCPT", []string{"501 5.1.3 Bad recipient address syntax"}, []string{"RCPT TO:<them@example.com>"}},
		{"AUTH", []string{"501 5.5.2 Cannot decode response"}, []string{"could not decode", "/b64 TEXT", "PLAIN takes one"}},
		{"EHLO", []string{"501 5.5.4 Syntax: EHLO hostname"}, []string{"address literal like [192.0.2.1]"}},
		{"STARTTLS", []string{"501 5.5.4 Syntax: STARTTLS"}, []string{"STARTTLS takes no arguments"}},
		{"VRFY", []string{"502 5.5.1 VRFY command is disabled"}, []string{"Turned off on purpose", "RFC 5321 §7.3"}},
		{"EXPN", []string{"502 5.5.1 EXPN not available"}, []string{"Turned off on purpose"}},
		{"STARTTLS", []string{"502 5.5.1 Command not implemented"}, []string{"No STARTTLS", "Port 465", "587"}},
		{"AUTH", []string{"502 5.5.1 Command not implemented"}, []string{"No AUTH here", "after STARTTLS"}},
		{"TURN", []string{"502 5.5.1 Command not implemented"}, []string{"does not implement this command (RFC 5321 §4.2.4)"}},
		{"RCPT", []string{"503 5.5.1 Error: need MAIL command"},
			[]string{"503: Bad sequence of commands", "RCPT needs an accepted MAIL FROM first", "Usual order: EHLO"}},
		{"DATA", []string{"503 5.5.1 Error: need RCPT command"}, []string{"at least one accepted RCPT TO"}},
		{"MAIL", []string{"503 Error: need EHLO and AUTH first !"}, []string{"MAIL needs EHLO first", "AUTH first"}},
		{"AUTH", []string{"503 5.5.1 Error: already authenticated"}, []string{"after a successful AUTH", "RFC 4954 §4"}},
		{"STARTTLS", []string{"503 5.5.1 Error: TLS already active"}, []string{"cannot repeat once TLS is up"}},
		{"AUTH", []string{"504 5.5.4 Unrecognized authentication type"}, []string{"does not support that AUTH mechanism", "LOGIN or PLAIN"}},
		{"MAIL", []string{"504 5.5.4 BODY=BINARYMIME not supported"}, []string{"not with this parameter"}},

		// Authentication.
		{"MAIL", []string{"530 5.7.0 Must issue a STARTTLS command first."},
			[]string{"5.7.0", "wants TLS first", "STARTTLS, EHLO again, then AUTH"}},
		{"MAIL", []string{"530 5.7.0 Authentication required"}, []string{"Authentication required", "AUTH first"}},
		{"MAIL", []string{"530 Access denied"}, []string{"STARTTLS (or AUTH) first"}},
		{"AUTH", []string{"534-5.7.9 Application-specific password required. Learn more at", "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor"},
			[]string{"too weak", "app password"}},
		{"AUTH", []string{"535 5.7.8 Error: authentication failed: authentication failure"},
			[]string{"535: Authentication credentials invalid", "5.7.8: Permanent failure", "user name or password is wrong",
				"授权码", "not the login password", "Gmail needs an app password", "Aliyun DirectMail",
				"the user must be the sender address", "echo"}},
		{"", []string{"535 Error: authentication failed"}, []string{"user name or password is wrong"}},
		{"AUTH", []string{"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."},
			[]string{"user name or password is wrong", "Microsoft 365", "OAuth2"}},
		{"AUTH", []string{"538 5.7.11 Encryption required for requested authentication mechanism"},
			[]string{"encrypted connection", "port 465"}},

		// Permanent failures.
		{"RCPT", []string{"550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table"},
			[]string{"5.1.1: Permanent failure", "Unknown recipient", "does not exist"}},
		{"RCPT", []string{"554 5.7.1 <x@example.org>: Relay access denied"}, []string{"Relaying denied", "AUTH first"}},
		{"RCPT", []string{"550 5.7.1 Unable to relay"}, []string{"Relaying denied"}},
		{"MAIL", []string{"501 mail from address must be same as authorization user"},
			[]string{"logged in as", "AUTH user name in MAIL FROM", "Aliyun DirectMail"}},
		{"MAIL", []string{"553 Mail from must equal authorized user"}, []string{"logged in as"}},
		{"MAIL", []string{"553 5.7.1 <a@example.org>: Sender address rejected: not owned by user b@example.com"},
			[]string{"logged in as"}},
		{"MAIL", []string{"553 5.1.8 Domain of sender address does not exist"}, []string{"address is not allowed"}},
		{"MAIL", []string{"550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org"},
			[]string{"IP address is refused", "blocklist"}},
		{"MAIL", []string{"550 Invalid sender"}, []string{"sender is refused", "verified in its console"}},
		{".", []string{"550 5.7.1 Message rejected as spam by Content Filtering."}, []string{"content filter"}},
		{".", []string{"554 DT:SPM 163 smtp14,EsCowAD3LEUV, please see http://mail.163.com/help/help_spam_16.htm?ip="},
			[]string{"DT:SPM", "Subject:", "From: equal to the sender"}},
		{"", []string{"554 5.7.1 blocked.example.com: Service unavailable; client host blocked"},
			[]string{"No SMTP service for you", "IP address", "Only QUIT is left"}},
		{"DATA", []string{"554 5.5.1 Error: no valid recipients"}, []string{"No valid recipients (RFC 5321 §3.3)"}},
		{"DATA (end of message)", []string{"554 5.7.1 Message refused"}, []string{"message is refused", "headers"}},
		{"DATA (end of message)", []string{"552 5.3.4 Message size exceeds fixed limit"},
			[]string{"5.3.4", "bigger than the server accepts", "SIZE", "RFC 1870"}},
		{"RCPT", []string{"552 Too many recipients"}, []string{"Too many recipients"}},
		{"RCPT", []string{"552 5.2.2 Mailbox full"}, []string{"mailbox is full"}},
		{"RCPT", []string{"551 User not local; please try <x@example.org>"}, []string{"names the right address"}},
		{"MAIL", []string{"555 5.5.4 Unsupported option: SMTPUTF8"}, []string{"does not support a MAIL or RCPT parameter", "§4.1.1.11"}},
		{"VRFY", []string{"550 5.1.1 unknown"}, []string{"5.1.1", "mailbox does not exist"}},

		// Codes no RFC names.
		{"AUTH", []string{"526 Authentication failure[0]"}, []string{"526: no RFC names this code", "permanent negative", "Permanent"}},
		{"NOOP", []string{"259 odd"}, []string{"259: no RFC names this code", "Success"}},
	}
	for _, tt := range tests {
		name := tt.cmd + " " + tt.reply[0]
		r, err := smtpwire.ParseReply(tt.reply)
		require.NoError(t, err, name)
		lines := Explain(tt.cmd, r)
		require.NotEmpty(t, lines, name)
		all := strings.Join(lines, " ") // a phrase may wrap
		for _, w := range tt.want {
			assert.Contains(t, all, w, name)
		}
		assertNoteLines(t, lines, name)
	}
}

func TestExplainFirstLinesAreTheMeaning(t *testing.T) {
	r, err := smtpwire.ParseReply([]string{"535 5.7.8 Error: authentication failed"})
	require.NoError(t, err)
	lines := Explain("AUTH", r)
	require.GreaterOrEqual(t, len(lines), 3)
	assert.Equal(t, "535: Authentication credentials invalid (RFC 4954 §6)", lines[0])
	assert.Equal(t, "5.7.8: Permanent failure: resending unchanged will fail again; Authentication credentials invalid", lines[1])

	assert.Nil(t, Explain("AUTH", nil))
}

func TestExplainShowsOnlyTellingEnhancedCodes(t *testing.T) {
	tests := []struct {
		reply string
		shown bool
	}{
		{"250 2.0.0 Ok", false},
		{"250 2.1.5 Ok", false},
		{"235 2.7.0 Authentication successful", false},
		{"250 2.1.10 Null MX", true}, // hypothetical, but RFC 3463 names x.1.10
		{"450 4.2.0 Greylisted", true},
		{"550 5.0.0 Rejected", true},
	}
	for _, tt := range tests {
		r, err := smtpwire.ParseReply([]string{tt.reply})
		require.NoError(t, err)
		all := strings.Join(Explain("RCPT", r), "\n")
		assert.Equal(t, tt.shown, strings.Contains(all, r.Enhanced.String()+": "), tt.reply)
	}
}

func TestExplainCode(t *testing.T) {
	tests := []struct {
		arg  string
		want []string
	}{
		{"535", []string{"535: Authentication credentials invalid (RFC 4954 §6)",
			"Digits: 5 = permanent negative, 3 = unspecified, 5 = detail", "授权码"}},
		{"5.7.8", []string{"5.7.8: Permanent failure", "Authentication credentials invalid",
			"Parts: 5 = permanent failure, 7 = security or policy status, 8 = detail (RFC 3463 §3.8)", "app password"}},
		{"535 5.7.8", []string{"535: Authentication credentials invalid", "5.7.8: Permanent failure", "授权码"}},
		{"535-5.7.8", []string{"535: Authentication", "5.7.8: Permanent"}},
		{" 5.7.8   535 ", []string{"535: Authentication", "5.7.8: Permanent"}},
		{"550 5.1.1", []string{"550: Mailbox unavailable", "Bad destination mailbox address", "1 = addressing status"}},
		{"5.1.1", []string{"mailbox does not exist"}},
		{"4.5.3", []string{"Too many recipients", "RFC 3463 §3.6"}},
		{"421", []string{"421: Service not available", "Reconnect later"}},
		{"554", []string{"554: Transaction failed", "greeting"}},
		{"530", []string{"STARTTLS (or AUTH) first"}},
		{"503", []string{"Usual order"}},
		{"450 5.7.8", []string{"disagree", "RFC 3463 §2"}},
		{"259", []string{"259: no RFC names this code", "positive completion, about mail system"}},
		{"5.9.9", []string{"5.9.9: Permanent failure", "9 = not defined", "(RFC 3463 §2)", "Permanent"}},
	}
	for _, tt := range tests {
		lines, err := ExplainCode(tt.arg)
		require.NoError(t, err, tt.arg)
		all := strings.Join(lines, " ")
		for _, w := range tt.want {
			assert.Contains(t, all, w, "ExplainCode(%q)", tt.arg)
		}
		assertNoteLines(t, lines, tt.arg)
	}

	bad := []struct{ arg, want string }{
		{"", "usage"},
		{"abc", `"abc" is neither a reply code`},
		{"999", "999 is not an SMTP reply code"},
		{"299", "not an SMTP reply code"},
		{"153", "not an SMTP reply code"},
		{"53", "neither"},
		{"5350", "neither"},
		{"3.1.1", "neither"},
		{"5.7", "neither"},
		{"535 536", "two reply codes"},
		{"5.7.8 5.1.1", "two enhanced status codes"},
		{"+53", "neither"},
	}
	for _, tt := range bad {
		lines, err := ExplainCode(tt.arg)
		if assert.Error(t, err, "ExplainCode(%q)", tt.arg) {
			assert.Contains(t, err.Error(), tt.want, "ExplainCode(%q)", tt.arg)
		}
		assert.Nil(t, lines)
	}
}

func TestExplainExtension(t *testing.T) {
	tests := []struct {
		keyword, params string
		want            []string
	}{
		{"SIZE", "35882577", []string{"SIZE: messages up to 34.2 MiB", "35882577 bytes", "RFC 1870", "base64"}},
		{"SIZE", "157286400", []string{"up to 150 MiB"}},
		{"SIZE", "10240000", []string{"up to 9.8 MiB"}},
		{"SIZE", "2048", []string{"up to 2 KiB"}},
		{"SIZE", "0", []string{"no fixed size limit"}},
		{"SIZE", "", []string{"no fixed size limit"}},
		{"SIZE", "lots", []string{`"lots"`, "not a number"}},
		{"AUTH", "PLAIN LOGIN XALIOAUTH", []string{"AUTH: log in with PLAIN LOGIN XALIOAUTH (RFC 4954)", "vendor-specific: XALIOAUTH"}},
		{"AUTH", "LOGIN PLAIN XOAUTH2", []string{"OAuth2 token: XOAUTH2"}},
		{"AUTH", "", []string{"no mechanism"}},
		{"AUTH=PLAIN", "LOGIN", []string{"AUTH=PLAIN LOGIN", "pre-standard", "Outlook"}},
		{"starttls", "", []string{"STARTTLS:", "TLS (RFC 3207)", "EHLO again"}},
		{"PIPELINING", "", []string{"PIPELINING:", "RFC 2920"}},
		{"8BITMIME", "", []string{"8BITMIME:", "BODY=8BITMIME", "RFC 6152"}},
		{"SMTPUTF8", "", []string{"SMTPUTF8:", "RFC 6531"}},
		{"DSN", "", []string{"DSN:", "NOTIFY=", "RET=", "RFC 3461"}},
		{"CHUNKING", "", []string{"CHUNKING:", "BDAT", "RFC 3030", "DATA"}},
		{"BINARYMIME", "", []string{"RFC 3030"}},
		{"ENHANCEDSTATUSCODES", "", []string{"ENHANCEDSTATUSCODES:", "5.7.8", "RFC 2034", "RFC 3463"}},
		{"HELP", "", []string{"HELP:", "RFC 5321 §4.1.1.8"}},
		{"VRFY", "", []string{"VRFY:", "RFC 5321 §3.5"}},
		{"ETRN", "", []string{"RFC 1985"}},
		{"REQUIRETLS", "", []string{"RFC 8689"}},
		{"LIMITS", "RCPTMAX=100 MAILMAX=1000", []string{"RFC 9422", "RCPTMAX=100 MAILMAX=1000"}},
		{"XALIOAUTH", "", []string{"XALIOAUTH:", "vendor-specific", "Aliyun"}},
		{"XCLIENT", "ADDR NAME", []string{"vendor-specific (Postfix)"}},
		{"X-LINK2STATE", "", []string{"vendor-specific (Microsoft Exchange)"}},
		{"XSHADOW", "", []string{"XSHADOW: vendor-specific", "RFC 5321 §4.1.5"}},
		{"FROBNICATE", "", []string{"FROBNICATE:", "does not know", "IANA"}},
	}
	for _, tt := range tests {
		got := ExplainExtension(explain.En, tt.keyword, tt.params)
		for _, w := range tt.want {
			assert.Contains(t, got, w, "ExplainExtension(%q, %q)", tt.keyword, tt.params)
		}
		assert.NotContains(t, got, "\n")
		assert.LessOrEqual(t, utf8.RuneCountInString(got), 100, "ExplainExtension(%q, %q)", tt.keyword, tt.params)
	}
}

func TestWrapNote(t *testing.T) {
	long := strings.Repeat("word ", 40)
	lines := wrapNote(long)
	require.Len(t, lines, 3)
	for _, l := range lines {
		assert.LessOrEqual(t, len(l), noteWidth)
		assert.Equal(t, strings.TrimSpace(l), l)
	}
	assert.Equal(t, strings.Fields(long), strings.Fields(strings.Join(lines, " ")), "no word is lost")
	assert.Equal(t, []string{"short"}, wrapNote("  short  "))
	assert.Nil(t, wrapNote(""))
}

func TestWrapNoteChinese(t *testing.T) {
	text := strings.Repeat("服务器拒绝了用户名或密码,", 12)
	lines := wrapNote(text)
	require.Greater(t, len(lines), 1)
	for _, l := range lines {
		assert.LessOrEqual(t, width(l), noteWidth, l)
	}
	assert.Equal(t, text, strings.Join(lines, ""), "no character is lost")
}

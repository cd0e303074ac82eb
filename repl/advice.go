// Advice: what to do about a reply, by command, code and enhanced code.

package repl

import (
	"fmt"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// adviceFor says what to do about a reply: advice for the code in the
// context of cmd first, else by the enhanced code, else by the class. r
// may be nil (ExplainCode), and code 0 when only an enhanced code is known.
func adviceFor(cmd string, code int, e smtpwire.EnhancedCode, r *smtpwire.Reply) []string {
	text := ""
	if r != nil {
		text = strings.ToLower(r.Message())
	}
	var a []string
	switch {
	case code >= 200 && code < 400:
		a = advicePositive(cmd, code, r)
	case code >= 400 && code < 500:
		a = adviceTransient(cmd, code, e.String(), text)
	case code >= 500:
		a = advicePermanent(cmd, code, e.String(), text)
	}
	if len(a) == 0 {
		a = adviceEnhanced(e)
	}
	if len(a) == 0 {
		a = adviceClass(code, e)
	}
	return a
}

func advicePositive(cmd string, code int, r *smtpwire.Reply) []string {
	switch code {
	case 211, 214:
		return []string{"Text for humans; what it says is up to the server (RFC 5321 §4.1.1.8)."}
	case 220:
		if cmd == "STARTTLS" {
			return []string{"The server is ready for the TLS handshake; after it, send EHLO again (RFC 3207 §4.2)."}
		}
		return []string{"The server is ready and waits for the client to speak first: EHLO (RFC 5321 §3.1)."}
	case 221:
		return []string{"The server says goodbye and closes the connection: the session is over (RFC 5321 §4.1.1.10)."}
	case 235:
		return []string{"You are logged in. Next: MAIL FROM:<sender>; QQ, 163 and Aliyun DirectMail accept " +
			"only the address you logged in as."}
	case 250:
		switch cmd {
		case "EHLO":
			return ehloAdvice(r)
		case "HELO":
			return []string{"HELO gives no extension list: no STARTTLS, no AUTH, no SIZE. Send EHLO if you need them."}
		case "MAIL":
			return []string{"Sender accepted: a transaction is open. Next: RCPT TO:<recipient>, once per recipient."}
		case "RCPT":
			return []string{"Recipient accepted. Send DATA next, or add more with RCPT TO:<...>."}
		case ".", "DATA":
			return []string{"The message is accepted: the server now takes responsibility for it (RFC 5321 §4.1.1.4).",
				"The text often holds a queue id. Delivery may still fail later: a bounce then goes to the sender."}
		case "RSET":
			return []string{"Transaction cleared; EHLO, TLS and AUTH still hold."}
		case "NOOP":
			return []string{"The server is alive and the session is in step."}
		case "VRFY", "EXPN":
			return []string{"The server answers with the mailbox, or the list members (RFC 5321 §3.5)."}
		}
		return []string{"Done: the server accepted the command."}
	case 251:
		return []string{"The user is not local; the server will forward the message to the address in its text (RFC 5321 §3.4)."}
	case 252:
		return []string{"The server will not say whether the mailbox exists (VRFY is usually off against address " +
			"harvesting, RFC 5321 §7.3), but it accepts mail for it."}
	case 334:
		return challengeAdvice(r)
	case 354:
		return []string{"Type the message: headers, an empty line, the body. A line with a single . ends it (RFC 5321 §4.1.1.4)."}
	}
	return nil
}

// ehloAdvice reads the extensions of a 250 reply to EHLO and names the
// next step.
func ehloAdvice(r *smtpwire.Reply) []string {
	a := []string{"The server accepted you; each line after the first names an extension it supports."}
	if r == nil {
		return a
	}
	ext := smtpwire.ParseExtensions(r)
	mechs := ext.AuthMechanisms()
	switch {
	case ext.StartTLS():
		return append(a, "Next: STARTTLS to encrypt the connection, then EHLO again, then AUTH.")
	case len(mechs) > 0:
		mech := mechs[0]
		for _, m := range []string{"PLAIN", "LOGIN"} {
			if ext.SupportsAuth(m) {
				mech = m
			}
		}
		return append(a, fmt.Sprintf("Next: AUTH %s (offered: %s), then MAIL FROM:<you>.", mech, strings.Join(mechs, " ")))
	}
	return append(a, "No AUTH offered: this server only takes mail for its own domains (an MX), "+
		"or offers AUTH on another port (465 or 587).")
}

// challengeAdvice decodes a 334 challenge and says what to answer.
func challengeAdvice(r *smtpwire.Reply) []string {
	how := "Encode your answer with /b64 TEXT, or let /auth login USER do it all; a line with a single * cancels (RFC 4954 §4)."
	if r == nil {
		return []string{"The server waits for the next base64 line of the AUTH exchange.", how}
	}
	b, err := r.Challenge()
	if err != nil {
		return []string{"The challenge is not base64: the server does not follow RFC 4954 §4.", how}
	}
	s := string(b)
	switch low := strings.ToLower(strings.TrimSpace(s)); {
	case strings.HasPrefix(low, "user"):
		return []string{fmt.Sprintf("The server asks %q: send your user name in base64, usually the full email address.", s), how}
	case strings.HasPrefix(low, "pass"):
		return []string{fmt.Sprintf("The server asks %q: send the password in base64: the authorization code "+
			"(授权码) for QQ/163/126, an app password for Gmail, the SMTP password for Aliyun DirectMail.", s), how}
	case low == "":
		return []string{"An empty challenge: send your initial response in base64; for PLAIN that is " +
			"base64 of \\0user\\0password (/b64 \\0user\\0password).", how}
	case strings.HasPrefix(low, "{"):
		return []string{fmt.Sprintf("The server sends an OAuth2 error: %s", s),
			"Send an empty line to get the final reply; then get a fresh access token."}
	case quotable(s):
		return []string{fmt.Sprintf("The server sends %q (decoded from base64): answer in base64 as your mechanism requires.", s), how}
	}
	return []string{fmt.Sprintf("The challenge is %d bytes of binary data: answer as your mechanism requires.", len(b)), how}
}

func adviceTransient(cmd string, code int, enh, text string) []string {
	if textHasAny(text, "greylist", "graylist", "grey-list", "gray-list") {
		return []string{"Greylisting: the server refuses a first attempt from an unknown sender on purpose (RFC 6647).",
			"Send the same message again after the delay it names (often 1 to 5 minutes); it will pass."}
	}
	switch code {
	case 421:
		return []string{"The server is closing the connection (RFC 5321 §3.8): it is overloaded, shutting down, " +
			"or limiting you (too many connections or messages, or too many errors).",
			"Reconnect later. If it happens on every connection, your IP may be rate-limited or on a blocklist."}
	case 432:
		return []string{"The server wants a password change before SMTP login works again (RFC 4954 §6): " +
			"do it in the provider's web interface."}
	case 450:
		return []string{"The mailbox is unavailable for now: busy, or refused by a temporary policy such as " +
			"greylisting or rate limiting. Try the same again later (RFC 5321 §4.2.1)."}
	case 451:
		if strings.HasPrefix(enh, "4.7.") {
			return []string{"A temporary policy refusal, often rate limiting or greylisting: wait, then send again."}
		}
		return []string{"The server hit a local error: not your fault. Send again later; 4yz means the same " +
			"command may succeed (RFC 5321 §4.2.1)."}
	case 452:
		if enh == "4.5.3" || textHasAny(text, "too many recipients", "too many rcpt") {
			return tooManyRecipients()
		}
		if cmd == "MAIL" {
			return []string{"The server is short of storage now, or the SIZE= you declared is too big for now (RFC 1870): retry later."}
		}
		return []string{"The server is short of storage now (RFC 5321 §4.2.3): retry later."}
	case 454:
		if cmd == "STARTTLS" || textHasAny(text, "tls") {
			return []string{"TLS is not available now (RFC 3207 §4). Retry later, or use port 465 (TLS from the " +
				"first byte); do not send a password without TLS."}
		}
		return []string{"Temporary authentication failure (RFC 4954 §6): the server's login service failed, or it " +
			"slows you down after failed logins. Wait a few minutes, then try again."}
	case 455:
		return []string{"The server cannot take a MAIL or RCPT parameter right now (RFC 5321 §4.1.1.11): " +
			"retry later, or send without it."}
	}
	return nil
}

func tooManyRecipients() []string {
	return []string{"Too many recipients for one message (RFC 5321 §4.5.3.1.10): send DATA for the recipients " +
		"already accepted, then the rest in a new transaction."}
}

func advicePermanent(cmd string, code int, enh, text string) []string {
	if senderMismatch(text) {
		return []string{"The sender must be the account you logged in as: use the AUTH user name in MAIL FROM " +
			"(QQ, 163, 126 and Aliyun DirectMail all require it), and the same address in the From: header."}
	}
	switch {
	case code >= 500 && code <= 504:
		return adviceSyntax(cmd, code, enh, text)
	case code >= 530 && code <= 538:
		return adviceAuth(code, enh, text)
	}
	switch code {
	case 550:
		return advice550(cmd, enh, text)
	case 551:
		return []string{"The user is not local: the server names the right address in its text; send there " +
			"instead (RFC 5321 §3.4)."}
	case 552:
		switch {
		case enh == "5.2.2" || textHasAny(text, "quota", "mailbox full", "mailbox is full"):
			return []string{"The recipient's mailbox is full: nothing to fix on your side; they must make room."}
		case cmd == "RCPT" || textHasAny(text, "too many recipients"):
			return tooManyRecipients()
		}
		return []string{"The message is bigger than the server accepts (RFC 1870): see SIZE in its EHLO " +
			"reply. Base64 makes attachments about 37% bigger than the files."}
	case 553:
		if cmd == "RCPT" {
			return []string{"The recipient address is refused: check its syntax (RCPT TO:<them@example.com>), " +
				"or log in first if the server will not relay for you."}
		}
		return []string{"The address is not allowed: check the syntax (MAIL FROM:<you@example.com>), and that you " +
			"may send as it: most providers only accept the address you logged in as."}
	case 554:
		return advice554(cmd, text)
	case 555:
		return []string{"The server does not support a MAIL or RCPT parameter you sent (SIZE=, BODY=, SMTPUTF8, " +
			"NOTIFY=, ...): drop it or check EHLO's list (RFC 5321 §4.1.1.11)."}
	}
	return nil
}

// senderMismatch recognises "the sender is not the authenticated user"
// replies: QQ's 501 "mail from address must be same as authorization
// user", 163's 553 "Mail from must equal authorized user", Postfix's
// "not owned by user", Microsoft's SendAsDenied.
func senderMismatch(text string) bool {
	if textHasAny(text, "not owned by", "sendasdenied", "not allowed to send as") {
		return true
	}
	return strings.Contains(text, "auth") && textHasAny(text, "sender", "mail from", "from address") &&
		textHasAny(text, "equal", "same", "match")
}

func adviceSyntax(cmd string, code int, enh, text string) []string {
	order := "Usual order: EHLO, STARTTLS, EHLO, AUTH, MAIL FROM, RCPT TO, DATA, QUIT (RFC 5321 §4.1.4)."
	switch code {
	case 500:
		switch {
		case cmd == "EHLO":
			return []string{"This server does not know EHLO: an old server without extensions. Use HELO " +
				"(RFC 5321 §3.2); there will be no STARTTLS and no AUTH."}
		case enh == "5.5.6" || cmd == "AUTH" && strings.Contains(text, "too long"):
			return []string{"The AUTH line is too long for the server (RFC 4954 §4): send AUTH <mechanism> alone " +
				"and the response after the 334."}
		}
		return []string{"The server did not understand the command: check the spelling, and keep lines under 512 " +
			"octets (RFC 5321 §4.5.3.1.4). Command names may be in any case."}
	case 501:
		switch cmd {
		case "MAIL":
			return []string{"Syntax error in the sender: write MAIL FROM:<you@example.com>, with <> and no space " +
				"after the colon (RFC 5321 §3.3)."}
		case "RCPT":
			return []string{"Syntax error in the recipient: write RCPT TO:<them@example.com>, with <> and no space " +
				"after the colon (RFC 5321 §3.3)."}
		case "AUTH":
			return []string{"The server could not decode your AUTH data, or you cancelled with * (RFC 4954 §4).",
				"Encode with /b64 TEXT: LOGIN takes the user and the password as two base64 lines; PLAIN takes " +
					"one, base64 of \\0user\\0password."}
		case "EHLO", "HELO":
			return []string{"Give a domain name, or an address literal like [192.0.2.1] (RFC 5321 §4.1.3); some " +
				"servers refuse names that are not fully qualified, like localhost."}
		case "STARTTLS":
			return []string{"STARTTLS takes no arguments (RFC 3207 §4)."}
		case "DATA", "RSET", "QUIT":
			return []string{cmd + " takes no arguments (RFC 5321 §4.1.1)."}
		}
		return []string{"The command is known but its arguments are malformed: /help COMMAND shows the syntax."}
	case 502:
		switch cmd {
		case "EHLO":
			return []string{"This server does not implement EHLO: use HELO (RFC 5321 §3.2); there will be no " +
				"STARTTLS and no AUTH."}
		case "STARTTLS":
			return []string{"No STARTTLS on this server or port. Port 465 speaks TLS from the first byte " +
				"(RFC 8314 §3.3); port 587 usually offers STARTTLS."}
		case "AUTH":
			return []string{"No AUTH here: check the AUTH line of the EHLO reply. Many servers offer AUTH only " +
				"after STARTTLS, or only on ports 465 and 587, not 25."}
		case "VRFY", "EXPN":
			return []string{"Turned off on purpose, as on most public servers (RFC 5321 §7.3): not a sign of trouble."}
		}
		return []string{"The server does not implement this command (RFC 5321 §4.2.4)."}
	case 503:
		switch cmd {
		case "RCPT":
			return []string{"RCPT needs an accepted MAIL FROM first (RFC 5321 §3.3).", order}
		case "DATA":
			return []string{"DATA needs at least one accepted RCPT TO first (RFC 5321 §3.3).", order}
		case "MAIL":
			return []string{"MAIL needs EHLO first, cannot repeat inside an open transaction (RSET ends it), and " +
				"many servers want AUTH first: QQ says \"need EHLO and AUTH first\".", order}
		case "AUTH":
			return []string{"AUTH is refused after a successful AUTH, inside a transaction (RFC 4954 §4), and " +
				"before EHLO; after STARTTLS, send EHLO again first.", order}
		case "STARTTLS":
			return []string{"STARTTLS needs EHLO first, and cannot repeat once TLS is up (RFC 3207 §4.2).", order}
		}
		return []string{"The command came out of order.", order}
	case 504:
		if cmd == "AUTH" {
			return []string{"The server does not support that AUTH mechanism (RFC 4954 §4): pick one from the " +
				"AUTH line of its EHLO reply, usually LOGIN or PLAIN."}
		}
		return []string{"The command exists, but not with this parameter (RFC 5321 §4.2.1)."}
	}
	return nil
}

func adviceAuth(code int, enh, text string) []string {
	switch code {
	case 530:
		switch {
		case textHasAny(text, "starttls", "tls"):
			return []string{"The server wants TLS first (RFC 3207 §4): STARTTLS, EHLO again, then AUTH; or " +
				"connect to port 465, TLS from the first byte."}
		case textHasAny(text, "auth"):
			return []string{"Authentication required (RFC 4954 §6): AUTH first, then MAIL FROM."}
		}
		return []string{"The server wants STARTTLS (or AUTH) first: STARTTLS and EHLO again if it offers it, " +
			"then AUTH, then MAIL FROM (RFC 3207 §4, RFC 4954 §6)."}
	case 534:
		return []string{"The server refuses this mechanism or this kind of password as too weak (RFC 4954 §6).",
			"Gmail says 534 5.7.9 \"Application-specific password required\": create an app password " +
				"(needs 2-Step Verification); 5.7.14 asks you to sign in once in a web browser."}
	case 535:
		return authFailure(enh, text)
	case 538:
		return []string{"This mechanism needs an encrypted connection (RFC 4954 §6): STARTTLS and EHLO first, " +
			"or connect to port 465."}
	}
	return nil
}

// authFailure is the advice for 535 and 5.7.8: wrong credentials.
func authFailure(enh, text string) []string {
	a := []string{
		"The user name or password is wrong (RFC 4954 §6); the user name is usually the full address.",
		"QQ, 163, 126 and similar: not the login password but the authorization code (授权码) " +
			"generated in the mailbox settings.",
		"Gmail needs an app password (2-Step Verification on); iCloud an app-specific password; SendGrid " +
			"the user name apikey with an API key as the password.",
		"Aliyun DirectMail: the SMTP password set in its console, and the user must be the sender address.",
		"Check the base64 too: /b64 TEXT encodes exactly TEXT; `echo` without -n adds a newline to it.",
	}
	if enh == "5.7.139" || textHasAny(text, "smtpclientauthentication", "basic authentication is disabled") {
		a = append(a, "Microsoft 365 / Outlook: SMTP AUTH is turned off for this mailbox or tenant: an admin "+
			"must enable it, or the client must use OAuth2 (XOAUTH2).")
	}
	return a
}

func advice550(cmd, enh, text string) []string {
	listed := textHasAny(text, "blocklist", "blacklist", "block list", "spamhaus", "spamcop", "dnsbl")
	switch cmd {
	case "RCPT":
		switch {
		case enh == "5.1.1" || textHasAny(text, "unknown", "no such", "does not exist", "not exist",
			"not found", "invalid recipient", "mailbox unavailable"):
			return []string{"Unknown recipient: that mailbox does not exist. Check the spelling of the address; " +
				"resending will not help (5yz is permanent)."}
		case strings.Contains(text, "relay"):
			return relayDenied()
		case listed || textHasAny(text, "blocked", "reputation"):
			return ipBlocked()
		case strings.HasPrefix(enh, "5.7."):
			return relayDenied()
		}
	case "MAIL":
		if listed || textHasAny(text, "blocked", "reputation") {
			return ipBlocked()
		}
		return []string{"The sender is refused: log in first, use the address you logged in as, and with " +
			"Aliyun DirectMail use a sender address set up and verified in its console."}
	case ".", "DATA":
		if listed {
			return ipBlocked()
		}
		return []string{"The message is refused by policy or a content filter: spam score, SPF/DKIM/DMARC " +
			"failure, or a From: header that is not the sender."}
	case "":
		return ipBlocked()
	}
	if listed {
		return ipBlocked()
	}
	return nil
}

func relayDenied() []string {
	return []string{"Relaying denied: without AUTH a server only takes mail for its own domains (RFC 5321 §3.6). " +
		"Log in with AUTH first, on your provider's submission port (465 or 587)."}
}

func ipBlocked() []string {
	return []string{"Your IP address is refused: on a blocklist, a dynamic or cloud range, or a known spam source.",
		"Send through your provider's submission server (465 or 587) with AUTH; check the IP on a blocklist site."}
}

func advice554(cmd, text string) []string {
	switch {
	case strings.Contains(text, "dt:spm"):
		return []string{"163/126 classed the message as spam (DT:SPM): give it proper From:, To:, Subject: and " +
			"Date: headers, From: equal to the sender, and less test-like text."}
	case cmd == "":
		return []string{"No SMTP service for you (RFC 5321 §3.1): the server refuses your IP address (a " +
			"blocklist, a dynamic or cloud range) or this port. Only QUIT is left.",
			"Try from another network, or your provider's submission port (465 or 587)."}
	case cmd == "DATA":
		return []string{"No valid recipients (RFC 5321 §3.3): at least one RCPT TO must be accepted before DATA."}
	case cmd == ".":
		return []string{"The message is refused, usually as spam or by policy: check the headers (From:, To:, " +
			"Subject:, Date:), that From: is the sender, and the text the server gave."}
	case cmd == "RCPT" && strings.Contains(text, "relay"):
		return relayDenied()
	case cmd == "RCPT":
		return []string{"The recipient is refused by policy: relaying denied (log in first) or blocked; the " +
			"server's text says which."}
	}
	return []string{"The transaction failed for good; the server's text says why."}
}

// adviceEnhanced gives advice by enhanced status code alone.
func adviceEnhanced(e smtpwire.EnhancedCode) []string {
	if e.IsZero() {
		return nil
	}
	switch [2]int{e.Subject, e.Detail} {
	case [2]int{7, 8}:
		return authFailure(e.String(), "")
	case [2]int{1, 1}:
		return []string{"The recipient mailbox does not exist: check the spelling of the address."}
	case [2]int{1, 2}:
		return []string{"The recipient's domain does not exist or takes no mail: check the part after @."}
	case [2]int{1, 3}, [2]int{1, 7}:
		return []string{"Address syntax: write addresses in <>, such as MAIL FROM:<you@example.com>."}
	case [2]int{2, 1}:
		return []string{"The mailbox is disabled: the address is no longer in use."}
	case [2]int{2, 2}:
		return []string{"The recipient's mailbox is full: they must make room."}
	case [2]int{2, 3}, [2]int{3, 4}:
		return []string{"The message is too big: see SIZE in the EHLO reply (RFC 1870)."}
	case [2]int{5, 3}:
		return tooManyRecipients()
	case [2]int{7, 0}:
		return []string{"A security or policy refusal, most often \"authentication required\" or \"STARTTLS first\"."}
	case [2]int{7, 1}:
		return []string{"Not authorized: relaying denied (log in first), a sender you may not use, or a policy block."}
	case [2]int{7, 9}:
		return []string{"The mechanism is too weak for the server: use another, or TLS first (RFC 4954 §6)."}
	case [2]int{7, 11}:
		return []string{"This mechanism needs TLS: STARTTLS and EHLO first, or port 465 (RFC 4954 §6)."}
	case [2]int{7, 13}:
		return []string{"The account is disabled: contact the provider."}
	case [2]int{5, 1}, [2]int{5, 2}, [2]int{5, 4}:
		return []string{"The command or its arguments are malformed: /help COMMAND shows the syntax."}
	}
	return nil
}

// adviceClass is the last resort: what the first digit says to do.
func adviceClass(code int, e smtpwire.EnhancedCode) []string {
	class := code / 100
	if class == 0 {
		class = e.Class
	}
	switch class {
	case 2:
		return []string{"Success: go on."}
	case 3:
		return []string{"The server waits for more input from you (RFC 5321 §4.2.1)."}
	case 4:
		return []string{"Temporary: the same command may succeed later; retry after a while (RFC 5321 §4.2.1)."}
	case 5:
		return []string{"Permanent: repeating it unchanged fails again; fix the cause first (RFC 5321 §4.2.1)."}
	}
	return nil
}

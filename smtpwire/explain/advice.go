package explain

import (
	"strconv"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// Advice says what to do about a reply: advice for the code in the
// context of cmd (an upper-case verb, "." for the end of the message, ""
// for the greeting, AnyCommand when the command is not known) first, else
// by the enhanced code, else by the class.
// r may be nil (an explained code alone), and code 0 when only an enhanced
// code is known.
func Advice(cmd string, code int, e smtpwire.EnhancedCode, r *smtpwire.Reply) []Msg {
	var k Kind
	if r != nil {
		k = Classify(r.Message())
	}
	enh := ""
	if !e.IsZero() {
		enh = e.String()
	}
	var a []Msg
	switch {
	case code >= 200 && code < 400:
		a = advicePositive(cmd, code, r)
	case code >= 400 && code < 500:
		a = adviceTransient(cmd, code, enh, k)
	case code >= 500:
		a = advicePermanent(cmd, code, enh, k)
	}
	if len(a) == 0 {
		a = adviceEnhanced(e)
	}
	if len(a) == 0 {
		a = adviceClass(code, e)
	}
	return a
}

// AnyCommand is the cmd of a reply explained without its command, as
// "smtpsh explain 550" or a pasted reply line: not the greeting, whose
// 550 or 554 means the client's IP address is refused.
const AnyCommand = "*"

func ids(id ...string) []Msg {
	out := make([]Msg, len(id))
	for i, s := range id {
		out[i] = M(s)
	}
	return out
}

func advicePositive(cmd string, code int, r *smtpwire.Reply) []Msg {
	switch code {
	case 211, 214:
		return ids("rep.human_text")
	case 220:
		if cmd == "STARTTLS" {
			return ids("rep.starttls_ready")
		}
		return ids("rep.greeting")
	case 221:
		return ids("rep.goodbye")
	case 235:
		return ids("rep.logged_in")
	case 250:
		switch cmd {
		case "EHLO":
			return ehloAdvice(r)
		case "HELO":
			return ids("rep.helo_ok")
		case "MAIL":
			return ids("rep.mail_ok")
		case "RCPT":
			return ids("rep.rcpt_ok")
		case ".", "DATA":
			return ids("rep.data_ok", "rep.data_ok_queue")
		case "RSET":
			return ids("rep.rset_ok")
		case "NOOP":
			return ids("rep.noop_ok")
		case "VRFY", "EXPN":
			return ids("rep.vrfy_ok")
		}
		return ids("rep.done")
	case 251:
		return ids("rep.will_forward")
	case 252:
		return ids("rep.cannot_vrfy")
	case 334:
		return AuthStep(r)
	case 354:
		return ids("rep.type_message")
	}
	return nil
}

// ehloAdvice reads the extensions of a 250 reply to EHLO and names the
// next step.
func ehloAdvice(r *smtpwire.Reply) []Msg {
	a := ids("rep.ehlo_ok")
	if r == nil {
		return a
	}
	ext := smtpwire.ParseExtensions(r)
	mechs := ext.AuthMechanisms()
	switch {
	case ext.StartTLS():
		return append(a, M("rep.ehlo_starttls"))
	case len(mechs) > 0:
		mech := mechs[0]
		for _, m := range []string{"PLAIN", "LOGIN"} {
			if ext.SupportsAuth(m) {
				mech = m
			}
		}
		return append(a, M("rep.ehlo_auth", "mech", mech, "mechs", strings.Join(mechs, " ")))
	}
	return append(a, M("rep.ehlo_no_auth"))
}

// AuthStep decodes a 334 challenge and says what to answer (RFC 4954 §4).
// r may be nil.
func AuthStep(r *smtpwire.Reply) []Msg {
	how := M("step.how")
	if r == nil {
		return []Msg{M("step.waiting"), how}
	}
	b, err := r.Challenge()
	if err != nil {
		return []Msg{M("step.not_base64"), how}
	}
	s := string(b)
	switch low := strings.ToLower(strings.TrimSpace(s)); {
	case AuthPrompt(s) == "username":
		return []Msg{M("step.username", "prompt", strconv.Quote(s)), how}
	case AuthPrompt(s) == "password":
		return []Msg{M("step.password", "prompt", strconv.Quote(s)), how}
	case low == "":
		return []Msg{M("step.empty"), how}
	case strings.HasPrefix(low, "{"):
		return []Msg{M("step.oauth_error", "json", printable(s)), M("step.oauth_next")}
	case quotable(s):
		return []Msg{M("step.text", "text", strconv.Quote(s)), how}
	}
	return []Msg{M("step.binary", "n", strconv.Itoa(len(b))), how}
}

func adviceTransient(cmd string, code int, enh string, k Kind) []Msg {
	if k.Has(Greylisted) {
		return ids("rep.greylisted", "rep.greylisted_retry")
	}
	switch code {
	case 421:
		return ids("rep.closing", "rep.closing_retry")
	case 432:
		return ids("rep.password_change")
	case 450:
		return ids("rep.mailbox_busy")
	case 451:
		if strings.HasPrefix(enh, "4.7.") {
			return ids("rep.policy_temporary")
		}
		return ids("rep.local_error")
	case 452:
		if enh == "4.5.3" || k.Has(TooManyRecipients) {
			return ids("rep.too_many_rcpts")
		}
		if cmd == "MAIL" {
			return ids("rep.storage_size")
		}
		return ids("rep.storage")
	case 454:
		if cmd == "STARTTLS" || k.Has(NeedsTLS) {
			return ids("rep.tls_unavailable")
		}
		return ids("rep.auth_temporary")
	case 455:
		return ids("rep.params_temporary")
	}
	return nil
}

func advicePermanent(cmd string, code int, enh string, k Kind) []Msg {
	if k.Has(SenderMismatch) {
		return ids("rep.sender_mismatch")
	}
	switch {
	case code >= 500 && code <= 504:
		return adviceSyntax(cmd, code, enh, k)
	case code >= 530 && code <= 538:
		return adviceAuth(code, enh, k)
	}
	switch code {
	case 550:
		return advice550(cmd, enh, k)
	case 551:
		return ids("rep.not_local")
	case 552:
		switch {
		case enh == "5.2.2" || k.Has(MailboxFull):
			return ids("rep.mailbox_full")
		case cmd == "RCPT" || k.Has(TooManyRecipients):
			return ids("rep.too_many_rcpts")
		}
		return ids("rep.too_big")
	case 553:
		if cmd == "RCPT" {
			return ids("rep.rcpt_refused")
		}
		return ids("rep.address_refused")
	case 554:
		return advice554(cmd, k)
	case 555:
		return ids("rep.param_unknown")
	}
	return nil
}

func adviceSyntax(cmd string, code int, enh string, k Kind) []Msg {
	order := M("rep.order")
	switch code {
	case 500:
		switch {
		case cmd == "EHLO":
			return ids("rep.no_ehlo")
		case enh == "5.5.6" || cmd == "AUTH" && k.Has(TooLong):
			return ids("rep.auth_too_long")
		}
		return ids("rep.unrecognized")
	case 501:
		switch cmd {
		case "MAIL":
			return ids("rep.syntax_mail")
		case "RCPT":
			return ids("rep.syntax_rcpt")
		case "AUTH":
			return ids("rep.syntax_auth", "rep.syntax_auth_how")
		case "EHLO", "HELO":
			return ids("rep.syntax_ehlo")
		case "STARTTLS":
			return ids("rep.syntax_starttls")
		case "DATA", "RSET", "QUIT":
			return []Msg{M("rep.syntax_noargs", "cmd", cmd)}
		}
		return ids("rep.syntax_args")
	case 502:
		switch cmd {
		case "EHLO":
			return ids("rep.ehlo_not_impl")
		case "STARTTLS":
			return ids("rep.no_starttls")
		case "AUTH":
			return ids("rep.no_auth")
		case "VRFY", "EXPN":
			return ids("rep.vrfy_off")
		}
		return ids("rep.not_impl")
	case 503:
		switch cmd {
		case "RCPT":
			return []Msg{M("rep.seq_rcpt"), order}
		case "DATA":
			return []Msg{M("rep.seq_data"), order}
		case "MAIL":
			return []Msg{M("rep.seq_mail"), order}
		case "AUTH":
			return []Msg{M("rep.seq_auth"), order}
		case "STARTTLS":
			return []Msg{M("rep.seq_starttls"), order}
		}
		return []Msg{M("rep.seq_other"), order}
	case 504:
		if cmd == "AUTH" {
			return ids("rep.mech_unsupported")
		}
		return ids("rep.param_not_impl")
	}
	return nil
}

func adviceAuth(code int, enh string, k Kind) []Msg {
	switch code {
	case 530:
		switch {
		case k.Has(NeedsTLS):
			return ids("rep.tls_first")
		case k.Has(MentionsAuth):
			return ids("rep.auth_first")
		}
		return ids("rep.tls_or_auth")
	case 534:
		return ids("rep.too_weak", "rep.too_weak_gmail")
	case 535:
		return authFailure(enh, k)
	case 538:
		return ids("rep.mech_needs_tls")
	}
	return nil
}

// authFailure is the advice for 535 and 5.7.8: wrong credentials.
func authFailure(enh string, k Kind) []Msg {
	a := ids("rep.bad_credentials", "rep.authcode", "rep.app_password", "rep.directmail", "rep.check_base64")
	if enh == "5.7.139" || k.Has(BasicAuthDisabled) {
		a = append(a, M("rep.basic_disabled"))
	}
	return a
}

func advice550(cmd, enh string, k Kind) []Msg {
	listed := k.Has(Blocklisted)
	blocked := listed || k.Has(Blocked)
	switch cmd {
	case "RCPT", AnyCommand: // without its command, by what the reply says
		switch {
		case enh == "5.1.1" || k.Has(UnknownUser):
			return ids("rep.unknown_rcpt")
		case k.Has(Relay):
			return ids("rep.relay_denied")
		case blocked:
			return ids("rep.ip_blocked", "rep.ip_blocked_how")
		case cmd == "RCPT" && strings.HasPrefix(enh, "5.7."):
			return ids("rep.relay_denied")
		}
	case "MAIL":
		if blocked {
			return ids("rep.ip_blocked", "rep.ip_blocked_how")
		}
		return ids("rep.sender_refused")
	case ".", "DATA":
		if listed {
			return ids("rep.ip_blocked", "rep.ip_blocked_how")
		}
		return ids("rep.content_refused")
	case "":
		return ids("rep.ip_blocked", "rep.ip_blocked_how")
	}
	if listed {
		return ids("rep.ip_blocked", "rep.ip_blocked_how")
	}
	return nil
}

func advice554(cmd string, k Kind) []Msg {
	switch {
	case k.Has(Spam163):
		return ids("rep.spam_163")
	case cmd == "":
		return ids("rep.no_service", "rep.no_service_how")
	case cmd == "DATA":
		return ids("rep.no_valid_rcpts")
	case cmd == ".":
		return ids("rep.message_refused")
	case (cmd == "RCPT" || cmd == AnyCommand) && k.Has(Relay):
		return ids("rep.relay_denied")
	case cmd == AnyCommand && (k.Has(Blocked) || k.Has(Blocklisted)):
		return ids("rep.ip_blocked", "rep.ip_blocked_how")
	case cmd == "RCPT":
		return ids("rep.rcpt_policy")
	}
	return ids("rep.transaction_failed")
}

// adviceEnhanced gives advice by enhanced status code alone.
func adviceEnhanced(e smtpwire.EnhancedCode) []Msg {
	if e.IsZero() {
		return nil
	}
	switch [2]int{e.Subject, e.Detail} {
	case [2]int{7, 8}:
		return authFailure(e.String(), 0)
	case [2]int{1, 1}:
		return ids("rep.unknown_mailbox")
	case [2]int{1, 2}:
		return ids("rep.domain_unknown")
	case [2]int{1, 3}, [2]int{1, 7}:
		return ids("rep.address_syntax")
	case [2]int{2, 1}:
		return ids("rep.mailbox_disabled")
	case [2]int{2, 2}:
		return ids("rep.mailbox_full_short")
	case [2]int{2, 3}, [2]int{3, 4}:
		return ids("rep.too_big_short")
	case [2]int{5, 3}:
		return ids("rep.too_many_rcpts")
	case [2]int{7, 0}:
		return ids("rep.security_other")
	case [2]int{7, 1}:
		return ids("rep.not_authorized")
	case [2]int{7, 9}:
		return ids("rep.mech_weak_short")
	case [2]int{7, 11}:
		return ids("rep.mech_tls_short")
	case [2]int{7, 13}:
		return ids("rep.account_disabled")
	case [2]int{5, 1}, [2]int{5, 2}, [2]int{5, 4}:
		return ids("rep.malformed")
	}
	return nil
}

// adviceClass is the last resort: what the first digit says to do.
func adviceClass(code int, e smtpwire.EnhancedCode) []Msg {
	class := code / 100
	if class == 0 {
		class = e.Class
	}
	if class >= 2 && class <= 5 {
		return []Msg{M("rep.class." + strconv.Itoa(class))}
	}
	return nil
}

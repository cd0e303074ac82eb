package check

import (
	"errors"
	"io"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// classifyAuth names a negative reply to AUTH.
func classifyAuth(rep *smtpwire.Reply, inTLS bool) string {
	text := strings.ToLower(rep.Message())
	enh := rep.Enhanced.String()
	switch {
	case rep.Code == smtpwire.CodeNotAvailable:
		return SessionClosing
	case enh == "5.7.139" || hasAny(text, "smtpclientauthentication", "basic authentication is disabled"):
		return AuthBasicDisabled
	case rep.Code == smtpwire.CodeAuthInvalid || enh == "5.7.8":
		return AuthBadCredentials
	case rep.Code == smtpwire.CodeAuthTooWeak || enh == "5.7.9":
		return AuthTooWeak
	case rep.Code == smtpwire.CodeEncryptRequired || enh == "5.7.11":
		return AuthRequiresTLS
	case rep.Code == smtpwire.CodeAuthRequired && (!inTLS || hasAny(text, "tls")):
		return AuthRequiresTLS
	case rep.Code == smtpwire.CodeParamNotImpl || rep.Code == smtpwire.CodeNotImplemented:
		return AuthMechanismUnsupported
	case rep.Temporary():
		return AuthTemporary
	}
	return AuthRejected
}

// classifyMail names a negative reply to MAIL FROM.
func classifyMail(rep *smtpwire.Reply, authed bool) string {
	text := strings.ToLower(rep.Message())
	enh := rep.Enhanced.String()
	switch {
	case rep.Code == smtpwire.CodeNotAvailable:
		return SessionClosing
	case senderMismatch(text), authed && enh == "5.7.1" && (rep.Code == 550 || rep.Code == 553):
		return EnvelopeSenderNotOwned
	case rep.Code == smtpwire.CodeAuthRequired, hasAny(text, "authentication required", "need ehlo and auth"):
		return EnvelopeAuthRequired
	case greylisted(text):
		return EnvelopeGreylisted
	case rep.Temporary():
		return EnvelopeTemporary
	case rep.Code == smtpwire.CodeParamSyntax || enh == "5.1.7" || enh == "5.1.3" || enh == "5.5.2":
		return EnvelopeSenderSyntax
	}
	return EnvelopeSenderRejected
}

// classifyRcpt names a negative reply to RCPT TO.
func classifyRcpt(rep *smtpwire.Reply, authed bool) string {
	text := strings.ToLower(rep.Message())
	enh := rep.Enhanced.String()
	switch {
	case rep.Code == smtpwire.CodeNotAvailable:
		return SessionClosing
	case greylisted(text):
		return EnvelopeGreylisted
	case rep.Temporary():
		return EnvelopeTemporary
	case rep.Code == smtpwire.CodeAuthRequired:
		return EnvelopeAuthRequired
	case enh == "5.1.1" || hasAny(text, "unknown user", "user unknown", "no such user", "does not exist",
		"mailbox not found", "invalid recipient", "mailbox unavailable"):
		return EnvelopeUnknownRecipient
	case strings.Contains(text, "relay") || enh == "5.7.1":
		return EnvelopeRelayDenied
	}
	return EnvelopeRecipientRefused
}

// senderMismatch recognises "the sender is not the authenticated user":
// QQ's 501 "mail from address must be same as authorization user", 163's
// 553 "Mail from must equal authorized user", Postfix's "not owned by
// user", Microsoft's SendAsDenied.
func senderMismatch(text string) bool {
	if hasAny(text, "not owned by", "sendasdenied", "not allowed to send as") {
		return true
	}
	return strings.Contains(text, "auth") && hasAny(text, "sender", "mail from", "from address") &&
		hasAny(text, "equal", "same", "match")
}

func greylisted(text string) bool {
	return hasAny(text, "greylist", "graylist", "grey-list", "gray-list")
}

func hasAny(text string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// sessionProblem names an error that broke the session.
func sessionProblem(err error) string {
	var pe *smtpwire.ProtocolError
	switch {
	case errors.As(err, &pe) && errors.Is(pe.Err, io.ErrUnexpectedEOF):
		return SessionClosed
	case errors.As(err, &pe):
		return SessionGarbage
	case isTimeout(err):
		return SessionTimeout
	}
	return SessionClosed
}

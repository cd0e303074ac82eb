package check

import (
	"errors"
	"io"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// The texts of the replies are recognised by explain.Classify, the one
// place that knows how providers word them.

// classifyAuth names a negative reply to AUTH.
func classifyAuth(rep *smtpwire.Reply, inTLS bool) string {
	k := explain.Classify(rep.Message())
	enh := rep.Enhanced.String()
	switch {
	case rep.Code == smtpwire.CodeNotAvailable:
		return SessionClosing
	case enh == "5.7.139" || k.Has(explain.BasicAuthDisabled):
		return AuthBasicDisabled
	case rep.Code == smtpwire.CodeAuthInvalid || enh == "5.7.8":
		return AuthBadCredentials
	case rep.Code == smtpwire.CodeAuthTooWeak || enh == "5.7.9":
		return AuthTooWeak
	case rep.Code == smtpwire.CodeEncryptRequired || enh == "5.7.11":
		return AuthRequiresTLS
	case rep.Code == smtpwire.CodeAuthRequired && (!inTLS || k.Has(explain.NeedsTLS)):
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
	k := explain.Classify(rep.Message())
	enh := rep.Enhanced.String()
	switch {
	case rep.Code == smtpwire.CodeNotAvailable:
		return SessionClosing
	case k.Has(explain.SenderMismatch), authed && enh == "5.7.1" && (rep.Code == 550 || rep.Code == 553):
		return EnvelopeSenderNotOwned
	case rep.Code == smtpwire.CodeAuthRequired, k.Has(explain.NeedsAuth):
		return EnvelopeAuthRequired
	case k.Has(explain.Greylisted):
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
	k := explain.Classify(rep.Message())
	enh := rep.Enhanced.String()
	switch {
	case rep.Code == smtpwire.CodeNotAvailable:
		return SessionClosing
	case k.Has(explain.Greylisted):
		return EnvelopeGreylisted
	case rep.Temporary():
		return EnvelopeTemporary
	case rep.Code == smtpwire.CodeAuthRequired:
		return EnvelopeAuthRequired
	case enh == "5.1.1" || k.Has(explain.UnknownUser):
		return EnvelopeUnknownRecipient
	case k.Has(explain.Relay) || enh == "5.7.1":
		return EnvelopeRelayDenied
	}
	return EnvelopeRecipientRefused
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

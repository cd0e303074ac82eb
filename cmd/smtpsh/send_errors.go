package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
)

// sendStageStatus is the exit status of a negative reply at stage. MAIL
// replies that are about something else than the sender say so: 552 or
// x.3.4 is the message's size (RFC 1870 §6), 530 is AUTH (or STARTTLS)
// required first (RFC 4954 §6).
func sendStageStatus(stage string, re *smtpwire.ReplyError) int {
	switch {
	case stage == "AUTH":
		return repl.ExitAuth
	case (stage == "MAIL" || stage == "RCPT") && re.Code == smtpwire.CodeAuthRequired:
		return repl.ExitAuth
	case stage == "MAIL" && (re.Code == smtpwire.CodeExceededStorage || re.Enhanced == smtpwire.EnhancedCode{Class: 5, Subject: 3, Detail: 4}):
		return repl.ExitMessage
	case stage == "MAIL" || stage == "RCPT":
		return repl.ExitEnvelope
	case stage == "DATA" || stage == "message":
		return repl.ExitMessage
	}
	return repl.ExitNegative
}

// failed reports an error from stage and returns its exit status: the
// stage's own for a negative reply, else by the kind of failure.
func (s *sender) failed(stage string, err error) int {
	var se *submit.Error
	if errors.As(err, &se) {
		err = se.Err // the stage is known here
	}
	if errors.Is(err, context.Canceled) {
		// Ctrl-C, at any stage: a dial it cut short is not a refused
		// connection.
		s.out.fail("interrupted; the connection is closed")
		return repl.ExitAborted
	}
	switch {
	case errors.Is(err, errNoMechanism):
		s.quit(context.Background())
		return repl.ExitAuth // the reason was shown
	case errors.Is(err, submit.ErrNoStartTLS):
		var re *smtpwire.ReplyError
		if errors.As(err, &re) {
			s.out.fail("--tls starttls: the server refused STARTTLS (" + re.Reply.String() + "); refusing to go on in plain text")
			s.out.explainReply("STARTTLS", re.Reply)
		} else {
			s.out.fail("--tls starttls: the server does not offer STARTTLS; refusing to go on in plain text")
		}
		s.out.explain("try --tls implicit on port 465, or another port; --tls auto would go on without TLS")
		s.quit(context.Background())
		return repl.ExitTLS
	case stage == "greeting" && errors.Is(err, os.ErrDeadlineExceeded) && s.c != nil && !s.c.TLS():
		defer s.out.explain("no greeting: if this port expects TLS from the first byte (465, 994), use --tls implicit")
	}
	var re *smtpwire.ReplyError
	if stage == "AUTH" && errors.As(err, &re) && re.Code >= 500 {
		who, notes := s.authNotes()
		s.out.fail(append([]string{fmt.Sprintf("the server refused the login of %s with AUTH %s: %s", who, s.mech, re.Reply.String())}, notes...)...)
		if len(notes) == 0 {
			s.out.explainReply("AUTH", re.Reply)
		}
		s.quit(context.Background())
		return repl.ExitAuth
	}
	if stage == "AUTH" && !errors.As(err, &re) && s.c != nil && s.c.State() != smtpwire.StateBroken && s.c.State() != smtpwire.StateClosed {
		// The mechanism gave up: a SCRAM server that could not prove
		// itself, a challenge that made no sense.
		who, _ := s.authNotes()
		s.out.fail(fmt.Sprintf("AUTH %s as %s failed: %v", s.mech, who, err),
			"the server is not the one you think, or it is misconfigured: do not send it mail with this password")
		s.quit(context.Background())
		return repl.ExitAuth
	}
	var de *smtpwire.DialError
	var te *smtpwire.TLSError
	var ie *smtpwire.StartTLSInjectionError
	switch {
	case errors.As(err, &re):
		s.out.fail(fmt.Sprintf("%s: the server said %s", re.Command, re.Reply.String()))
		cmd := re.Command
		if cmd == "greeting" {
			cmd = "" // as repl.Explain names the greeting
		}
		if re.Reply.Positive() {
			// smtp-sink, for one, answers AUTH with 250: a yes that is
			// not the yes the command has (235), so nothing happened.
			s.out.say(explain.M("ui.positive_wrong", "code", strconv.Itoa(re.Code), "cmd", strings.Fields(re.Command)[0]))
		} else {
			s.out.explainReply(cmd, re.Reply)
		}
		s.quit(context.Background())
		return sendStageStatus(stage, re)
	case errors.As(err, &de):
		s.out.fail(err.Error())
		var pe *smtpwire.ProxyError
		if errors.As(err, &pe) {
			s.out.explain(repl.ProxyAdvice(pe))
		} else if de.TimedOut {
			s.out.say(explain.M("ui.no_answer"), explain.M("ui.port25"))
		} else {
			s.out.say(explain.M("ui.refused"))
		}
		return repl.ExitConnect
	case errors.As(err, &te), errors.As(err, &ie):
		s.out.fail(err.Error())
		s.out.say(repl.TLSAdvice(err)...)
		return repl.ExitTLS
	case errors.Is(err, smtpwire.ErrInsecureAuth):
		s.out.fail(err.Error())
		return repl.ExitAuth
	}
	s.out.fail(stage + ": " + err.Error())
	if s.c != nil && s.c.State() == smtpwire.StateBroken {
		s.out.say(explain.M("ui.out_of_sync"))
	}
	switch {
	case stage == "connect":
		return repl.ExitConnect // a CA file that cannot be read, and the like
	case stage == "AUTH" && s.c.State() != smtpwire.StateBroken:
		s.quit(context.Background())
		return repl.ExitAuth // a challenge LOGIN or PLAIN cannot answer
	}
	return repl.ExitProtocol
}

// showTLS describes the TLS session.
func (s *sender) showTLS() {
	if info, ok := s.c.TLSInfo(); ok && s.out.tracing() {
		s.out.note(repl.TLSSummary(info, s.out.lang)...)
	}
}

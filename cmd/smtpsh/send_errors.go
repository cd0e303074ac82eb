package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
)

// failed reports an error from stage and returns its exit status: the
// stage's own for a negative reply, else by the kind of failure.
func (s *sender) failed(stage string, err error) int {
	var re *smtpwire.ReplyError
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
		s.out.explain(sendExplain(cmd, re.Reply)...)
		s.quit(context.Background())
		switch stage {
		case "AUTH":
			return repl.ExitAuth
		case "MAIL", "RCPT":
			return repl.ExitEnvelope
		case "DATA", "message":
			return repl.ExitMessage
		}
		return repl.ExitNegative
	case errors.As(err, &de):
		s.out.fail(err.Error())
		if de.TimedOut {
			s.out.explain("nothing answered: a firewall, a cloud security group or the ISP may drop this port",
				"(port 25 is blocked by most cloud providers; try 465 or 587)")
		} else {
			s.out.explain("the connection was refused or the host is unreachable: check the host name and port")
		}
		return repl.ExitConnect
	case errors.As(err, &te), errors.As(err, &ie):
		s.out.fail(err.Error())
		s.out.explain(repl.TLSAdvice(err)...)
		return repl.ExitTLS
	case errors.Is(err, smtpwire.ErrInsecureAuth):
		s.out.fail(err.Error())
		return repl.ExitAuth
	case errors.Is(err, context.Canceled):
		s.out.fail("interrupted; the connection is closed")
		return repl.ExitAborted
	}
	s.out.fail(stage + ": " + err.Error())
	if s.c != nil && s.c.State() == smtpwire.StateBroken {
		s.out.explain("the session is out of sync and cannot go on")
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
	if info, ok := s.c.TLSInfo(); ok {
		s.out.note(repl.TLSSummary(info)...)
	}
}

// sendExplain is repl.Explain without the advice about the shell's own
// commands (/b64, /auth), which send does not have: it does the base64.
func sendExplain(cmd string, r *smtpwire.Reply) []string {
	var out []string
	for _, l := range repl.Explain(cmd, r) {
		if !strings.Contains(l, "/b64") && !strings.Contains(l, "/auth") {
			out = append(out, l)
		}
	}
	return out
}

package smtptest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is one fault injection rule of a MailServer: when a command
// matches, the server waits Delay, then answers with Reply instead of its
// own reply (if Reply is set), then hangs up (if Disconnect).
//
// Its text form, parsed by ParseFault, is
//
//	COMMAND [from=GLOB] [to=GLOB] [CODE [ENHANCED] [TEXT...]] [rate=R] [delay=D] [disconnect]
//
// such as "RCPT to=*@bounce.test 550 5.1.1", "DATA 451 4.3.0 rate=0.1",
// "MAIL delay=2s" or "EOM disconnect".
type Fault struct {
	// Command is the verb the rule applies to: CONNECT (the greeting),
	// EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA (the reply to DATA
	// itself), BDAT (the reply to a chunk), EOM (the reply after the
	// message, to "." or to BDAT LAST), RSET, NOOP, VRFY, HELP or QUIT.
	Command string `json:"command"`
	// From and To are glob patterns ("*" any run, "?" one character,
	// ASCII case ignored) on the reverse-path of MAIL and the
	// forward-path of RCPT; for DATA, BDAT and EOM, To matches when any
	// recipient matches. "" matches anything.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Reply is the reply sent instead, "550 5.1.1 text"; "" keeps the
	// server's own reply (for a delay alone).
	Reply string `json:"reply,omitempty"`
	// Rate is the probability that a matching command gets the fault,
	// in (0, 1]; 0 means 1.
	Rate float64 `json:"rate,omitempty"`
	// Delay is how long the server waits before answering.
	Delay time.Duration `json:"delay,omitempty"`
	// Disconnect closes the connection after Reply, if any.
	Disconnect bool `json:"disconnect,omitempty"`
}

// faultCommands are the values of Fault.Command.
var faultCommands = []string{"CONNECT", "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT", "EOM", "RSET", "NOOP", "VRFY", "HELP", "QUIT"}

// ParseFault parses the text form of a rule (see Fault).
func ParseFault(s string) (Fault, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return Fault{}, errors.New("empty fault rule: want COMMAND [from=GLOB] [to=GLOB] [CODE [ENHANCED] [TEXT]] [rate=R] [delay=D] [disconnect]")
	}
	f := Fault{Command: strings.ToUpper(fields[0])}
	if !slices.Contains(faultCommands, f.Command) {
		return Fault{}, fmt.Errorf("fault %q: unknown command %q; use one of %s", s, fields[0], strings.Join(faultCommands, " "))
	}
	var reply []string
	for _, w := range fields[1:] {
		key, value, hasValue := strings.Cut(w, "=")
		var err error
		switch {
		case hasValue && strings.EqualFold(key, "from"):
			f.From = value
		case hasValue && strings.EqualFold(key, "to"):
			f.To = value
		case hasValue && strings.EqualFold(key, "rate"):
			f.Rate, err = strconv.ParseFloat(value, 64)
			if err == nil && (f.Rate <= 0 || f.Rate > 1) {
				err = errors.New("not in (0, 1]")
			}
		case hasValue && strings.EqualFold(key, "delay"):
			f.Delay, err = time.ParseDuration(value)
			if err == nil && (f.Delay < 0 || f.Delay > 10*time.Minute) {
				err = errors.New("not between 0 and 10m")
			}
		case strings.EqualFold(w, "disconnect"):
			f.Disconnect = true
		default:
			reply = append(reply, w)
		}
		if err != nil {
			return Fault{}, fmt.Errorf("fault %q: bad %s %q: %v", s, key, value, err)
		}
	}
	if len(reply) > 0 {
		code, err := strconv.Atoi(reply[0])
		if err != nil || code < 200 || code > 599 || len(reply[0]) != 3 {
			return Fault{}, fmt.Errorf("fault %q: %q is not a reply code (200 to 599)", s, reply[0])
		}
		if len(reply) < 3 {
			reply = append(reply, "Fault injected by smtpsh")
		}
		f.Reply = strings.Join(reply, " ")
	}
	if f.Reply == "" && f.Delay == 0 && !f.Disconnect {
		return Fault{}, fmt.Errorf("fault %q does nothing: give a reply code, delay= or disconnect", s)
	}
	return f, nil
}

// String returns the text form of f, which ParseFault reads back.
func (f Fault) String() string {
	parts := []string{f.Command}
	if f.From != "" {
		parts = append(parts, "from="+f.From)
	}
	if f.To != "" {
		parts = append(parts, "to="+f.To)
	}
	if f.Reply != "" {
		parts = append(parts, f.Reply)
	}
	if f.Rate > 0 && f.Rate < 1 {
		parts = append(parts, "rate="+strconv.FormatFloat(f.Rate, 'g', -1, 64))
	}
	if f.Delay > 0 {
		parts = append(parts, "delay="+f.Delay.String())
	}
	if f.Disconnect {
		parts = append(parts, "disconnect")
	}
	return strings.Join(parts, " ")
}

// Faults is a set of fault injection rules that may change while a
// MailServer uses it. The first rule that matches a command applies.
type Faults struct {
	mu    sync.Mutex
	rules []Fault
}

// NewFaults returns a set holding rules.
func NewFaults(rules ...Fault) *Faults {
	return &Faults{rules: slices.Clone(rules)}
}

// List returns the rules.
func (f *Faults) List() []Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.rules)
}

// Set replaces the rules; nil removes them all.
func (f *Faults) Set(rules []Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = slices.Clone(rules)
}

// Add appends a rule.
func (f *Faults) Add(rule Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = append(f.rules, rule)
}

// match returns the first rule for cmd whose patterns match and whose
// rate draw succeeds.
func (f *Faults) match(cmd, from string, to []string) (Fault, bool) {
	if f == nil {
		return Fault{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rules {
		if r.Command != cmd || !matchAddr(r.From, []string{from}) || !matchAddr(r.To, to) {
			continue
		}
		if r.Rate > 0 && r.Rate < 1 && rand.Float64() >= r.Rate {
			continue
		}
		return r, true
	}
	return Fault{}, false
}

func matchAddr(pattern string, addrs []string) bool {
	if pattern == "" {
		return true
	}
	for _, a := range addrs {
		if MatchGlob(strings.ToLower(pattern), strings.ToLower(a)) {
			return true
		}
	}
	return false
}

// MatchGlob reports whether s matches pattern, where "*" stands for any
// run of characters and "?" for one; everything else matches itself.
func MatchGlob(pattern, s string) bool {
	// Iterative matching with one backtrack point, linear in practice.
	p, i := []rune(pattern), []rune(s)
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(i) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == i[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// errFaultDisconnect ends a session that a fault rule hangs up.
var errFaultDisconnect = errors.New("smtptest: fault injection hung up")

// fault applies the first matching rule for cmd, with addr the address of
// MAIL or RCPT. handled reports that the rule answered the command (or hung
// up), and err is what the command returns then.
func (s *mailSession) fault(cmd, addr string) (handled bool, err error) {
	from, to := s.from, s.to
	switch cmd {
	case "MAIL":
		from = addr
	case "RCPT":
		to = []string{addr}
	}
	f, ok := s.srv.opts.Faults.match(cmd, from, to)
	if !ok {
		return false, nil
	}
	if f.Delay > 0 {
		// The replies before this one go out first: the delay is this
		// command's.
		if err := s.flush(); err != nil {
			return true, err
		}
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-s.srv.done:
			t.Stop()
			return true, errShutdown
		}
	}
	if f.Reply != "" {
		if err := s.send(f.Reply); err != nil {
			return true, err
		}
	}
	if f.Disconnect {
		return true, errFaultDisconnect
	}
	return f.Reply != "", nil
}

// greet sends the greeting, or what a CONNECT rule says instead; a
// replaced greeting ends the session.
func (s *mailSession) greet() error {
	handled, err := s.fault("CONNECT", "")
	switch {
	case err != nil:
		return err
	case handled:
		return errFaultDisconnect
	}
	o := &s.srv.opts
	return s.send("220 " + o.Hostname + " ESMTP " + o.Banner)
}

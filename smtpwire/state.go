package smtpwire

// State is where a client stands in the SMTP session. TLS and
// authentication are also reported separately by Client.TLS and
// Client.Authenticated, since they last across transactions.
type State int

const (
	// StateConnected: the transport (TCP, or TLS for implicit TLS) is up
	// and the greeting has not been read.
	StateConnected State = iota
	// StateGreeted: the 220 greeting was read; EHLO or HELO comes next.
	StateGreeted
	// StateHello: EHLO or HELO was accepted; the server's extensions are known.
	StateHello
	// StateTLS: STARTTLS succeeded; RFC 3207 §4.2 says everything learnt
	// before was forgotten, so EHLO must be sent again.
	StateTLS
	// StateAuthenticated: AUTH succeeded; no transaction is open.
	StateAuthenticated
	// StateMail: MAIL was accepted; a transaction is open and needs RCPT.
	StateMail
	// StateRcpt: at least one RCPT was accepted; DATA may follow.
	StateRcpt
	// StateData: the server sent 354; message lines are being written.
	StateData
	// StateClosed: QUIT was answered, the server sent 421, or Close was called.
	StateClosed
	// StateBroken: the connection is out of sync; every call fails.
	StateBroken
)

var stateNames = [...]string{
	StateConnected:     "connected",
	StateGreeted:       "greeted",
	StateHello:         "hello",
	StateTLS:           "tls",
	StateAuthenticated: "authenticated",
	StateMail:          "mail",
	StateRcpt:          "rcpt",
	StateData:          "data",
	StateClosed:        "closed",
	StateBroken:        "broken",
}

// String returns the lower-case state name, such as "rcpt".
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return "State(?)"
	}
	return stateNames[s]
}

// InTransaction reports whether a mail transaction is open (MAIL accepted,
// not yet ended by the DATA reply or RSET).
func (s State) InTransaction() bool { return s == StateMail || s == StateRcpt || s == StateData }

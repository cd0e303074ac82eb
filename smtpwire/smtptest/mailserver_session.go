package smtptest

import (
	"bufio"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// mailSession is one client connection of a MailServer. Its fields other
// than mu and closing belong to the session's goroutine.
type mailSession struct {
	srv         *MailServer
	raw         net.Conn      // the accepted connection
	conn        net.Conn      // raw, or TLS over it
	br          *bufio.Reader // reads conn through pipelineReader
	bw          *bufio.Writer // replies waiting to be flushed to conn
	remote      string
	implicitTLS bool
	tls         bool
	writeFailed bool // a reply could not be written: do not try a 421

	helo     string // argument of the last HELO/EHLO; "" before one
	ehlo     bool
	authUser string
	authMech string
	rec      *sessionRecord // the session log entry

	// The mail transaction (RFC 5321 §3.3), open from MAIL until the
	// end of DATA, RSET, HELO/EHLO or STARTTLS.
	inMail   bool
	from     string
	to       []string
	smtpUTF8 bool   // MAIL carried the SMTPUTF8 parameter (RFC 6531 §3.4)
	body     string // BODY= of MAIL, upper case; "" without one
	dsn      DSN    // DSN parameters of MAIL and RCPT (RFC 3461)
	chunks   []byte // BDAT chunks so far (RFC 3030)
	chunked  bool   // a BDAT came in this transaction
	tooBig   bool   // the BDAT chunks went over MaxMessageSize

	mu      sync.Mutex
	closing bool // MailServer.Close interrupted the session
}

// mailReaderSize is the read buffer of a session. A command line fits in
// it whole; longer AUTH and message lines are read a buffer at a time.
const mailReaderSize = 2 * MailCommandLineLimit

// traceLineLimit is where trace lines are cut short.
const traceLineLimit = 1000

var (
	// errQuit ends a session after QUIT was answered.
	errQuit = errors.New("smtptest: client quit")
	// errShutdown ends a session that MailServer.Close interrupted.
	errShutdown = errors.New("smtptest: server shutting down")
	// errMailLineTooLong reports a line over the limit, already discarded.
	errMailLineTooLong = errors.New("smtptest: line too long")
)

func newMailSession(srv *MailServer, conn net.Conn, implicitTLS bool) *mailSession {
	s := &mailSession{
		srv:         srv,
		raw:         conn,
		conn:        conn,
		bw:          bufio.NewWriterSize(conn, mailWriterSize),
		remote:      conn.RemoteAddr().String(),
		implicitTLS: implicitTLS,
	}
	s.br = bufio.NewReaderSize(pipelineReader{s}, mailReaderSize)
	return s
}

// mailWriterSize is the reply buffer of a session.
const mailWriterSize = 4096

// pipelineReader is what a session's bufio.Reader reads from. Replies are
// queued in the session's writer and flushed only when the server is about
// to wait for the client, that is when every command already received has
// been answered: a pipelining client (RFC 2920 §3.1) gets the replies to a
// group of commands in one write, in order, and a client that waits for
// each reply gets it at once.
type pipelineReader struct{ s *mailSession }

func (r pipelineReader) Read(p []byte) (int, error) {
	if err := r.s.flush(); err != nil {
		return 0, err
	}
	return r.s.conn.Read(p)
}

// flush writes the queued replies within the timeout.
func (s *mailSession) flush() error {
	if s.bw.Buffered() == 0 {
		return nil
	}
	s.raw.SetWriteDeadline(time.Now().Add(s.srv.opts.Timeout))
	if err := s.bw.Flush(); err != nil {
		s.writeFailed = true
		return err
	}
	return nil
}

// serve runs the session until QUIT, an error, a timeout or Close.
func (s *mailSession) serve() {
	defer s.close()
	if s.implicitTLS {
		if err := s.startTLS(); err != nil {
			return
		}
	}
	err := s.greet()
	for err == nil {
		var line string
		line, err = s.readCommand()
		switch {
		case errors.Is(err, errMailLineTooLong):
			err = s.send("500 5.5.2 Line too long")
		case err == nil:
			err = s.dispatch(line)
		}
	}
	s.end(err)
}

// end tells the client why the session ends, when it is the server's
// doing: a read timed out or the server is shutting down (RFC 5321 §3.8:
// 421, then close).
func (s *mailSession) end(err error) {
	if s.writeFailed || !(errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, errShutdown)) {
		return
	}
	s.raw.SetWriteDeadline(time.Now().Add(time.Second))
	if s.isClosing() || errors.Is(err, errShutdown) {
		s.writeLines("421 4.3.2 " + s.srv.opts.Hostname + " Service shutting down")
	} else {
		s.writeLines("421 4.4.2 " + s.srv.opts.Hostname + " Error: timeout exceeded")
	}
	s.bw.Flush()
}

// close sends a TLS close_notify if TLS is up and closes the connection.
func (s *mailSession) close() {
	if !s.writeFailed {
		s.raw.SetWriteDeadline(time.Now().Add(time.Second))
		s.bw.Flush() // the 221 to QUIT, or replies before the client left
	}
	if tc, ok := s.conn.(*tls.Conn); ok {
		s.raw.SetWriteDeadline(time.Now().Add(time.Second))
		tc.Close()
	}
	s.raw.Close()
}

// interrupt makes the session's current or next read fail at once, so
// that it says 421 and ends. It is called by MailServer.Close.
func (s *mailSession) interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closing = true
	s.raw.SetReadDeadline(time.Unix(1, 0))
}

func (s *mailSession) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// armRead sets the idle timeout for the next read, unless Close has
// interrupted the session. Holding mu keeps it from undoing interrupt.
func (s *mailSession) armRead() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return errShutdown
	}
	return s.raw.SetReadDeadline(time.Now().Add(s.srv.opts.Timeout))
}

// trace reports one wire line to the Trace hook.
func (s *mailSession) trace(dir smtpwire.Direction, line string) {
	if len(line) > traceLineLimit {
		line = line[:traceLineLimit] + "..."
	}
	s.rec.addLine(dir, line)
	if s.srv.opts.Trace != nil {
		s.srv.opts.Trace(s.remote, dir, line)
	}
}

// send queues a reply of one or more complete lines ("250 2.0.0 Ok") and
// traces them; pipelineReader flushes it before the next wait for the
// client.
func (s *mailSession) send(lines ...string) error {
	s.raw.SetWriteDeadline(time.Now().Add(s.srv.opts.Timeout))
	if err := s.writeLines(lines...); err != nil {
		s.writeFailed = true
		return err
	}
	return nil
}

func (s *mailSession) writeLines(lines ...string) error {
	for _, l := range lines {
		s.trace(smtpwire.Received, l)
		s.bw.WriteString(l)
		if _, err := s.bw.WriteString("\r\n"); err != nil {
			return err
		}
	}
	return nil
}

// sendMulti writes a multi-line reply: "250-first", ..., "250 last".
func (s *mailSession) sendMulti(code int, texts ...string) error {
	lines := make([]string, len(texts))
	for i, t := range texts {
		sep := "-"
		if i == len(texts)-1 {
			sep = " "
		}
		lines[i] = strconv.Itoa(code) + sep + t
	}
	return s.send(lines...)
}

// readLine reads one line of at most limit octets, line ending included,
// within the idle timeout, and returns it without its CRLF (or bare LF).
// A longer line is read to its end a buffer at a time and dropped, and
// errMailLineTooLong returned with the line's first octets, for the trace.
func (s *mailSession) readLine(limit int) (string, error) {
	if err := s.armRead(); err != nil {
		return "", err
	}
	var line []byte
	tooLong := false
	for {
		frag, err := s.br.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return "", err
		}
		switch {
		case tooLong:
		case len(line)+len(frag) > limit:
			tooLong = true
			line = append(line, frag[:min(len(frag), traceLineLimit)]...)
		default:
			line = append(line, frag...)
		}
		if err == nil {
			break
		}
	}
	if tooLong {
		return string(line), errMailLineTooLong
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return string(line), nil
}

// readCommand reads and traces one command line. Trailing blanks are
// dropped, for commands typed by hand.
func (s *mailSession) readCommand() (string, error) {
	line, err := s.readLine(MailCommandLineLimit)
	if errors.Is(err, errMailLineTooLong) {
		s.trace(smtpwire.Sent, line)
		return "", err
	}
	if err != nil {
		return "", err
	}
	line = strings.TrimRight(line, " \t")
	shown := line
	if verb, rest, ok := strings.Cut(line, " "); ok && strings.EqualFold(verb, "AUTH") {
		// Keep "AUTH MECH", hide an initial response.
		if mech, _, ok := strings.Cut(strings.TrimLeft(rest, " "), " "); ok {
			shown = verb + " " + mech + " " + smtpwire.Redacted
		}
	}
	s.trace(smtpwire.Sent, shown)
	return line, nil
}

// mailSyntax is the syntax of each command, for HELP and 501 replies.
var mailSyntax = map[string]string{
	"HELO":     "HELO <hostname>",
	"EHLO":     "EHLO <hostname>",
	"STARTTLS": "STARTTLS",
	"AUTH":     "AUTH <mechanism> [initial-response]",
	"MAIL":     "MAIL FROM:<address> [SIZE=<n>] [BODY=7BIT|8BITMIME|BINARYMIME] [SMTPUTF8] [RET=FULL|HDRS] [ENVID=<xtext>]",
	"RCPT":     "RCPT TO:<address> [NOTIFY=NEVER|SUCCESS,FAILURE,DELAY] [ORCPT=<type>;<xtext>]",
	"DATA":     "DATA",
	"BDAT":     "BDAT <chunk-size> [LAST]",
	"RSET":     "RSET",
	"NOOP":     "NOOP",
	"VRFY":     "VRFY <address>",
	"EXPN":     "EXPN <list>",
	"HELP":     "HELP [<command>]",
	"QUIT":     "QUIT",
}

// syntaxError answers a command with bad arguments.
func (s *mailSession) syntaxError(verb string) error {
	return s.send("501 5.5.4 Syntax: " + mailSyntax[verb])
}

// dispatch runs one command line.
func (s *mailSession) dispatch(line string) error {
	verb, arg, _ := strings.Cut(line, " ")
	verb = strings.ToUpper(verb)
	arg = strings.TrimLeft(arg, " ")
	switch verb {
	case "MAIL", "RCPT", "DATA", "BDAT":
		// Their faults are checked once the address is known, or the
		// chunk read.
	default:
		if handled, err := s.fault(verb, ""); handled {
			return err
		}
	}
	switch verb {
	case "HELO", "EHLO":
		return s.hello(verb, arg)
	case "STARTTLS":
		return s.starttls(arg)
	case "AUTH":
		return s.auth(arg)
	case "MAIL":
		return s.mail(arg)
	case "RCPT":
		return s.rcpt(arg)
	case "DATA":
		return s.data(arg)
	case "RSET":
		if arg != "" {
			return s.syntaxError(verb)
		}
		s.resetTransaction()
		return s.send("250 2.0.0 Ok")
	case "NOOP":
		return s.send("250 2.0.0 Ok") // §4.1.1.9: an argument is ignored
	case "VRFY":
		if arg == "" {
			return s.syntaxError(verb)
		}
		// RFC 5321 §3.5.3: 252 says neither yes nor no.
		return s.send("252 2.5.0 Cannot VRFY user")
	case "EXPN":
		return s.send("502 5.5.1 EXPN not available")
	case "HELP":
		return s.help(arg)
	case "QUIT":
		s.send("221 2.0.0 Bye")
		return errQuit
	case "BDAT":
		return s.bdat(arg)
	case "ETRN", "TURN", "ATRN", "SEND", "SOML", "SAML":
		// Known to SMTP, not implemented here (RFC 5321 §4.2.4).
		return s.send("502 5.5.1 Command not implemented")
	}
	return s.send("500 5.5.2 Error: command not recognized")
}

// resetTransaction forgets the mail transaction, if any.
func (s *mailSession) resetTransaction() {
	s.inMail, s.from, s.to, s.smtpUTF8 = false, "", nil, false
	s.body, s.dsn, s.chunks, s.chunked, s.tooBig = "", DSN{}, nil, false, false
}

// hello answers HELO and EHLO; both reset the transaction (RFC 5321
// §4.1.4). Their replies carry no enhanced code (RFC 2034 §3).
func (s *mailSession) hello(verb, arg string) error {
	if arg == "" {
		return s.syntaxError(verb)
	}
	s.resetTransaction()
	s.helo, s.ehlo = arg, verb == "EHLO"
	s.rec.setHelo(arg)
	o := &s.srv.opts
	greet := o.Hostname + " Hello " + printable(arg, 64)
	if !s.ehlo {
		return s.send("250 " + greet)
	}
	lines := []string{greet, "PIPELINING", "SIZE " + strconv.FormatInt(o.MaxMessageSize, 10),
		"8BITMIME", "BINARYMIME", "CHUNKING", "DSN", "ENHANCEDSTATUSCODES"}
	if o.TLSConfig != nil && !s.tls {
		lines = append(lines, "STARTTLS")
	}
	if s.srv.authOffered(s.tls) {
		lines = append(lines, "AUTH "+strings.Join(o.AuthMechanisms, " "))
	}
	lines = append(lines, "SMTPUTF8", "HELP")
	return s.sendMulti(250, lines...)
}

// printable returns s with characters other than printable ASCII replaced
// by "?", cut to n octets, for echoing client text in a reply.
func printable(s string, n int) string {
	b := []byte(s[:min(len(s), n)])
	for i, c := range b {
		if c < ' ' || c > '~' {
			b[i] = '?'
		}
	}
	return string(b)
}

// starttls answers STARTTLS (RFC 3207 §4) and runs the handshake.
func (s *mailSession) starttls(arg string) error {
	switch {
	case arg != "":
		return s.syntaxError("STARTTLS")
	case s.tls:
		return s.send("503 5.5.1 TLS already active")
	case s.srv.opts.TLSConfig == nil:
		return s.send("454 4.7.0 TLS not available")
	case s.inMail:
		return s.send("503 5.5.1 Error: MAIL transaction in progress")
	}
	// Anything the client sent after STARTTLS came in plain text and may
	// have been injected by a man in the middle (CVE-2011-0411): it is
	// dropped, never run as a command inside TLS (RFC 3207 §6).
	s.br.Discard(s.br.Buffered())
	if err := s.send("220 2.0.0 Ready to start TLS"); err != nil {
		return err
	}
	if err := s.flush(); err != nil {
		return err
	}
	if err := s.startTLS(); err != nil {
		return err
	}
	// RFC 3207 §4.2: forget everything learnt from the client.
	s.resetTransaction()
	s.helo, s.ehlo, s.authUser, s.authMech = "", false, "", ""
	return nil
}

// startTLS runs the TLS server handshake on the raw connection within the
// timeout and reads through TLS from then on.
func (s *mailSession) startTLS() error {
	if err := s.armRead(); err != nil {
		return err
	}
	s.raw.SetWriteDeadline(time.Now().Add(s.srv.opts.Timeout))
	tc := tls.Server(s.raw, s.srv.opts.TLSConfig)
	if err := tc.Handshake(); err != nil {
		s.writeFailed = true // no 421: the client cannot read plain text now
		return err
	}
	s.conn, s.tls = tc, true
	s.bw.Reset(tc)
	s.br = bufio.NewReaderSize(pipelineReader{s}, mailReaderSize)
	s.rec.setTLS(tc.ConnectionState())
	return nil
}

// help answers HELP, with the syntax of one command when asked.
func (s *mailSession) help(arg string) error {
	if arg != "" {
		if syn, ok := mailSyntax[strings.ToUpper(arg)]; ok {
			return s.send("214 2.0.0 " + syn)
		}
		return s.send("504 5.5.4 HELP topic unknown")
	}
	return s.sendMulti(214,
		"2.0.0 Commands:",
		"2.0.0   HELO EHLO STARTTLS AUTH MAIL RCPT DATA BDAT",
		"2.0.0   RSET NOOP VRFY EXPN HELP QUIT",
		"2.0.0 HELP <command> shows its syntax")
}

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
)

// sender runs the session of "smtpsh send", stage by stage. Each stage
// that fails reports why and returns the exit status of the stage.
type sender struct {
	o     *sendOptions
	plan  *sendPlan
	out   *sendOutput
	stdin io.Reader

	c        *smtpwire.Client
	timings  []sendTiming
	lastRecv time.Time // when the last reply line arrived
}

// time records how long stage took since start.
func (s *sender) time(stage string, start time.Time, detail string) {
	s.timings = append(s.timings, sendTiming{stage: stage, d: time.Since(start), detail: detail})
}

// run is the whole session; it returns the exit status.
func (s *sender) run(ctx context.Context) int {
	start := time.Now()
	code := s.session(ctx)
	if s.c != nil {
		s.c.Close()
	}
	s.out.note(sendTimingLines(s.timings, time.Since(start))...)
	return code
}

func (s *sender) session(ctx context.Context) int {
	if code, ok := s.connect(ctx); !ok {
		return code
	}
	if s.o.quitAfter == "connect" {
		s.out.note("--quit-after connect: closing without reading the greeting " +
			"(a client must not speak before it, RFC 5321 §3.1)")
		return repl.ExitOK
	}
	steps := []struct {
		stage string
		run   func(context.Context) (int, bool)
	}{
		{"banner", s.greet},
		{"ehlo", s.ehlo},
		{"starttls", s.startTLS},
		{"auth", s.auth},
		{"mail", s.mail},
		{"rcpt", s.rcpt},
		{"", s.data},
	}
	for _, st := range steps {
		if code, ok := st.run(ctx); !ok {
			return code
		}
		if st.stage != "" && s.o.quitAfter == st.stage {
			s.out.note("--quit-after " + st.stage + ": stopping here; no message is sent")
			break
		}
	}
	s.quit(ctx)
	return repl.ExitOK
}

// trace receives every wire line.
func (s *sender) trace(ev smtpwire.TraceEvent) {
	if ev.Dir == smtpwire.Received {
		s.lastRecv = ev.Time
	}
	s.out.wire(ev)
}

// config is the client configuration, with a dialer that times TCP alone.
func (s *sender) config(tcp *time.Duration) smtpwire.Config {
	cfg := s.o.session.config(s.plan.implicit)
	if s.out.tracing() {
		cfg.Trace = s.trace
	}
	cfg.TraceSecrets = false
	cfg.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		t := time.Now()
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		*tcp = time.Since(t)
		return conn, err
	}
	return cfg
}

func (s *sender) connect(ctx context.Context) (int, bool) {
	var tcp time.Duration
	cfg := s.config(&tcp)
	how := "plain TCP"
	if s.plan.implicit {
		how = "implicit TLS"
	}
	s.out.note(fmt.Sprintf("connecting to %s (%s)", s.plan.addr, how))
	start := time.Now()
	c, err := smtpwire.Connect(ctx, s.plan.addr, &cfg)
	total := time.Since(start)
	if err != nil {
		if tcp > 0 {
			s.timings = append(s.timings, sendTiming{stage: "connect", d: tcp})
			if s.plan.implicit {
				s.timings = append(s.timings, sendTiming{stage: "TLS", d: total - tcp, detail: "handshake failed"})
			}
		}
		return s.failed("connect", err), false
	}
	s.c = c
	s.timings = append(s.timings, sendTiming{stage: "connect", d: tcp, detail: "TCP to " + c.Conn().RemoteAddr().String()})
	if c.TLS() {
		s.timings = append(s.timings, sendTiming{stage: "TLS", d: total - tcp, detail: "handshake (implicit TLS)"})
		s.out.markTLS()
		s.showTLS()
	}
	return 0, true
}

func (s *sender) greet(ctx context.Context) (int, bool) {
	start := time.Now()
	r, err := s.c.Greet(ctx)
	s.time("greeting", start, "")
	if err != nil {
		code := s.failed("greeting", err)
		if r == nil && errors.Is(err, os.ErrDeadlineExceeded) && !s.c.TLS() {
			s.out.explain("no greeting: if this port expects TLS from the first byte (465, 994), use --tls implicit")
		}
		return code, false
	}
	return 0, true
}

func (s *sender) ehlo(ctx context.Context) (int, bool) {
	start := time.Now()
	err := s.c.Hello(ctx, s.o.session.ehlo)
	s.time("EHLO", start, "")
	if err != nil {
		return s.failed("EHLO", err), false
	}
	return 0, true
}

// startTLS upgrades with STARTTLS as --tls asks: required with starttls,
// when offered with auto, never with none or on implicit TLS.
func (s *sender) startTLS(ctx context.Context) (int, bool) {
	mode := s.o.session.tlsMode
	if s.c.TLS() || mode == "none" {
		return 0, true
	}
	if !s.c.Extensions().StartTLS() {
		if mode == "starttls" {
			s.out.fail("--tls starttls: the server does not offer STARTTLS; refusing to go on in plain text")
			s.quit(ctx)
			return repl.ExitTLS, false
		}
		s.out.note("the server offers no STARTTLS: the session stays in plain text")
		return 0, true
	}
	start := time.Now()
	r, err := s.c.Cmd(ctx, "STARTTLS")
	if err != nil {
		s.time("STARTTLS", start, "")
		return s.failed("STARTTLS", err), false
	}
	if r.Code != smtpwire.CodeReady {
		s.time("STARTTLS", start, "")
		re := &smtpwire.ReplyError{Command: "STARTTLS", Code: r.Code, Enhanced: r.Enhanced, Reply: r}
		if mode == "starttls" || r.Code == smtpwire.CodeNotAvailable {
			return s.failed("STARTTLS", re), false
		}
		s.out.warn("STARTTLS was refused (" + r.String() + "); --tls auto goes on in plain text")
		s.out.explainReply("STARTTLS", r)
		return 0, true
	}
	// The reply arrived at lastRecv; the rest is the handshake.
	if s.out.tracing() && !s.lastRecv.IsZero() {
		s.timings = append(s.timings, sendTiming{stage: "STARTTLS", d: s.lastRecv.Sub(start)},
			sendTiming{stage: "TLS", d: time.Since(s.lastRecv), detail: "handshake"})
	} else {
		s.time("STARTTLS", start, "with the TLS handshake")
	}
	s.out.markTLS()
	s.showTLS()
	start = time.Now()
	err = s.c.Hello(ctx, s.o.session.ehlo)
	s.time("EHLO", start, "again inside TLS (RFC 3207 §4.2)")
	if err != nil {
		return s.failed("EHLO", err), false
	}
	return 0, true
}

// auth logs in when --user is given, with the mechanism --auth asks for.
func (s *sender) auth(ctx context.Context) (int, bool) {
	user := s.o.user
	if user == "" {
		if s.o.quitAfter == "auth" {
			s.out.note("no --user: no AUTH")
		}
		return 0, true
	}
	if !s.c.TLS() && !s.o.session.plainAuth && !sendIsLoopback(s.plan.host) {
		s.out.fail("refusing to send the password without TLS to "+s.plan.host,
			"the server offered no STARTTLS, or --tls none was given; use --tls implicit (port 465) or "+
				"--tls starttls (port 587), or --allow-plaintext-auth if anyone on the way may read it")
		s.quit(ctx)
		return repl.ExitAuth, false
	}
	mech, ok := s.mechanism()
	if !ok {
		s.quit(ctx)
		return repl.ExitAuth, false
	}
	if at := strings.LastIndexByte(user, '@'); at > 0 && !strings.EqualFold(user, s.plan.from.Address) {
		s.out.note(fmt.Sprintf("--from %s is not --user %s: QQ, 163, 126 and Aliyun DirectMail accept only "+
			"the address you log in as", s.plan.from.Address, user))
	}
	var m smtpwire.Mechanism
	if mech == "PLAIN" {
		m = smtpwire.PlainAuth("", user, s.plan.password)
	} else {
		m = smtpwire.LoginAuth(user, s.plan.password)
	}
	start := time.Now()
	err := s.c.Auth(ctx, m)
	s.time("AUTH", start, mech)
	if err == nil {
		return 0, true
	}
	var re *smtpwire.ReplyError
	if errors.As(err, &re) && re.Code >= 500 {
		s.out.fail(fmt.Sprintf("the server refused the login of %s with AUTH %s: %s", user, mech, re.Reply.String()))
		s.out.explainReply("AUTH", re.Reply)
		s.quit(ctx)
		return repl.ExitAuth, false
	}
	return s.failed("AUTH", err), false
}

// mechanism picks PLAIN or LOGIN: the one --auth names, or with auto
// the best the server offers: PLAIN (one round trip), then LOGIN.
func (s *sender) mechanism() (string, bool) {
	ext := s.c.Extensions()
	offered := ext.AuthMechanisms()
	if s.o.auth != "auto" {
		mech := strings.ToUpper(s.o.auth)
		if !ext.SupportsAuth(mech) {
			s.out.warn(fmt.Sprintf("the server does not offer AUTH %s (offered: %s); trying it anyway as --auth asks",
				mech, sendOrNone(offered)))
		}
		return mech, true
	}
	for _, mech := range []string{"PLAIN", "LOGIN"} {
		if ext.SupportsAuth(mech) {
			return mech, true
		}
	}
	if len(offered) == 0 {
		hint := "it may offer AUTH only after STARTTLS, or on another port (465 or 587)"
		if s.c.TLS() {
			hint = "it may take mail without login from this address, or offer AUTH on another port (465 or 587)"
		}
		s.out.fail("--user "+s.o.user+": the server offers no AUTH here", hint)
		return "", false
	}
	s.out.fail("the server offers AUTH "+strings.Join(offered, " ")+"; smtpsh logs in with PLAIN or LOGIN only",
		"try --auth login or --auth plain, which some servers accept without announcing them")
	return "", false
}

func sendOrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, " ")
}

// mail sends MAIL FROM with the parameters the message needs and the
// server offers: SIZE, BODY=8BITMIME, SMTPUTF8.
func (s *sender) mail(ctx context.Context) (int, bool) {
	ext := s.c.Extensions()
	opts := &smtpwire.MailOptions{}
	if !sendASCII(s.plan.from.Address) || sendAnyNonASCII(s.plan.rcpts) {
		if !ext.SMTPUTF8() {
			s.out.fail("an address is not ASCII, and the server does not offer SMTPUTF8 (RFC 6531) to carry it")
			s.quit(ctx)
			return repl.ExitEnvelope, false
		}
		opts.SMTPUTF8 = true
	}
	if limit, ok := ext.Size(); ok {
		if size, known := s.messageSize(); known {
			opts.Size = size
			if limit > 0 && size > limit {
				s.out.warn(fmt.Sprintf("the message is %s, over the server's limit of %s (SIZE %d): it will be refused",
					sendByteSize(size), sendByteSize(limit), limit))
			}
		}
	}
	if s.plan.data != "" && s.plan.data != "-" {
		if eight, err := sendHas8Bit(s.plan.data); err == nil && eight {
			if ext.EightBitMIME() {
				opts.Body = "8BITMIME"
			} else {
				s.out.warn("the message has 8-bit bytes and the server does not offer 8BITMIME (RFC 6152); " +
					"sending it unchanged as --data asks")
			}
		}
	}
	start := time.Now()
	err := s.c.Mail(ctx, s.plan.from.Address, opts)
	s.time("MAIL", start, "")
	if err != nil {
		return s.failed("MAIL", err), false
	}
	return 0, true
}

// messageSize is the size of the message for SIZE=, as RFC 1870 §3
// counts it: CRLF line endings, no stuffing dots, no terminator. For
// --data the file is scanned (its bare line endings become CRLF on the
// wire); a built message is written to nowhere once (attachments are read
// twice). Standard input cannot be read twice: no SIZE.
func (s *sender) messageSize() (int64, bool) {
	switch {
	case s.plan.data == "-":
		return 0, false
	case s.plan.data != "":
		f, err := os.Open(s.plan.data)
		if err != nil {
			return 0, false
		}
		defer f.Close()
		n, err := sendCRLFSize(f)
		return n, err == nil
	}
	n, err := s.plan.msg.WriteTo(io.Discard)
	return n, err == nil
}

// sendCRLFSize counts r's octets once every bare CR or LF is a CRLF and
// the last line ends with one, as the DATA writer sends them.
func sendCRLFSize(r io.Reader) (int64, error) {
	var n int64
	var prev byte = '\n' // an empty message gains no line ending
	buf := make([]byte, 64<<10)
	for {
		k, err := r.Read(buf)
		for _, c := range buf[:k] {
			switch {
			case c == '\n' && prev != '\r':
				n += 2 // bare LF
			case c == '\n':
				// the LF of a CRLF: counted with its CR
			case c == '\r':
				n += 2 // CR, alone or of a CRLF
			default:
				n++
			}
			prev = c
		}
		if errors.Is(err, io.EOF) {
			if prev != '\n' && prev != '\r' {
				n += 2
			}
			return n, nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// rcpt offers every recipient. Refused ones are reported; the message
// goes to the others. All refused is the end.
func (s *sender) rcpt(ctx context.Context) (int, bool) {
	var refused []string
	for _, to := range s.plan.rcpts {
		start := time.Now()
		err := s.c.Rcpt(ctx, to, nil)
		s.time("RCPT", start, to)
		var re *smtpwire.ReplyError
		switch {
		case err == nil:
			continue
		case errors.As(err, &re) && re.Code != smtpwire.CodeNotAvailable:
			refused = append(refused, to+" ("+re.Reply.String()+")")
			s.out.explainReply("RCPT", re.Reply)
		default:
			return s.failed("RCPT", err), false
		}
	}
	switch {
	case len(refused) == len(s.plan.rcpts):
		s.out.fail("every recipient was refused: " + strings.Join(refused, "; "))
		s.quit(ctx)
		return repl.ExitEnvelope, false
	case len(refused) > 0:
		s.out.warn(fmt.Sprintf("%d of %d recipients refused; the message goes to the others:", len(refused), len(s.plan.rcpts)),
			strings.Join(refused, "\n"))
	}
	return 0, true
}

// data sends DATA and streams the message.
func (s *sender) data(ctx context.Context) (int, bool) {
	if s.plan.msg != nil {
		s.out.note("message: " + s.plan.msg.Structure())
	}
	start := time.Now()
	w, err := s.c.Data(ctx)
	s.time("DATA", start, "")
	if err != nil {
		return s.failed("DATA", err), false
	}
	cw := &sendCounter{w: w}
	s.out.beginData()
	start = time.Now()
	if s.plan.msg != nil {
		_, err = s.plan.msg.WriteTo(cw)
	} else {
		err = s.copyData(cw)
	}
	if err != nil {
		s.out.endData()
		if s.c.Err() != nil {
			return s.failed("message", err), false
		}
		// The message is half sent and SMTP cannot take it back: hang up
		// without the final dot, so the server discards it (RFC 5321 §3.8).
		s.out.fail("writing the message: "+err.Error(),
			"closing the connection without ending the message, so the server discards what it got")
		s.c.Close()
		return repl.ExitMessage, false
	}
	s.time("message", start, sendByteSize(cw.n)+" written")
	end := time.Now()
	err = w.Close()
	s.out.endData()
	s.time("end of data", end, "the last buffered bytes, the final dot, the server's verdict")
	transfer := time.Since(start)
	s.timings = append(s.timings, sendTiming{stage: "transfer", d: transfer,
		detail: sendRate(cw.n, transfer) + " from the first message line to the verdict"})
	if err != nil {
		return s.failed("message", err), false
	}
	s.out.note(fmt.Sprintf("message accepted: %s in %v (%s)", sendByteSize(cw.n), repl.RoundDuration(transfer), sendRate(cw.n, transfer)))
	return 0, true
}

// copyData streams --data into the DATA writer.
func (s *sender) copyData(w io.Writer) error {
	var r io.Reader = s.stdin
	if s.plan.data != "-" {
		f, err := os.Open(s.plan.data)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	_, err := io.Copy(w, bufio.NewReaderSize(r, 32<<10))
	return err
}

// quit ends the session politely, when it can still take a command.
func (s *sender) quit(ctx context.Context) {
	if s.c == nil {
		return
	}
	switch s.c.State() {
	case smtpwire.StateClosed, smtpwire.StateBroken, smtpwire.StateData:
		return
	}
	start := time.Now()
	if err := s.c.Quit(ctx); err != nil {
		var re *smtpwire.ReplyError
		if !errors.As(err, &re) {
			s.out.note("QUIT: " + err.Error())
		}
	}
	s.time("QUIT", start, "")
}

// sendCounter counts the bytes of the message.
type sendCounter struct {
	w io.Writer
	n int64
}

func (c *sendCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// sendHas8Bit reports whether a file holds a byte above 127.
func sendHas8Bit(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := f.Read(buf)
		for _, b := range buf[:n] {
			if b >= 0x80 {
				return true, nil
			}
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}

func sendASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func sendAnyNonASCII(list []string) bool {
	for _, s := range list {
		if !sendASCII(s) {
			return true
		}
	}
	return false
}

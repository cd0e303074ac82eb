package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
)

// sender shows the session of "smtpsh send": smtpwire/submit runs it,
// and sender turns its events and trace into the transcript, the
// timings and the exit status.
type sender struct {
	o     *sendOptions
	plan  *sendPlan
	out   *sendOutput
	stdin io.Reader

	sess     *submit.Session
	c        *smtpwire.Client
	timings  []sendTiming
	lastRecv time.Time // when the last reply line arrived
	tcp      time.Duration
	mech     string             // the AUTH mechanism chosen
	authMech smtpwire.Mechanism // and the mechanism itself, for its notes

	refusedTLS bool // STARTTLS was refused and --tls auto went on (said)
	helo       bool // the server did not know EHLO: the session went on with HELO
}

// time records how long stage took since start.
func (s *sender) time(stage string, start time.Time, detail func(explain.Lang) string) {
	s.timings = append(s.timings, sendTiming{stage: stage, d: time.Since(start), detail: detail})
}

// run is the whole session; it returns the exit status.
func (s *sender) run(ctx context.Context) int {
	start := time.Now()
	code := s.session(ctx)
	if s.c != nil {
		s.c.Close()
	}
	if s.out.tracing() {
		s.out.note(s.out.timingLines(s.timings, time.Since(start))...)
	}
	return code
}

func (s *sender) session(ctx context.Context) int {
	if s.out.tracing() {
		how := s.out.t("send.how_plain")
		if s.plan.implicit {
			how = s.out.t("send.how_implicit")
		}
		s.out.note(s.out.t("send.connecting", "addr", s.plan.addr, "how", how))
	}
	sess, err := submit.Connect(ctx, s.options())
	if err != nil {
		return s.failed("connect", err)
	}
	s.sess, s.c = sess, sess.Client()
	if s.c.TLS() {
		s.out.markTLS()
		s.showTLS()
	}
	if s.o.quitAfter == "connect" {
		s.out.noteMsg("send.quit_connect")
		return repl.ExitOK
	}
	steps := []struct {
		stage, name string // as --quit-after and as errors name it
		run         func(context.Context) error
	}{
		{"banner", "greeting", sess.Greet},
		{"ehlo", "EHLO", sess.Hello},
		{"starttls", "STARTTLS", sess.Secure},
		{"auth", "AUTH", s.login},
	}
	for _, st := range steps {
		if err := st.run(ctx); err != nil {
			return s.failed(st.name, err)
		}
		if st.stage == "starttls" && !s.c.TLS() && !s.refusedTLS && s.o.session.tlsMode != "none" {
			s.out.noteMsg("send.no_starttls")
		}
		if s.o.quitAfter == st.stage {
			s.out.noteMsg("send.quit_stage", "stage", st.stage)
			s.quit(ctx)
			return repl.ExitOK
		}
	}
	code := s.send(ctx)
	if code != repl.ExitOK {
		return code
	}
	if err := s.quitErr(ctx); errors.Is(err, smtpwire.ErrUnexpectedReply) {
		// A second reply to the final dot (or to anything before QUIT):
		// the verdict shown may not be the server's last word.
		code := s.failed("QUIT", err)
		s.out.explain(s.out.t("send.extra_reply"))
		return code
	}
	return repl.ExitOK
}

// options are the session's settings, from the flags.
func (s *sender) options() submit.Options {
	cfg := s.o.session.config(s.plan.implicit)
	if s.out.tracing() {
		cfg.Trace = s.trace
	}
	cfg.TraceSecrets = false
	dial := cfg.DialContext // --proxy
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	cfg.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		t := time.Now()
		conn, err := dial(ctx, network, addr)
		s.tcp = time.Since(t)
		return conn, err
	}
	o := submit.Options{Addr: s.plan.addr, Config: cfg, TLS: tlsPolicy(s.plan.implicit, s.o.session.tlsMode), Events: s.event,
		Pipelining: sendMode(s.o.pipelining), Chunking: sendMode(s.o.chunking)}
	if s.o.user != "" || strings.EqualFold(s.o.auth, "external") {
		o.Auth = s.mechanism
	}
	return o
}

// sendMode reads auto|always|never.
func sendMode(v string) submit.Mode {
	switch v {
	case "never":
		return submit.Never
	case "always":
		return submit.Always
	}
	return submit.Auto
}

// trace receives every wire line.
func (s *sender) trace(ev smtpwire.TraceEvent) {
	if ev.Dir == smtpwire.Received {
		s.lastRecv = ev.Time
	}
	s.out.wire(ev)
}

// event turns the stages of the bring-up into timings and notes.
func (s *sender) event(ev submit.Event) {
	switch ev.Stage {
	case submit.StageConnect:
		if s.tcp > 0 {
			var detail func(explain.Lang) string
			if ev.Err == nil {
				detail = msgDetail("send.timing.tcp_to", "addr", s.sessAddr())
				if strings.HasPrefix(s.plan.addr, "unix:") {
					detail = msgDetail("send.timing.unix_to", "path", strings.TrimPrefix(s.plan.addr, "unix:"))
				}
			}
			s.timings = append(s.timings, sendTiming{stage: "connect", d: s.tcp, detail: detail})
		}
		if s.plan.implicit && s.tcp > 0 {
			detail := msgDetail("send.timing.handshake_implicit")
			if ev.Err != nil {
				detail = msgDetail("send.timing.handshake_failed")
			}
			s.timings = append(s.timings, sendTiming{stage: "TLS", d: ev.Took - s.tcp, detail: detail})
		}
	case submit.StageGreeting:
		s.timings = append(s.timings, sendTiming{stage: "greeting", d: ev.Took})
	case submit.StageHello:
		verb := "EHLO"
		switch {
		case s.c != nil && s.c.LMTP():
			verb = "LHLO"
		case s.helo:
			verb = "HELO"
		}
		s.timings = append(s.timings, sendTiming{stage: verb, d: ev.Took, detail: noteDetail(ev.Note)})
		s.helo = s.helo || ev.Note == submit.NoteHELOFallback
	case submit.StageStartTLS:
		if ev.Err == nil && ev.Reply != nil && ev.Reply.Code == smtpwire.CodeReady && !s.lastRecv.IsZero() {
			// The reply arrived at lastRecv; the rest is the handshake.
			s.timings = append(s.timings, sendTiming{stage: "STARTTLS", d: s.lastRecv.Sub(ev.Start)},
				sendTiming{stage: "TLS", d: ev.Start.Add(ev.Took).Sub(s.lastRecv), detail: msgDetail("send.timing.handshake")})
		} else {
			s.timings = append(s.timings, sendTiming{stage: "STARTTLS", d: ev.Took, detail: noteDetail(ev.Note)})
		}
		if ev.Err == nil && s.c != nil && s.c.TLS() {
			s.out.markTLS()
			s.showTLS()
		}
		if ev.Err == nil && ev.Reply != nil && ev.Reply.Code != smtpwire.CodeReady {
			s.refusedTLS = true
			s.out.warn(s.out.t("send.starttls_plain", "reply", ev.Reply.String()))
			s.out.explainReply("STARTTLS", ev.Reply)
		}
	case submit.StageAuth:
		s.timings = append(s.timings, sendTiming{stage: "AUTH", d: ev.Took, detail: rawDetail(s.mech)})
	case submit.StageQuit:
		s.timings = append(s.timings, sendTiming{stage: "QUIT", d: ev.Took})
	}
}

func (s *sender) sessAddr() string {
	if s.c == nil || s.c.Conn() == nil {
		return s.plan.addr
	}
	return s.c.Conn().RemoteAddr().String()
}

// login is the AUTH stage, with the notes a user needs around it.
func (s *sender) login(ctx context.Context) error {
	if s.o.user == "" && !strings.EqualFold(s.o.auth, "external") {
		if s.o.quitAfter == "auth" {
			s.out.noteMsg("send.no_user")
		}
		return nil
	}
	if at := strings.LastIndexByte(s.o.user, '@'); at > 0 && !strings.EqualFold(s.o.user, s.plan.from.Address) {
		s.out.noteMsg("send.from_not_user", "from", s.plan.from.Address, "user", s.o.user)
	}
	return s.sess.Login(ctx)
}

// errNoMechanism: the reason was already shown.
var errNoMechanism = errors.New("no AUTH mechanism to use")

// mechanism picks the mechanism: the one --auth names, or with auto the
// strongest the server offers that the credentials fit
// (smtpwire.PickMechanism: SCRAM, CRAM-MD5, then PLAIN and LOGIN; OAuth
// with a token). It refuses to send the password without TLS, except to
// loopback or with --allow-plaintext-auth.
func (s *sender) mechanism(ext *smtpwire.Extensions, tls bool) (smtpwire.Mechanism, error) {
	secure := tls || s.o.session.plainAuth || sendIsLoopback(s.plan.host)
	if !secure {
		s.out.fail("refusing to send the password without TLS to "+s.plan.host,
			"the server offered no STARTTLS, or --tls none was given; use --tls implicit (port 465) or "+
				"--tls starttls (port 587), or --allow-plaintext-auth if anyone on the way may read it")
		return nil, errNoMechanism
	}
	cred := s.o.session.conn.credentials(s.o.user, s.plan.password)
	offered := ext.AuthMechanisms()
	mech := ""
	if s.o.auth != "auto" {
		mech = strings.ToUpper(s.o.auth)
		if !ext.SupportsAuth(mech) {
			s.out.warn(fmt.Sprintf("the server does not offer AUTH %s (offered: %s); trying it anyway as --auth asks",
				mech, sendOrNone(offered)))
		}
	} else if len(offered) == 0 {
		hint := "it may offer AUTH only after STARTTLS, or on another port (465 or 587)"
		if tls {
			hint = "it may take mail without login from this address, or offer AUTH on another port (465 or 587)"
		}
		s.out.fail("--user "+s.o.user+": the server offers no AUTH here", hint)
		return nil, errNoMechanism
	} else {
		picked, err := smtpwire.PickMechanism(offered, secure, cred)
		if err != nil {
			var ne *smtpwire.NoMechanismError
			reason := err.Error()
			if errors.As(err, &ne) {
				reason = ne.Reason
			}
			s.out.fail("the server offers AUTH "+strings.Join(offered, " ")+", and none fits: "+reason,
				"try --auth with a mechanism some servers accept without announcing it, such as --auth login")
			return nil, errNoMechanism
		}
		mech = picked
	}
	m, err := smtpwire.NewMechanism(mech, cred)
	if err != nil {
		s.out.fail(err.Error())
		return nil, errNoMechanism
	}
	s.mech, s.authMech = mech, m
	return m, nil
}

func sendOrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, " ")
}

// message is the envelope and body as submit sends them. The body of a
// built message is written by the builder into a pipe as it is sent, so
// attachments are streamed; wait ends that writer.
func (s *sender) message() (m *submit.Message, wait func(), err error) {
	m = &submit.Message{From: s.plan.from.Address, Ret: strings.ToUpper(s.o.dsnRet), EnvID: s.o.envid,
		RequireTLS: s.o.requireTLS}
	var notify []string
	if s.o.dsnNotify != "" {
		notify = strings.Split(strings.ToUpper(s.o.dsnNotify), ",")
	}
	for _, to := range s.plan.rcpts {
		r := submit.Recipient{Addr: to, Notify: notify}
		if notify != nil || s.o.dsnRet != "" || s.o.envid != "" {
			r.ORcpt = to
		}
		m.To = append(m.To, r)
	}
	wait = func() {}
	switch {
	case s.plan.data == "-":
		m.Body, m.Content = s.stdin, submit.ContentUnknown
	case s.plan.data != "":
		f, err := os.Open(s.plan.data)
		if err != nil {
			return nil, nil, err
		}
		if m.Size, m.Content, err = submit.Inspect(f); err != nil {
			f.Close()
			return nil, nil, err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, nil, err
		}
		m.Body, wait = f, func() { f.Close() }
	default:
		// RFC 1870 §3: the size as sent, CRLF line endings; the builder
		// writes CRLF and 7-bit (base64 or quoted-printable) content.
		n, err := s.plan.msg.WriteTo(io.Discard)
		if err != nil {
			return nil, nil, err
		}
		m.Size, m.Content = n, submit.Content7Bit
		pr, pw := io.Pipe()
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, err := s.plan.msg.WriteTo(pw)
			pw.CloseWithError(err)
		}()
		m.Body = pr
		wait = func() {
			pr.CloseWithError(errors.New("the message was not sent"))
			<-done
		}
	}
	return m, wait, nil
}

// send sends the message, or with --quit-after mail or rcpt tries the
// envelope only.
func (s *sender) send(ctx context.Context) int {
	m, wait, err := s.message()
	if err != nil {
		s.out.fail("reading the message: " + err.Error())
		s.quit(ctx)
		return repl.ExitUsage
	}
	defer wait()
	if s.o.quitAfter == "mail" || s.o.quitAfter == "rcpt" {
		through := submit.StageMail
		if s.o.quitAfter == "rcpt" {
			through = submit.StageRcpt
		}
		start := time.Now()
		res, err := s.sess.TryEnvelope(ctx, m, through)
		s.time("envelope", start, msgDetail("send.timing.envelope"))
		if code, ok := s.refused(res, err); !ok {
			return code
		}
		s.out.noteMsg("send.quit_stage", "stage", s.o.quitAfter)
		return repl.ExitOK
	}
	if s.plan.msg != nil {
		s.out.noteMsg("send.message", "structure", s.plan.msg.Structure())
	}
	start := time.Now()
	res, err := s.sess.Send(ctx, m)
	took := time.Since(start)
	how := "send.timing.lockstep"
	switch {
	case res.Pipelined && res.Chunked:
		how = "send.timing.pipelined_bdat"
	case res.Pipelined:
		how = "send.timing.pipelined"
	case res.Chunked:
		how = "send.timing.bdat"
	}
	trips := s.sess.RoundTrips()
	s.timings = append(s.timings, sendTiming{stage: "transfer", d: took, detail: func(l explain.Lang) string {
		t := explain.M("send.timing.trips", "n", strconv.Itoa(trips))
		if trips == 1 {
			t = explain.M("send.timing.trip")
		}
		return explain.M("send.timing.transfer", "size", sendByteSize(res.Bytes, l), "rate", sendRate(res.Bytes, took, l)).
			WithMsg("how", explain.M(how)).WithMsg("trips", t).Text(l)
	}})
	s.out.endData()
	if res != nil && len(res.LMTP) > 0 && !s.lmtpVerdicts(res.LMTP) {
		err = nil // LMTP: delivered to some recipients (the others were warned about)
	}
	if code, ok := s.refused(res, err); !ok {
		return code
	}
	if s.out.tracing() {
		l := s.out.lang
		s.out.noteMsg("send.accepted", "size", sendByteSize(res.Bytes, l), "took", repl.RoundDuration(took).String(), "rate", sendRate(res.Bytes, took, l))
	}
	return repl.ExitOK
}

// refused reports refused recipients and a failed transaction; ok is
// false with the exit status when the message did not go.
func (s *sender) refused(res *submit.Result, err error) (int, bool) {
	var refused []string
	for _, r := range res.Recipients {
		var re *smtpwire.ReplyError
		if errors.As(r.Err, &re) {
			refused = append(refused, r.Addr+" ("+re.Reply.String()+")")
			s.out.explainReply("RCPT", re.Reply)
		}
	}
	if err == nil {
		if len(refused) > 0 {
			s.out.warn(s.out.t("send.refused_some", "n", strconv.Itoa(len(refused)), "total", strconv.Itoa(len(res.Recipients))),
				strings.Join(refused, "\n"))
		}
		return 0, true
	}
	var se *submit.Error
	stage := "message"
	if errors.As(err, &se) {
		switch se.Stage {
		case submit.StageMail:
			stage = "MAIL"
		case submit.StageRcpt:
			stage = "RCPT"
		case submit.StageData:
			stage = "DATA"
		}
	}
	switch {
	case errors.Is(err, submit.ErrNoRecipients):
		s.out.fail(s.out.t("send.refused_all", "list", strings.Join(refused, "; ")))
		s.quit(context.Background())
		return repl.ExitEnvelope, false
	case errors.Is(err, submit.ErrUTF8Unsupported):
		s.out.fail(s.out.t("send.utf8"))
		s.quit(context.Background())
		return repl.ExitEnvelope, false
	case errors.Is(err, submit.ErrTooLarge), errors.Is(err, submit.Err8BitUnsupported),
		errors.Is(err, submit.ErrBinaryUnsupported), errors.Is(err, submit.ErrChunkingUnsupported),
		errors.Is(err, submit.ErrDSNUnsupported), errors.Is(err, submit.ErrRequireTLS):
		why, fix := sendLocalRefusal(err)
		s.out.fail(s.out.t("send.not_sent", "why", s.out.t(why)))
		s.out.explain(s.out.t(fix))
		s.quit(context.Background())
		return repl.ExitMessage, false
	}
	return s.failed(stage, err), false
}

// sendLocalRefusal names, as catalog IDs, why a message was refused
// before MAIL and what to do about it.
func sendLocalRefusal(err error) (why, fix string) {
	switch {
	case errors.Is(err, submit.ErrTooLarge):
		return "send.too_large", "send.fix_too_large"
	case errors.Is(err, submit.Err8BitUnsupported):
		return "send.eight_bit", "send.fix_eight_bit"
	case errors.Is(err, submit.ErrBinaryUnsupported):
		return "send.binary", "send.fix_binary"
	case errors.Is(err, submit.ErrChunkingUnsupported):
		return "send.chunking", "send.fix_chunking"
	case errors.Is(err, submit.ErrDSNUnsupported):
		return "send.dsn", "send.fix_dsn"
	}
	return "send.requiretls", "send.fix_requiretls"
}

// quit ends the session politely, when it can still take a command.
func (s *sender) quit(ctx context.Context) {
	if err := s.quitErr(ctx); err != nil {
		s.out.note("QUIT: " + err.Error())
	}
}

// quitErr sends QUIT when the session can still take a command and
// returns what went wrong other than a negative reply to it.
func (s *sender) quitErr(ctx context.Context) error {
	if s.sess == nil {
		return nil
	}
	switch s.c.State() {
	case smtpwire.StateClosed, smtpwire.StateBroken, smtpwire.StateData:
		return nil
	}
	err := s.sess.Quit(ctx)
	var re *smtpwire.ReplyError
	if errors.As(err, &re) {
		return nil
	}
	return err
}

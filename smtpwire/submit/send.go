package submit

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// Send sends one message. The error is nil when the server accepted the
// message, even if some recipients were refused (Result.Recipients says
// which); otherwise it is an *Error naming the stage.
func (s *Session) Send(ctx context.Context, m *Message) (*Result, error) {
	res := &Result{}
	var out error
	err := s.SendAll(ctx, func(yield func(*Message) bool) { yield(m) }, func(_ *Message, r *Result, err error) bool {
		*res, out = *r, err
		res.Recipients = append([]RcptResult(nil), r.Recipients...)
		return true
	})
	if out == nil {
		out = err
	}
	return res, out
}

// SendAll sends a stream of messages on the session, in order. With
// PIPELINING the end of one message and the next message's MAIL, RCPT and
// DATA leave in one write (RFC 2920 §3.1): one round trip per message.
// done is called once per message, in order, with its result and error
// (as Send returns them); the *Result is reused and valid only during the
// call. SendAll stops when done returns false, when msgs ends, or when the
// session breaks; it returns the error that broke the session, or nil.
func (s *Session) SendAll(ctx context.Context, msgs iter.Seq[*Message], done func(*Message, *Result, error) bool) error {
	var txs [2]txn // the message whose verdict is pending, and the next
	var prev *txn
	i := 0
	for m := range msgs {
		cur := &txs[i%2]
		i++
		cur.reset(m)
		err := s.begin(ctx, cur, prev)
		if prev != nil {
			if !prev.report(done) {
				// Stopped: the message already on its way is still
				// finished, so the session stays in sync for QUIT.
				if cur.finals > 0 && s.c.Err() == nil {
					s.finish(ctx, cur)
				}
				return nil
			}
			prev = nil
		}
		if err != nil && s.c.Err() != nil {
			cur.fail(StageMail, err)
			cur.report(done)
			return s.c.Err()
		}
		if cur.finals > 0 {
			prev = cur // its verdict comes with the next flight
			if !s.pipelined() {
				s.finish(ctx, prev)
				if !prev.report(done) {
					return nil
				}
				prev = nil
			}
			continue
		}
		if !cur.report(done) {
			return nil
		}
		if s.c.Err() != nil {
			return s.c.Err()
		}
	}
	if prev != nil {
		s.finish(ctx, prev)
		prev.report(done)
	}
	return s.c.Err()
}

// txn is one message on its way.
type txn struct {
	m      *Message
	res    Result
	err    error // the message's failure
	mail   bool  // MAIL was accepted
	finals int   // verdict replies queued and unread (".", or one per BDAT)
}

func (t *txn) reset(m *Message) {
	rc := t.res.Recipients[:0]
	*t = txn{m: m}
	t.res.Recipients = rc
}

func (t *txn) fail(st Stage, err error) {
	if t.err == nil {
		t.err = stageErr(st, err)
	}
}

func (t *txn) report(done func(*Message, *Result, error) bool) bool {
	return done(t.m, &t.res, t.err)
}

func (s *Session) pipelined() bool {
	return s.opts.Pipelining != Never && s.c.Extensions().Pipelining()
}

// plan checks what m needs against what the server offers, before
// anything is sent, and returns the MAIL parameters, whether to use BDAT
// and whether the body is sent as binary.
func (s *Session) plan(m *Message) (mo smtpwire.MailOptions, body io.Reader, bdat, binary bool, err error) {
	ext := s.c.Extensions()
	body = m.Body
	if m.RequireTLS {
		info, ok := s.c.TLSInfo()
		if !ok || !info.Verified || !ext.Has("REQUIRETLS") {
			return mo, nil, false, false, ErrRequireTLS
		}
		mo.RequireTLS = true
	}
	utf8 := !ascii(m.From)
	dsn := m.Ret != "" || m.EnvID != ""
	for _, r := range m.To {
		utf8 = utf8 || !ascii(r.Addr)
		dsn = dsn || len(r.Notify) > 0 || r.ORcpt != ""
	}
	if utf8 {
		if !ext.SMTPUTF8() {
			return mo, nil, false, false, ErrUTF8Unsupported
		}
		mo.SMTPUTF8 = true
	}
	if dsn && !ext.DSN() {
		return mo, nil, false, false, ErrDSNUnsupported
	}
	mo.Return, mo.EnvID = m.Ret, m.EnvID
	if limit, ok := ext.Size(); ok && m.Size > 0 {
		mo.Size = m.Size
		if limit > 0 && m.Size > limit {
			return mo, nil, false, false, fmt.Errorf("%w: %d octets, the limit is %d", ErrTooLarge, m.Size, limit)
		}
	}
	switch s.opts.Chunking {
	case Always:
		if !ext.Chunking() {
			return mo, nil, false, false, ErrChunkingUnsupported
		}
		bdat = true
	case Auto:
		bdat = ext.Chunking()
	}
	switch m.Content {
	case ContentBinary:
		if s.opts.Chunking == Never || !ext.Chunking() || !ext.Has("BINARYMIME") {
			return mo, nil, false, false, ErrBinaryUnsupported
		}
		mo.Body, bdat, binary = "BINARYMIME", true, true
	case Content8Bit:
		if !ext.EightBitMIME() {
			return mo, nil, false, false, Err8BitUnsupported
		}
		mo.Body = "8BITMIME"
	case ContentUnknown:
		if ext.EightBitMIME() {
			mo.Body = "8BITMIME"
		} else {
			body = &sevenBit{body}
		}
	}
	return mo, body, bdat, binary, nil
}

// begin sends m's commands, reads their replies and writes its body,
// leaving the verdict queued (t.finals). With pipelining the commands go
// in one flight, and prev's verdict, queued before them, is read first.
func (s *Session) begin(ctx context.Context, t *txn, prev *txn) error {
	c := s.c
	pipe := s.pipelined()
	t.res.Pipelined = pipe
	mo, body, bdat, binary, err := s.plan(t.m)
	if err != nil {
		if prev != nil {
			s.finish(ctx, prev)
		}
		t.fail(StageMail, err)
		return nil
	}
	t.res.Chunked = bdat
	// Small messages go whole into the first flight with BDAT; larger
	// ones wait for MAIL and RCPT first, so a refused envelope costs no
	// transfer.
	chunkNow := pipe && bdat && t.m.Size > 0 && t.m.Size <= int64(s.chunkSize())

	cmds := s.steps[:0]
	defer func() { s.steps = cmds[:0] }()
	if s.needRset {
		s.needRset = false
		cmds = append(cmds, stepRset)
	}
	cmds = append(cmds, stepMail)
	for range t.m.To {
		cmds = append(cmds, stepRcpt)
	}
	if !bdat {
		cmds = append(cmds, stepData)
	}
	rcpt := 0
	queue := func(st step) error {
		switch st {
		case stepRset:
			return c.QueueCommand("RSET")
		case stepMail:
			return c.QueueMail(t.m.From, &mo)
		case stepRcpt:
			r := t.m.To[rcpt]
			rcpt++
			var opts *smtpwire.RcptOptions
			if len(r.Notify) > 0 || r.ORcpt != "" {
				opts = &smtpwire.RcptOptions{Notify: r.Notify, ORcpt: r.ORcpt}
			}
			return c.QueueRcpt(r.Addr, opts)
		}
		return c.QueueCommand("DATA")
	}
	if pipe {
		for _, st := range cmds {
			if err := queue(st); err != nil {
				return s.queueErr(ctx, t, st, err)
			}
		}
		if chunkNow {
			if err := s.chunks(ctx, t, body, binary); err != nil {
				return err
			}
		}
		if err := c.Flush(ctx); err != nil {
			t.fail(StageMail, err)
			return err
		}
		s.trips++
		if prev != nil {
			s.finish(ctx, prev)
			if err := c.Err(); err != nil {
				t.fail(StageMail, err)
				return err
			}
		}
		for _, st := range cmds {
			if err := s.reply(ctx, t, st); err != nil {
				return err
			}
		}
	} else {
		for _, st := range cmds {
			if t.err != nil && st != stepRset {
				break // lockstep: nothing after a refused MAIL, all RCPTs refused
			}
			if err := queue(st); err != nil {
				return s.queueErr(ctx, t, st, err)
			}
			s.trips++
			if err := s.reply(ctx, t, st); err != nil {
				return err
			}
			if st == stepRcpt && rcpt == len(t.m.To) && t.mail && t.res.Accepted() == 0 {
				t.fail(StageRcpt, ErrNoRecipients)
			}
		}
	}
	if t.mail && t.err == nil && t.res.Accepted() == 0 {
		t.fail(StageRcpt, ErrNoRecipients)
	}
	if t.err != nil {
		// Refused before the message: queued BDAT verdicts are drained
		// by finish; otherwise the transaction is cleared with RSET
		// before the next one.
		if t.finals == 0 {
			s.needRset = t.mail
		}
		return nil
	}
	if chunkNow {
		return nil
	}
	if bdat {
		if err := s.chunks(ctx, t, body, binary); err != nil {
			return err
		}
		if !pipe {
			s.trips++
		}
		return c.Flush(ctx)
	}
	before := c.Queued()
	n, err := c.WriteMessage(ctx, body)
	t.res.Bytes = n
	if err != nil {
		t.fail(StageData, err)
		return err
	}
	t.finals = c.Queued() - before // LMTP: one per accepted recipient
	if !pipe {
		s.trips++
	}
	return nil
}

// chunks writes t's body with BDAT; the verdicts stay queued (t.finals).
func (s *Session) chunks(ctx context.Context, t *txn, body io.Reader, binary bool) error {
	before := s.c.Queued()
	n, err := s.c.WriteChunked(ctx, body, s.chunkSize(), binary)
	t.res.Bytes = n
	t.finals = s.c.Queued() - before
	if err != nil {
		t.fail(StageData, err)
	}
	return err
}

// step is one command of a transaction.
type step uint8

const (
	stepRset step = iota
	stepMail
	stepRcpt
	stepData
)

func (st step) stage() Stage {
	switch st {
	case stepRcpt:
		return StageRcpt
	case stepData:
		return StageData
	}
	return StageMail
}

// queueErr handles a command that could not be queued: a CR or LF in an
// address (nothing was written for it), or a broken session. The replies
// to what was queued before it are read, and the transaction cleared.
func (s *Session) queueErr(ctx context.Context, t *txn, st step, err error) error {
	t.fail(st.stage(), err)
	if s.c.Err() != nil {
		return err
	}
	for s.c.Queued() > 0 {
		if _, rerr := s.c.ReadQueued(ctx); rerr != nil {
			return rerr
		}
	}
	s.needRset = true
	return nil
}

// reply reads the reply to one command of t.
func (s *Session) reply(ctx context.Context, t *txn, st step) error {
	c := s.c
	r, err := c.ReadQueued(ctx)
	if err != nil {
		if st == stepRcpt {
			t.res.Recipients = append(t.res.Recipients, RcptResult{Addr: t.m.To[len(t.res.Recipients)].Addr, Err: err})
		}
		t.fail(st.stage(), err)
		return err
	}
	switch st {
	case stepRset:
		// A refused RSET leaves MAIL to say what is wrong.
	case stepMail:
		if r.Code == smtpwire.CodeOK {
			t.mail = true
		} else {
			t.fail(StageMail, replyErr("MAIL FROM:<"+t.m.From+">", r))
		}
	case stepRcpt:
		to := t.m.To[len(t.res.Recipients)].Addr
		rr := RcptResult{Addr: to, Reply: r}
		if r.Code != smtpwire.CodeOK && r.Code != smtpwire.CodeWillForward {
			rr.Err = replyErr("RCPT TO:<"+to+">", r)
		}
		t.res.Recipients = append(t.res.Recipients, rr)
	case stepData:
		if r.Code != smtpwire.CodeStartData {
			if t.mail && t.res.Accepted() == 0 {
				t.fail(StageRcpt, ErrNoRecipients)
			}
			t.fail(StageData, replyErr("DATA", r))
			return nil
		}
		if t.err != nil || t.res.Accepted() == 0 {
			// RFC 2920 §3.1: a server that answers 354 although
			// nothing was accepted gets an empty message, which it
			// must refuse.
			t.fail(StageRcpt, ErrNoRecipients)
			if _, err := c.WriteMessage(ctx, strings.NewReader("")); err != nil {
				return err
			}
			t.finals = 1
		}
	}
	return nil
}

// finish reads t's queued verdicts and records the outcome.
func (s *Session) finish(ctx context.Context, t *txn) {
	for ; t.finals > 0; t.finals-- {
		r, err := s.c.ReadQueued(ctx)
		if err != nil {
			t.fail(StageMessage, err)
			t.finals = 0
			return
		}
		if s.lmtp() {
			t.lmtpReply(r)
		}
		if r.Code != smtpwire.CodeOK && t.err == nil {
			t.fail(StageMessage, replyErr("end of message", r))
		}
		t.res.Reply = r
	}
}

func (s *Session) chunkSize() int {
	if s.opts.ChunkSize > 0 {
		return s.opts.ChunkSize
	}
	return smtpwire.DefaultChunkSize
}

func replyErr(cmd string, r *smtpwire.Reply) error {
	return &smtpwire.ReplyError{Command: cmd, Code: r.Code, Enhanced: r.Enhanced, Reply: r}
}

// TryEnvelope checks an envelope without sending a message: MAIL FROM
// with m's parameters, then (through StageRcpt) each RCPT TO. It leaves
// the transaction open: Reset or Quit ends it, and the server keeps
// nothing (RFC 5321 §4.1.1.5, §4.1.1.10). The Result has the
// per-recipient replies; the error is the MAIL refusal, ErrNoRecipients,
// or a local refusal, as Send would return it.
func (s *Session) TryEnvelope(ctx context.Context, m *Message, through Stage) (*Result, error) {
	res := &Result{}
	mo, _, _, _, err := s.plan(m)
	if err != nil {
		return res, stageErr(StageMail, err)
	}
	c := s.c
	if err := c.Mail(ctx, m.From, &mo); err != nil {
		return res, stageErr(StageMail, err)
	}
	if through == StageRcpt {
		for _, to := range m.To {
			var opts *smtpwire.RcptOptions
			if len(to.Notify) > 0 || to.ORcpt != "" {
				opts = &smtpwire.RcptOptions{Notify: to.Notify, ORcpt: to.ORcpt}
			}
			err := c.Rcpt(ctx, to.Addr, opts)
			if err != nil && !isReply(err) {
				return res, stageErr(StageRcpt, err)
			}
			res.Recipients = append(res.Recipients, RcptResult{Addr: to.Addr, Reply: c.LastReply(), Err: err})
		}
	}
	s.needRset = true
	if through == StageRcpt && res.Accepted() == 0 && len(m.To) > 0 {
		return res, stageErr(StageRcpt, ErrNoRecipients)
	}
	return res, nil
}

// Reset ends an open transaction with RSET (RFC 5321 §4.1.1.5).
func (s *Session) Reset(ctx context.Context) (*smtpwire.Reply, error) {
	err := s.c.Rset(ctx)
	if err == nil {
		s.needRset = false
	}
	if err != nil && !isReply(err) {
		return nil, stageErr(StageMail, err)
	}
	return s.c.LastReply(), err
}

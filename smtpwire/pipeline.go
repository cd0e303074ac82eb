package smtpwire

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Pipelining (RFC 2920). A program queues commands with the Queue
// methods, which only buffer them; Flush writes the whole group in one
// write (one "flight"), and ReadQueued reads the replies one by one, in the
// order the commands were queued, moving the state machine as each reply
// arrives. Without PIPELINING in the server's EHLO the caller must read
// each reply before queueing the next command (which is what the lockstep
// verb methods do).
//
// RFC 2920 §3.1: MAIL, RCPT, RSET and NOOP may appear anywhere in a
// group; DATA, BDAT and QUIT only last (the client waits for DATA's 354
// before the message). The end of a message (the final ".") may start a
// group, so a stream of messages costs one round trip each: "." of one
// message, then MAIL, RCPT... and DATA of the next, in one write.

// queued is a command whose reply has not been read yet.
type queued struct {
	verb string // "MAIL", "RCPT", "DATA", "BDAT", "." (end of data), "RSET", "NOOP", "QUIT"
	last bool   // BDAT ... LAST
}

// Queued returns how many queued commands still wait for their reply.
func (c *Client) Queued() int { return len(c.queue) - c.qhead + len(c.early) }

// queueable fails when a command cannot be queued now.
func (c *Client) queueable(verb string) error {
	if err := c.usable(verb); err != nil {
		return err
	}
	if c.state == StateData {
		return &StateError{Command: verb, State: StateData, Reason: "the server is reading the message: write it first"}
	}
	if err := c.startFlight(); err != nil {
		return err
	}
	if n := len(c.queue); n > c.qhead {
		switch c.queue[n-1].verb {
		case "DATA", "QUIT":
			return &StateError{Command: verb, State: c.state, Reason: c.queue[n-1].verb + " must be the last command of a pipelined group (RFC 2920 §3.1): read its reply first"}
		}
	}
	return nil
}

// startFlight is called before the first command of a group is written
// when no earlier reply is outstanding: the server has nothing to say
// then, and bytes waiting would be taken as the answer to the group's
// first command (see nothingPending).
func (c *Client) startFlight() error {
	if c.qhead < len(c.queue) || len(c.early) > 0 {
		return nil // replies are due: they are matched one by one
	}
	return c.nothingPending()
}

// push records a queued command and traces its line.
func (c *Client) push(q queued, line []byte) {
	if c.qhead == len(c.queue) {
		c.queue, c.qhead = c.queue[:0], 0
	}
	c.queue = append(c.queue, q)
	if c.cfg.Trace != nil {
		// Traced when the group is complete (traceQueued), so that the
		// trace can tell which commands left in one write.
		c.traceLater = append(c.traceLater, string(line))
	}
}

// traceQueued reports the queued command lines not yet traced, as one
// flight when there are several. It runs before any other line is
// traced and when the group is written.
func (c *Client) traceQueued() {
	if len(c.traceLater) == 0 {
		return
	}
	lines := c.traceLater
	c.traceLater = nil
	flight := 0
	if len(lines) > 1 {
		c.flights++
		flight = c.flights
	}
	now := time.Now()
	for _, l := range lines {
		c.cfg.Trace(TraceEvent{Time: now, Dir: Sent, Line: l, TLS: c.tls != nil, Flight: flight, FlightLen: len(lines)})
	}
}

// writeLine writes b, which must end in CRLF, to the buffer.
func (c *Client) writeLine(b []byte) {
	c.bw.Write(b) //nolint:errcheck // sticky; Flush reports it
}

// QueueMail buffers MAIL FROM:<from> with opts (RFC 5321 §4.1.1.2).
func (c *Client) QueueMail(from string, opts *MailOptions) error {
	if err := c.queueable("MAIL"); err != nil {
		return err
	}
	if err := checkLine(from); err != nil {
		return err
	}
	b := c.bw.AvailableBuffer()
	b = append(b, "MAIL FROM:<"...)
	b = append(b, from...)
	b = append(b, '>')
	b = opts.appendParams(b)
	if bytes.ContainsAny(b, "\r\n") { // the parameters too: a CR or LF must not end the line early
		return ErrLineBreak
	}
	c.push(queued{verb: "MAIL"}, b)
	c.writeLine(append(b, '\r', '\n'))
	return nil
}

// QueueRcpt buffers RCPT TO:<to> with opts (RFC 5321 §4.1.1.3).
func (c *Client) QueueRcpt(to string, opts *RcptOptions) error {
	if err := c.queueable("RCPT"); err != nil {
		return err
	}
	if err := checkLine(to); err != nil {
		return err
	}
	b := c.bw.AvailableBuffer()
	b = append(b, "RCPT TO:<"...)
	b = append(b, to...)
	b = append(b, '>')
	b = opts.appendParams(b)
	c.push(queued{verb: "RCPT"}, b)
	c.writeLine(append(b, '\r', '\n'))
	return nil
}

// QueueCommand buffers a command without arguments: DATA, RSET, NOOP or
// QUIT. DATA and QUIT end a group.
func (c *Client) QueueCommand(verb string) error {
	switch verb {
	case "DATA", "RSET", "NOOP", "QUIT":
	default:
		return fmt.Errorf("smtpwire: %q cannot be queued: only MAIL, RCPT, DATA, BDAT, RSET, NOOP and QUIT can be pipelined", verb)
	}
	if err := c.queueable(verb); err != nil {
		return err
	}
	b := append(c.bw.AvailableBuffer(), verb...)
	c.push(queued{verb: verb}, b)
	c.writeLine(append(b, '\r', '\n'))
	return nil
}

// Flush writes every buffered command (and message data) to the server,
// within Timeouts.Command and ctx.
func (c *Client) Flush(ctx context.Context) error {
	if err := c.usable("flush"); err != nil && c.data == nil {
		return err
	}
	if c.cfg.Trace != nil {
		c.traceQueued()
	}
	if c.bw.Buffered() == 0 {
		return nil
	}
	timeout := c.cfg.Timeouts.Command
	if err := c.arm(ctx, timeout); err != nil {
		return c.fail(err)
	}
	if err := c.bw.Flush(); err != nil {
		return c.fail(ioError(ctx, "flush", timeout, err))
	}
	return nil
}

// ReadQueued reads the reply to the oldest queued command and moves the
// state machine, as Cmd does for a command sent alone. Like Cmd it returns
// an error only when no well-formed reply arrived; a negative reply is a
// successful read, for the caller to match to its command. Buffered
// commands are flushed first.
func (c *Client) ReadQueued(ctx context.Context) (*Reply, error) {
	if len(c.early) > 0 {
		r := c.early[0]
		c.early = c.early[1:]
		return r, nil
	}
	if c.qhead == len(c.queue) {
		return nil, &StateError{Command: "read", State: c.State(), Reason: "no queued command waits for a reply"}
	}
	if c.broken != nil {
		return nil, &BrokenError{Cause: c.broken}
	}
	if err := c.Flush(ctx); err != nil {
		return nil, err
	}
	q := c.queue[c.qhead]
	c.qhead++
	return c.readQueued(ctx, q)
}

func (c *Client) readQueued(ctx context.Context, q queued) (*Reply, error) {
	timeout := c.timeoutFor(q.verb)
	if q.verb == "." || q.verb == "BDAT" {
		timeout = c.cfg.Timeouts.DataTerm
	}
	if err := c.arm(ctx, timeout); err != nil {
		return nil, c.fail(err)
	}
	r, err := c.readReply()
	if err != nil {
		return nil, c.fail(ioError(ctx, q.name(), timeout, err))
	}
	c.observeQueued(q, r)
	return r, nil
}

// name is how errors name the command.
func (q queued) name() string {
	switch q.verb {
	case ".":
		return "end of DATA"
	case "BDAT":
		if q.last {
			return "BDAT LAST"
		}
	}
	return q.verb
}

// observeQueued moves the state machine after the reply to q.
func (c *Client) observeQueued(q queued, r *Reply) {
	if r.Code == CodeNotAvailable {
		c.Close() // RFC 5321 §3.8
		return
	}
	switch q.verb {
	case ".":
		// RFC 5321 §4.1.1.4: the reply to the terminator ends the
		// transaction, accepted or not.
		c.state = c.idle()
	case "BDAT":
		// RFC 3030 §4.2: a failed BDAT fails the transaction; LAST ends it.
		if q.last || r.Code != CodeOK {
			c.state = c.idle()
		}
	default:
		c.transact(q.verb, r, "")
	}
	c.last = r
}

// arm sets the connection deadline for one step from timeout and ctx. It
// keeps one registration per context (context.AfterFunc) across calls
// rather than one per step, so a long pipelined stream costs no
// allocation per message; a cancel between steps fails the next one.
func (c *Client) arm(ctx context.Context, timeout time.Duration) error {
	c.watch(ctx)
	dl := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(dl) {
		dl = d
	}
	c.conn.SetDeadline(dl)
	// A cancel that came before the deadline was set had its interrupt
	// overwritten: look again.
	return ctx.Err()
}

// watch makes ctx's cancellation interrupt blocked I/O on the connection.
func (c *Client) watch(ctx context.Context) {
	if c.watched == ctx {
		return
	}
	c.unwatch()
	c.watched = ctx
	if ctx.Done() == nil {
		return
	}
	raw := c.raw
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		raw.SetDeadline(time.Unix(1, 0))
		close(done)
	})
	c.unwatchFn = func() {
		if !stop() {
			<-done // the interrupt ran or is running: let it finish
		}
	}
}

// unwatch ends the registration of watch.
func (c *Client) unwatch() {
	if c.unwatchFn != nil {
		c.unwatchFn()
		c.unwatchFn = nil
	}
	c.watched = nil
}

// appendParams appends the MAIL parameters without allocating.
func (o *MailOptions) appendParams(b []byte) []byte {
	if o == nil {
		return b
	}
	if o.Size > 0 {
		b = append(b, " SIZE="...)
		b = strconv.AppendInt(b, o.Size, 10)
	}
	if o.Body != "" {
		b = append(b, " BODY="...)
		b = append(b, o.Body...)
	}
	if o.SMTPUTF8 {
		b = append(b, " SMTPUTF8"...)
	}
	if o.RequireTLS {
		b = append(b, " REQUIRETLS"...)
	}
	if o.Return != "" {
		b = append(b, " RET="...)
		b = append(b, o.Return...)
	}
	if o.EnvID != "" {
		b = append(b, " ENVID="...)
		b = appendXtext(b, o.EnvID)
	}
	return b
}

// appendParams appends the RCPT parameters without allocating.
func (o *RcptOptions) appendParams(b []byte) []byte {
	if o == nil {
		return b
	}
	for i, n := range o.Notify {
		if i == 0 {
			b = append(b, " NOTIFY="...)
		} else {
			b = append(b, ',')
		}
		b = append(b, n...)
	}
	if o.ORcpt != "" {
		b = append(b, " ORCPT=rfc822;"...)
		b = appendXtext(b, o.ORcpt)
	}
	return b
}

// appendXtext appends s as RFC 3461 §4 xtext: "+", "=" and the octets
// outside "!" to "~" become "+XX".
func appendXtext(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch < '!' || ch > '~' || ch == '+' || ch == '=' {
			b = append(b, '+', hex[ch>>4], hex[ch&0xf])
			continue
		}
		b = append(b, ch)
	}
	return b
}

// WriteMessage sends the message r after DATA's 354: dot-stuffed, line
// endings made CRLF, ended by "." (RFC 5321 §4.5.2). The reply to the
// final dot is queued, not read: queue the next transaction's commands,
// then ReadQueued returns it first (RFC 2920 §3.1). It returns the
// message's length as read from r. An error while writing breaks the
// session: a half-sent message cannot be taken back.
func (c *Client) WriteMessage(ctx context.Context, r io.Reader) (int64, error) {
	if err := c.usable("DATA"); err != nil {
		return 0, err
	}
	if c.state != StateData {
		return 0, &StateError{Command: "DATA", State: c.state, Reason: "the server has not answered DATA with 354"}
	}
	if err := c.arm(ctx, c.cfg.Timeouts.DataBlock); err != nil {
		return 0, c.fail(err)
	}
	if c.dot == nil {
		var onLine func([]byte)
		if c.cfg.Trace != nil {
			onLine = c.traceBody
		}
		c.dot = newDotWriter(c.bw, onLine)
	}
	n, err := c.copyBody(ctx, c.dot, r)
	if err == nil {
		// A verdict sent before the final "." answers nothing (RFC 5321
		// §4.1.1.4): the server must wait for the end of the data.
		if perr := c.nothingPending(); perr != nil {
			return n, perr
		}
		err = c.dot.finish()
	}
	if err != nil {
		return n, c.fail(dataWriteError(ctx, c.cfg.Timeouts.DataBlock, err))
	}
	c.state = c.idle()
	// LMTP: one reply per accepted recipient (RFC 2033 §4.2).
	for range c.finalReplies() {
		c.queue = append(c.queue, queued{verb: "."})
	}
	c.rcpts = c.rcpts[:0]
	return n, nil
}

// copyBody copies r into w through the client's buffer, refreshing the
// write deadline at most once a second, or every quarter of DataBlock when
// that is shorter (RFC 5321 §4.5.3.2.5 bounds each block, not the whole
// message).
func (c *Client) copyBody(ctx context.Context, w io.Writer, r io.Reader) (int64, error) {
	if c.copyBuf == nil {
		c.copyBuf = make([]byte, 32<<10)
	}
	var n int64
	last := time.Now()
	for {
		k, rerr := r.Read(c.copyBuf)
		if k > 0 {
			if now := time.Now(); now.Sub(last) > min(time.Second, c.cfg.Timeouts.DataBlock/4) {
				last = now
				if err := c.arm(ctx, c.cfg.Timeouts.DataBlock); err != nil {
					return n, err
				}
			}
			if _, err := w.Write(c.copyBuf[:k]); err != nil {
				return n, err
			}
			n += int64(k)
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, &BodyError{Err: rerr}
		}
	}
}

// BodyError reports that reading the message body failed (not the
// connection): the session is broken all the same, since the message was
// half sent.
type BodyError struct{ Err error }

func (e *BodyError) Error() string { return "smtpwire: reading the message: " + e.Err.Error() }
func (e *BodyError) Unwrap() error { return e.Err }

package smtpwire

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// DataWriter streams a message in the DATA phase. It dot-stuffs lines
// that start with "." and turns bare CR and bare LF into CRLF as it goes
// (RFC 5321 §4.5.2, §2.3.8), so no content can end the message early; its
// memory does not grow with the message. Close ends the message.
type DataWriter struct {
	c       *Client
	ctx     context.Context
	stop    func() bool // ends the context watch
	dot     *dotWriter
	lastSet time.Time
	closed  bool
	err     error
	replies []RecipientReply // LMTP: one per accepted recipient
}

// DataWriter returns the writer for the message after the server has
// answered DATA with 354, which is how a session typed with Cmd reaches
// the message; Data does both steps for a program.
func (c *Client) DataWriter(ctx context.Context) (*DataWriter, error) {
	if err := c.usable("DATA"); err != nil {
		return nil, err
	}
	if c.state != StateData {
		return nil, &StateError{Command: "DATA", State: c.state, Reason: "the server has not answered DATA with 354"}
	}
	w := &DataWriter{c: c, ctx: ctx}
	var onLine func([]byte)
	if c.cfg.Trace != nil {
		onLine = c.traceBody
	}
	w.dot = newDotWriter(c.bw, onLine)
	// A cancelled context interrupts a write blocked on a server that
	// stopped reading, as it interrupts every other exchange.
	w.stop = context.AfterFunc(ctx, func() { c.conn.SetWriteDeadline(time.Unix(1, 0)) })
	c.data = w
	return w, nil
}

// Write encodes p onto the connection. Each write must complete within
// Timeouts.DataBlock (RFC 5321 §4.5.3.2.5) and the context given to Data.
func (w *DataWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.closed {
		return 0, errors.New("smtpwire: write after the DATA writer was closed")
	}
	if err := w.ctx.Err(); err != nil {
		return 0, w.failed(err)
	}
	// Refresh the write deadline at most once a second, or a quarter of
	// DataBlock when that is shorter: cheap enough for small writes, and
	// still a bound on every blocked write.
	if now := time.Now(); now.Sub(w.lastSet) > min(time.Second, w.c.cfg.Timeouts.DataBlock/4) {
		w.lastSet = now
		dl := now.Add(w.c.cfg.Timeouts.DataBlock)
		if d, ok := w.ctx.Deadline(); ok && d.Before(dl) {
			dl = d
		}
		w.c.conn.SetWriteDeadline(dl)
		// A cancel that came between the check above and this refresh
		// had its interrupt overwritten: look again.
		if err := w.ctx.Err(); err != nil {
			return 0, w.failed(err)
		}
	}
	n, err := w.dot.Write(p)
	if err != nil {
		return n, w.failed(dataWriteError(w.ctx, w.c.cfg.Timeouts.DataBlock, err))
	}
	return n, nil
}

func (w *DataWriter) failed(err error) error {
	w.stop()
	w.err = err
	w.c.data = nil
	return w.c.fail(err)
}

// Close ends the message with CRLF "." CRLF (adding a line break first if
// the body did not end with one), waits for the server's verdict within
// Timeouts.DataTerm (RFC 5321 §4.5.3.2.6) and ends the transaction. A
// negative verdict is a *ReplyError; the session goes on either way. A
// second Close is an error.
func (w *DataWriter) Close() error {
	if w.closed {
		return errors.New("smtpwire: DATA writer already closed")
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	w.stop()
	c := w.c
	c.data = nil
	if err := w.ctx.Err(); err != nil {
		return c.fail(err)
	}
	// A verdict sent before the final "." answers nothing (RFC 5321
	// §4.1.1.4: the reply comes after the end of the data).
	if err := c.nothingPending(); err != nil {
		return err
	}
	timeout := c.cfg.Timeouts.DataTerm
	end := c.deadline(w.ctx, timeout)
	defer end()
	if err := w.dot.finish(); err != nil {
		return c.fail(ioError(w.ctx, "end of DATA", timeout, err))
	}
	if err := c.bw.Flush(); err != nil {
		return c.fail(ioError(w.ctx, "end of DATA", timeout, err))
	}
	if c.LMTP() {
		return w.closeLMTP(timeout)
	}
	r, err := c.readReply()
	if err != nil {
		return c.fail(ioError(w.ctx, "end of DATA", timeout, err))
	}
	// RFC 5321 §4.1.1.4: the reply to the terminator ends the transaction,
	// whether the message was accepted or not.
	c.state = c.idle()
	if r.Code == CodeNotAvailable {
		c.Close()
	}
	return expect("DATA (end of message)", r, nil, CodeOK)
}

// dataWriteError describes a failed write of the message. RFC 5321
// §4.5.3.2.5: each write must complete in time; one that does not means
// the server no longer reads, which "no reply" would misname.
func dataWriteError(ctx context.Context, timeout time.Duration, err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() == nil {
		return fmt.Errorf("smtpwire: DATA: the server stopped reading the message: nothing could be written for %v: %w", timeout, err)
	}
	return ioError(ctx, "DATA", timeout, err)
}

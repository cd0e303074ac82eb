package smtpwire

import (
	"bytes"
	"context"
	"io"
	"strconv"
)

// DefaultChunkSize is the BDAT chunk size WriteChunked uses for 0: large
// enough that the BDAT lines cost nothing, small enough that memory stays
// flat whatever the message size.
const DefaultChunkSize = 1 << 20

// bdatWindow bounds the BDAT commands whose replies are not read yet:
// past it WriteChunked reads the oldest reply before it writes on, so
// neither side's socket buffer fills with unread replies (a server that
// cannot write its replies stops reading chunks).
const bdatWindow = 8

// WriteChunked sends the message r with BDAT (CHUNKING, RFC 3030) in
// chunks of at most size octets (0 means DefaultChunkSize), the last one
// as "BDAT n LAST". Nothing is dot-stuffed: BDAT counts octets. Unless
// binary (BODY=BINARYMIME, RFC 3030 §3), line endings are made CRLF as
// for DATA, since 7BIT and 8BITMIME content is still lines (RFC 3030 §4.2);
// a full chunk is cut after its last line break, so lines shorter than
// half a chunk are never split between chunks and a trace shows whole
// lines. Chunks are at least 4 KiB. The replies are queued,
// like those of MAIL and RCPT before it: read them with ReadQueued, one per
// BDAT. It may be called right after queueing MAIL and RCPT, without
// reading their replies (RFC 3030 §4.2 allows BDAT to be pipelined). It
// returns the message's length as read from r.
func (c *Client) WriteChunked(ctx context.Context, r io.Reader, size int, binary bool) (int64, error) {
	if err := c.queueable("BDAT"); err != nil {
		return 0, err
	}
	if size <= 0 {
		size = DefaultChunkSize
	}
	// At least 4 KiB: a line of the RFC's 1000 octets (§4.5.3.1.6) then
	// always fits in what is left of a chunk after its last line break.
	size = max(size, 4096)
	if cap(c.chunk) < size {
		c.chunk = make([]byte, 0, size)
	}
	if c.copyBuf == nil {
		c.copyBuf = make([]byte, 32<<10)
	}
	chunk := c.chunk[:0]
	// Reads of at most a quarter chunk: after a cut, the partial line
	// carried over leaves room to read more before the next chunk goes.
	in := c.copyBuf
	if len(in) > size/4 {
		in = in[:size/4]
	}
	var conv crlfState
	var n int64
	pending := 0 // BDATs written by this call whose replies are unread
	eof := false
	for !eof {
		// Fill the chunk; CRLF conversion at most doubles what is read.
		for !eof && len(chunk)+2*len(in) <= size {
			k, err := r.Read(in)
			n += int64(k)
			if binary {
				chunk = append(chunk, in[:k]...)
			} else {
				chunk = conv.append(chunk, in[:k])
			}
			if err == io.EOF {
				eof = true
			} else if err != nil {
				return n, c.fail(&BodyError{Err: err})
			}
		}
		if eof && !binary {
			chunk = conv.end(chunk)
		}
		send, rest := chunk, []byte(nil)
		if !eof && !binary {
			if i := bytes.LastIndexByte(chunk, '\n'); i >= 0 && i < len(chunk)-1 {
				send, rest = chunk[:i+1], chunk[i+1:]
			}
		}
		if err := c.arm(ctx, c.cfg.Timeouts.DataBlock); err != nil {
			return n, c.fail(err)
		}
		if err := c.writeBDAT(send, eof); err != nil {
			return n, c.fail(ioError(ctx, "BDAT", c.cfg.Timeouts.DataBlock, err))
		}
		pending++
		chunk = append(chunk[:0], rest...)
		for !eof && pending > bdatWindow {
			if err := c.readAhead(ctx); err != nil {
				return n, err
			}
			pending--
		}
	}
	c.chunk = chunk[:0]
	return n, nil
}

// writeBDAT writes one BDAT command and its chunk and queues its reply.
func (c *Client) writeBDAT(chunk []byte, last bool) error {
	b := append(c.bw.AvailableBuffer(), "BDAT "...)
	b = strconv.AppendInt(b, int64(len(chunk)), 10)
	if last {
		b = append(b, " LAST"...)
	}
	c.push(queued{verb: "BDAT", last: last}, b)
	c.writeLine(append(b, '\r', '\n'))
	if c.cfg.Trace != nil {
		for line := range bytes.Lines(chunk) {
			c.traceBody(bytes.TrimSuffix(bytes.TrimSuffix(line, []byte{'\n'}), []byte{'\r'}))
		}
	}
	_, err := c.bw.Write(chunk)
	return err
}

// readAhead reads the oldest queued reply into early, for ReadQueued to
// return later in order.
func (c *Client) readAhead(ctx context.Context) error {
	if err := c.Flush(ctx); err != nil {
		return err
	}
	q := c.queue[c.qhead]
	c.qhead++
	r, err := c.readQueued(ctx, q)
	if err != nil {
		return err
	}
	c.early = append(c.early, r)
	return nil
}

// crlfState turns bare CR and bare LF into CRLF across calls, as the DATA
// writer does (RFC 5321 §2.3.8), without dot-stuffing.
type crlfState struct{ cr bool } // the last byte was a CR, already written as CRLF

func (s *crlfState) append(dst, p []byte) []byte {
	for len(p) > 0 {
		if s.cr {
			s.cr = false
			if p[0] == '\n' {
				p = p[1:]
				continue
			}
		}
		i := bytes.IndexAny(p, "\r\n")
		if i < 0 {
			return append(dst, p...)
		}
		dst = append(dst, p[:i]...)
		dst = append(dst, '\r', '\n')
		s.cr = p[i] == '\r' // an LF right after it belongs to it
		p = p[i+1:]
	}
	return dst
}

// end closes the last line with CRLF if the message did not end with one.
func (s *crlfState) end(dst []byte) []byte {
	s.cr = false
	if len(dst) > 0 && dst[len(dst)-1] != '\n' {
		dst = append(dst, '\r', '\n')
	}
	return dst
}

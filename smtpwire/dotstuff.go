package smtpwire

import (
	"bufio"
	"bytes"
)

// dotTraceMax caps how many bytes of one line a dotWriter keeps for its
// onLine hook. A longer line is reported as its first dotTraceMax bytes
// followed by dotTraceMark, whether or not it arrived split across Writes,
// so the trace buffer never grows with line length.
const dotTraceMax = 1000

// dotTraceMark is appended to a traced line that was cut at dotTraceMax bytes.
// (A line that really ends in "..." is not distinguishable from a cut one;
// the hook is for tracing, not for reconstructing the message.)
const dotTraceMark = "..."

var crByte = []byte{'\r'}

// dotWriter encodes a message body for the SMTP DATA phase.
//
// It applies the transparency procedure of RFC 5321 §4.5.2: a line that
// begins with "." gets one more "." in front, so no line of the body can be
// taken for the end-of-data indicator. It also enforces RFC 5321 §2.3.8: the
// only line ending on the wire is CRLF. A bare LF becomes CRLF, a bare CR (a
// CR not followed by LF) becomes CRLF, and CRLF stays CRLF.
//
// Together these rules make it impossible for any input to put
// "\r\n.\r\n" on the wire before finish: this closes the "SMTP smuggling"
// class of bugs, where a body containing "\n.\n", "\r.\r", "\n.\r\n" or
// "\r\n.\n" is forwarded verbatim and a receiving server that is lenient
// about line endings ends the DATA phase early and reads the rest of the
// body as new SMTP commands (a second, forged message). Since every "."
// line is stuffed after the line endings are normalised, a lenient receiver
// sees the same line structure as a strict one.
//
// The state (beginning of line, a CR waiting for a possible LF) carries
// across Write calls, so the input may be split at any byte: a CR at the end
// of one Write and an LF at the start of the next are one CRLF.
//
// Write is built for throughput: it finds line ends with bytes.IndexByte,
// remembers the next known CR and LF positions so each byte is scanned once,
// and passes runs of already-correct CRLF lines to the bufio.Writer as one
// span, breaking a span only where a byte must be inserted (the CR of a bare
// LF, the LF of a bare CR, the extra "." of a stuffed line). Output is
// assembled directly in the bufio.Writer's free buffer space
// (AvailableBuffer), so inserting a byte costs an append rather than a
// Write call. Write does not allocate.
//
// A dotWriter is not safe for concurrent use.
type dotWriter struct {
	w      *bufio.Writer
	onLine func(line []byte)

	bol    bool // the next input byte starts a line
	skipLF bool // the last input byte was a CR, already sent as CRLF; an LF next is part of it

	// Trace state, used only when onLine != nil.
	line    []byte // the current line so far (after stuffing), at most dotTraceMax bytes (+ mark)
	lineLen int    // full length of the current line so far; > 0 iff a line is in progress
}

// newDotWriter returns a dotWriter that writes the encoded body to w.
//
// onLine, if not nil, is called once for every complete line written, in
// order: the line as sent (after stuffing), without its CRLF, including the
// final "." line written by finish. A line split across Writes is reported
// whole; a line longer than dotTraceMax bytes is reported as its first
// dotTraceMax bytes followed by dotTraceMark. The slice is only valid during
// the call and must not be modified or retained (it may alias the caller's
// Write argument). With a nil onLine no per-line work is done.
func newDotWriter(w *bufio.Writer, onLine func(line []byte)) *dotWriter {
	d := &dotWriter{w: w, onLine: onLine, bol: true}
	if onLine != nil {
		d.line = make([]byte, 0, dotTraceMax+len(dotTraceMark))
	}
	return d
}

// Write encodes p and passes it to the bufio.Writer. It returns len(p) on
// success. Nothing is flushed beyond what the bufio.Writer flushes by itself
// when its buffer fills.
//
// On error it returns 0 and the bufio.Writer's (sticky) error. How much of
// the body reached the connection is then unknown, and the DATA transaction
// cannot be completed: the connection must be dropped.
func (d *dotWriter) Write(p []byte) (int, error) {
	n := len(p)
	if n == 0 {
		return 0, nil
	}
	i := 0 // scan position
	if d.skipLF {
		d.skipLF = false
		if p[0] == '\n' {
			i = 1 // second half of a CRLF already written
		}
	}

	// out is the free space of the bufio.Writer's buffer; output is appended
	// to it and committed with a Write of out itself (which copy skips,
	// since source and destination are the same memory).
	out := d.w.AvailableBuffer()
	trace := d.onLine != nil
	bol := d.bol
	start := i       // p[start:i] is verbatim output not yet in out
	ls := i          // start in p of the current line (0 if it began in an earlier Write)
	stuffed := false // the current line began in this Write and was dot-stuffed
	nl, cr := -1, -1 // next '\n' and '\r' at or after i; n when there is none
	// CRLF run fast path (see below): tried when untraced, while the last
	// line ending seen was a CRLF, and not again before noRunUntil.
	crlf := !trace
	noRunUntil := 0

	for i < n {
		if bol {
			bol = false
			ls = i
			stuffed = false
			if p[i] == '.' {
				// RFC 5321 §4.5.2: prepend a "."; the line's own "."
				// starts the next span.
				out = d.put(out, p[start:i])
				out = d.putByte(out, '.')
				start = i
				stuffed = true
			}
			if crlf && i >= noRunUntil {
				// Step from LF to LF while each LF has a CR before it and
				// the next line does not start with ".": one IndexByte per
				// line instead of two. A bare CR inside the run would go
				// unnoticed, so count the run's CRs in one pass: if there
				// are exactly as many as lines, all are CRLFs and the run
				// is correct as it stands. Otherwise the general loop
				// below redoes it (at most once: noRunUntil).
				j, lines := i, 0
				for {
					k := bytes.IndexByte(p[j:], '\n')
					if k < 1 || p[j+k-1] != '\r' {
						// No more LF (the rest is a partial line), or a
						// bare LF: leave that line to the general loop.
						noRunUntil = n
						if k >= 0 {
							noRunUntil = j + k + 1
						}
						break
					}
					j += k + 1
					lines++
					if j < n && p[j] == '.' {
						break
					}
				}
				if lines > 0 {
					if bytes.Count(p[i:j], crByte) == lines {
						i, bol = j, true
						continue
					}
					noRunUntil = j
				}
			}
		}
		if nl < i {
			if nl = bytes.IndexByte(p[i:], '\n'); nl < 0 {
				nl = n
			} else {
				nl += i
			}
		}
		if cr < i {
			if cr = bytes.IndexByte(p[i:], '\r'); cr < 0 {
				cr = n
			} else {
				cr += i
			}
		}
		var end int // end of the line's content in p
		switch {
		case nl < cr:
			crlf = false
			// Bare LF (a CR right before it would have been found first):
			// insert a CR; the LF starts the next span.
			out = d.put(out, p[start:nl])
			out = d.putByte(out, '\r')
			start, end, i = nl, nl, nl+1
		case cr < n:
			end = cr
			if cr+1 < n && p[cr+1] == '\n' {
				i = cr + 2 // CRLF: stays in the span
				crlf = !trace
				break
			}
			crlf = false
			// Bare CR, or a CR ending p: append an LF now and, in the
			// second case, drop an LF that begins the next Write.
			i = cr + 1
			out = d.put(out, p[start:i])
			out = d.putByte(out, '\n')
			start = i
			d.skipLF = i == n
		default:
			// No line end in the rest of p.
			i = n
			continue
		}
		bol = true
		if trace {
			d.traceEnd(p[ls:end], stuffed)
		}
	}
	if trace && !bol {
		d.traceAdd(p[ls:], stuffed)
	}
	d.bol = bol
	out = d.put(out, p[start:])
	if _, err := d.w.Write(out); err != nil {
		return 0, err
	}
	return n, nil
}

// put appends b to out, the free space of d.w's buffer. If b does not fit,
// out is committed, b is written through d.w and the new free space
// returned. Errors are left to the bufio.Writer, which keeps them and
// returns them from every later call (the final commit in Write).
func (d *dotWriter) put(out, b []byte) []byte {
	if len(b) <= cap(out)-len(out) {
		return append(out, b...)
	}
	return d.spill(out, b)
}

// putByte is put for a single byte.
func (d *dotWriter) putByte(out []byte, c byte) []byte {
	if len(out) < cap(out) {
		return append(out, c)
	}
	return d.spillByte(out, c)
}

func (d *dotWriter) spill(out, b []byte) []byte {
	d.w.Write(out) //nolint:errcheck // sticky in d.w, reported by Write's final commit
	d.w.Write(b)   //nolint:errcheck
	return d.w.AvailableBuffer()
}

func (d *dotWriter) spillByte(out []byte, c byte) []byte {
	d.w.Write(out)   //nolint:errcheck // sticky in d.w, reported by Write's final commit
	d.w.WriteByte(c) //nolint:errcheck
	return d.w.AvailableBuffer()
}

// finish ends the body: a CRLF if the body did not end with a line break,
// then the end-of-data line ".\r\n" (RFC 5321 §4.5.2). It does not flush the
// bufio.Writer. Afterwards the dotWriter is back in its initial state and
// may encode another body.
func (d *dotWriter) finish() error {
	if !d.bol {
		d.w.WriteString("\r\n") //nolint:errcheck // sticky, reported below
		if d.onLine != nil {
			d.traceFlush()
		}
	}
	d.bol, d.skipLF = true, false
	_, err := d.w.WriteString(".\r\n")
	if d.onLine != nil {
		d.line = append(d.line[:0], '.')
		d.lineLen = 1
		d.traceFlush()
	}
	return err
}

// traceEnd reports the line whose last part (up to, not including, its line
// break) is seg. stuffed tells that the line began in this Write and got an
// extra ".".
func (d *dotWriter) traceEnd(seg []byte, stuffed bool) {
	if d.lineLen == 0 && !stuffed && len(seg) <= dotTraceMax {
		d.onLine(seg) // whole line in p as sent: no copy
		return
	}
	d.traceAdd(seg, stuffed)
	d.traceFlush()
}

// traceAdd appends seg (preceded by the stuffed ".") to the current line,
// keeping at most dotTraceMax bytes.
func (d *dotWriter) traceAdd(seg []byte, stuffed bool) {
	if stuffed {
		d.traceAppend([]byte{'.'})
	}
	d.traceAppend(seg)
}

func (d *dotWriter) traceAppend(b []byte) {
	if room := dotTraceMax - len(d.line); room > 0 {
		d.line = append(d.line, b[:min(room, len(b))]...)
	}
	d.lineLen += len(b)
}

// traceFlush reports the current line and starts a new one.
func (d *dotWriter) traceFlush() {
	if d.lineLen > dotTraceMax {
		d.line = append(d.line, dotTraceMark...)
	}
	d.onLine(d.line)
	d.line = d.line[:0]
	d.lineLen = 0
}

package smtptest

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// bdatReadSize is how much of a chunk is read at a time.
const bdatReadSize = 32 << 10

// bdat answers BDAT <chunk-size> [LAST] (RFC 3030 §2). The chunk's octets
// follow the command at once, with no reply in between, so they are read
// whatever the verdict, and each BDAT gets exactly one reply: a client may
// pipeline its chunks (§4.2). After a failed chunk the transaction is
// reset, so the chunks that follow get 503 until a new MAIL.
func (s *mailSession) bdat(arg string) error {
	size, last, ok := parseBDAT(arg)
	if !ok {
		// The chunk size is unknown, so nothing can be skipped: what
		// follows is read as commands, as it would be by any server.
		return s.syntaxError("BDAT")
	}
	var refuse string
	switch {
	case !s.inMail:
		refuse = "503 5.5.1 Error: need MAIL command"
	case len(s.to) == 0:
		refuse = "503 5.5.1 Error: need RCPT command"
	}
	keep := refuse == "" && !s.tooBig
	if err := s.readChunk(size, keep); err != nil {
		return err
	}
	if refuse != "" {
		return s.send(refuse)
	}
	s.chunked = true
	if s.tooBig {
		s.resetTransaction()
		return s.send(replyTooBig)
	}
	if handled, err := s.fault("BDAT", ""); handled {
		s.resetTransaction()
		return err
	}
	if !last {
		return s.send("250 2.0.0 " + strconv.FormatInt(size, 10) + " octets received")
	}
	body := s.chunks
	s.chunks = nil
	return s.finish(body, "")
}

// parseBDAT parses "<chunk-size> [LAST]": chunk-size is 1*DIGIT (RFC 3030
// §2), LAST in any case.
func parseBDAT(arg string) (size int64, last, ok bool) {
	f := strings.Fields(arg)
	if len(f) == 0 || len(f) > 2 || strings.Trim(f[0], "0123456789") != "" {
		return 0, false, false
	}
	size, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, false, false
	}
	if len(f) == 2 {
		if !strings.EqualFold(f[1], "LAST") {
			return 0, false, false
		}
		last = true
	}
	return size, last, true
}

// readChunk reads size octets of chunk data, appending them to s.chunks
// if keep and the message stays within MaxMessageSize (else s.tooBig is
// set and the rest dropped). The data is traced line by line.
func (s *mailSession) readChunk(size int64, keep bool) error {
	buf := make([]byte, min(size, bdatReadSize))
	var partial string // the traced line not yet ended
	for size > 0 {
		if err := s.armRead(); err != nil {
			return err
		}
		n, err := io.ReadFull(s.br, buf[:min(size, int64(len(buf)))])
		if err != nil {
			return err
		}
		size -= int64(n)
		data := buf[:n]
		if keep && !s.tooBig {
			if int64(len(s.chunks)+n) > s.srv.opts.MaxMessageSize {
				s.tooBig, s.chunks = true, nil
			} else {
				s.chunks = append(s.chunks, data...)
			}
		}
		partial = s.traceChunk(partial, data)
	}
	if partial != "" {
		s.trace(smtpwire.Sent, partial)
	}
	return nil
}

// traceChunk traces the complete lines of partial+data and returns the
// unfinished rest, kept to the trace's line limit.
func (s *mailSession) traceChunk(partial string, data []byte) string {
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			if len(partial) <= traceLineLimit {
				partial += string(data[:min(len(data), traceLineLimit+1)])
			}
			return partial
		}
		s.trace(smtpwire.Sent, strings.TrimRight(partial+string(data[:i]), "\r"))
		partial, data = "", data[i+1:]
	}
	return partial
}

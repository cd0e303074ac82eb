package smtptest

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
)

// Sink is a minimal SMTP server that accepts every message and keeps
// none, like Postfix's smtp-sink: for benchmarks and load tests of
// clients, where the server must cost as little as possible. It offers
// PIPELINING (answering a whole group before it flushes, RFC 2920 §3.2),
// CHUNKING and BINARYMIME (RFC 3030), 8BITMIME, SMTPUTF8, DSN and SIZE;
// no TLS and no AUTH. It counts what it received.
type Sink struct {
	ln       net.Listener
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	closed   bool
	Messages atomic.Int64 // messages accepted
	Bytes    atomic.Int64 // message octets received (after un-stuffing for DATA)
	// NoChunking, NoPipelining, No8BitMIME, NoSMTPUTF8 and NoDSN leave
	// those keywords out of EHLO, and MaxSize (0: none) is its SIZE; set
	// them before the first connection.
	NoChunking, NoPipelining, No8BitMIME, NoSMTPUTF8, NoDSN bool
	MaxSize                                                 int64
}

// NewSink listens on a loopback port and serves until Close.
func NewSink() (*Sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Sink{ln: ln, conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Addr is the sink's "host:port".
func (s *Sink) Addr() string { return s.ln.Addr().String() }

// Close stops the sink and waits for its connections to end.
func (s *Sink) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

func (s *Sink) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			conn.Close()
			return
		}
		s.conns[conn] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(conn)
			s.mu.Lock()
			delete(s.conns, conn)
			s.mu.Unlock()
			conn.Close()
		}()
	}
}

func (s *Sink) ehlo() string {
	e := "250-sink.smtpsh.test\r\n"
	if !s.NoPipelining {
		e += "250-PIPELINING\r\n"
	}
	if !s.NoChunking {
		e += "250-CHUNKING\r\n250-BINARYMIME\r\n"
	}
	for _, k := range []struct {
		off  bool
		line string
	}{{s.No8BitMIME, "8BITMIME"}, {s.NoSMTPUTF8, "SMTPUTF8"}, {s.NoDSN, "DSN"}} {
		if !k.off {
			e += "250-" + k.line + "\r\n"
		}
	}
	return e + "250 SIZE " + strconv.FormatInt(s.MaxSize, 10) + "\r\n"
}

// serve runs one session. Replies are buffered and flushed only when no
// more input is waiting, so a pipelined group gets its replies in one
// write, as RFC 2920 §3.2 recommends.
func (s *Sink) serve(conn net.Conn) {
	br := bufio.NewReaderSize(conn, 64<<10)
	bw := bufio.NewWriterSize(conn, 16<<10)
	bw.WriteString("220 sink.smtpsh.test ESMTP smtpsh sink\r\n")
	bw.Flush()
	var bdatFailed bool
	for {
		if br.Buffered() == 0 {
			if bw.Flush() != nil {
				return
			}
		}
		line, err := br.ReadSlice('\n')
		if err != nil {
			return
		}
		line = bytes.TrimRight(line, "\r\n")
		verb := line
		if i := bytes.IndexByte(line, ' '); i >= 0 {
			verb = line[:i]
		}
		switch {
		case eqFold(verb, "EHLO"):
			bw.WriteString(s.ehlo())
		case eqFold(verb, "HELO"), eqFold(verb, "RSET"), eqFold(verb, "NOOP"):
			bw.WriteString("250 2.0.0 Ok\r\n")
		case eqFold(verb, "MAIL"):
			bdatFailed = false
			bw.WriteString("250 2.1.0 Ok\r\n")
		case eqFold(verb, "RCPT"):
			bw.WriteString("250 2.1.5 Ok\r\n")
		case eqFold(verb, "DATA"):
			bw.WriteString("354 End data with <CR><LF>.<CR><LF>\r\n")
			bw.Flush()
			n, err := discardData(br)
			if err != nil {
				return
			}
			s.Bytes.Add(n)
			s.Messages.Add(1)
			bw.WriteString("250 2.0.0 Ok: queued\r\n")
		case eqFold(verb, "BDAT"):
			f := bytes.Fields(line)
			var n int64 = -1
			if len(f) >= 2 {
				n, _ = strconv.ParseInt(string(f[1]), 10, 64)
			}
			if n < 0 {
				bw.WriteString("501 5.5.4 Syntax: BDAT size [LAST]\r\n")
				return // the chunk cannot be skipped: end the session
			}
			if _, err := io.CopyN(io.Discard, br, n); err != nil {
				return
			}
			s.Bytes.Add(n)
			last := len(f) == 3 && eqFold(f[2], "LAST")
			switch {
			case bdatFailed:
				bw.WriteString("503 5.5.1 Error: earlier BDAT failed\r\n")
			case last:
				s.Messages.Add(1)
				bw.WriteString("250 2.0.0 Ok: queued\r\n")
			default:
				bw.WriteString("250 2.0.0 Ok: " + strconv.FormatInt(n, 10) + " octets\r\n")
			}
		case eqFold(verb, "QUIT"):
			bw.WriteString("221 2.0.0 Bye\r\n")
			bw.Flush()
			return
		default:
			bw.WriteString("502 5.5.2 Error: command not recognized\r\n")
		}
	}
}

// discardData reads a DATA body up to its final dot and returns its
// length without the stuffing dots and the terminator.
func discardData(br *bufio.Reader) (int64, error) {
	var n int64
	bol := true
	for {
		line, err := br.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull {
			return n, err
		}
		if bol && len(line) > 0 && line[0] == '.' {
			if bytes.Equal(line, []byte(".\r\n")) {
				return n, nil
			}
			line = line[1:]
		}
		n += int64(len(line))
		bol = err == nil
	}
}

func eqFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		if b[i]|0x20 != s[i]|0x20 {
			return false
		}
	}
	return true
}

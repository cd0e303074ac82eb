package smtptest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// A Server serves a Script to one client on a loopback address.
//
// It listens on 127.0.0.1 on a free port, accepts a single connection, stops
// listening and plays the script on it with Script.Serve. A second
// connection is refused.
type Server struct {
	script *Script
	opts   ServeOptions
	ln     *net.TCPListener
	done   chan struct{} // closed when the session is over
	err    error         // the session's outcome, set before done is closed
	gaveUp atomic.Bool   // stopWaitingForClient shortened the accept deadline

	mu     sync.Mutex
	conn   net.Conn // the accepted connection, for Close
	closed bool
}

// NewServer checks the script, starts listening on 127.0.0.1:0 and serves
// the script to the first client that connects. A nil opts means the
// defaults; opts.Timeout also bounds the wait for that client.
func NewServer(script *Script, opts *ServeOptions) (*Server, error) {
	if err := script.validate(); err != nil {
		return nil, err
	}
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, fmt.Errorf("smtptest: listening: %w", err)
	}
	s := &Server{script: script, opts: opts.withDefaults(), ln: ln, done: make(chan struct{})}
	ln.SetDeadline(time.Now().Add(s.opts.Timeout))
	go s.run()
	return s, nil
}

func (s *Server) run() {
	defer close(s.done)
	conn, err := s.ln.Accept()
	s.ln.Close()
	if err != nil {
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded) && s.gaveUp.Load():
			s.err = fmt.Errorf("%s: no client connected before the client code returned: %w", s.script.name(), err)
		case errors.Is(err, os.ErrDeadlineExceeded):
			s.err = fmt.Errorf("%s: no client connected within %v: %w", s.script.name(), s.opts.Timeout, err)
		default:
			s.err = fmt.Errorf("%s: no client connected: %w", s.script.name(), err)
		}
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		conn.Close()
		s.err = fmt.Errorf("%s: server closed: %w", s.script.name(), net.ErrClosed)
		return
	}
	s.conn = conn
	s.mu.Unlock()
	s.err = s.script.Serve(conn, &s.opts)
}

// Addr returns the address to dial, "127.0.0.1:port".
func (s *Server) Addr() string {
	return s.ln.Addr().String()
}

// ClientTLSConfig returns a new client configuration that trusts the test CA
// (see CertPool) and has ServerName "localhost", so that a client verifies
// the server certificate for real. It does not apply when
// ServeOptions.TLSConfig presents a certificate of its own.
func (s *Server) ClientTLSConfig() *tls.Config {
	return &tls.Config{RootCAs: CertPool(), ServerName: "localhost"}
}

// Wait waits for the session to end and returns its outcome: nil if the
// client followed the script, otherwise the error from Script.Serve, or an
// error saying that no client connected within the timeout.
func (s *Server) Wait() error {
	<-s.done
	return s.err
}

// Close stops the server: it stops listening, closes the connection if a
// session is in progress and waits for the session goroutine to return.
// It returns nil; the session's outcome is reported by Wait. Close may be
// called more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	conn := s.conn
	s.mu.Unlock()
	s.ln.Close()
	if conn != nil {
		conn.Close()
	}
	<-s.done
	return nil
}

// stopWaitingForClient shortens the wait for a client to connect to a
// grace period, for when the client code has returned: a connection it made
// is already queued and will still be accepted.
func (s *Server) stopWaitingForClient() {
	const grace = time.Second
	if s.opts.Timeout > grace {
		s.gaveUp.Store(true)
		s.ln.SetDeadline(time.Now().Add(grace))
	}
}

package smtptest

import (
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"sync"
	"time"
)

// SOCKS5Server is a minimal SOCKS5 proxy (RFC 1928) on loopback for
// tests: CONNECT only, to IPv4 addresses and names (ATYP 01 and 03, a
// name is resolved here, "localhost" as 127.0.0.1), with no
// authentication or, when User is set, RFC 1929 user/password. A target
// that refuses gets reply 05 (connection refused).
type SOCKS5Server struct {
	ln         net.Listener
	user, pass string

	mu      sync.Mutex
	targets []string
	wg      sync.WaitGroup
}

// NewSOCKS5Server listens on 127.0.0.1 on a free port; user "" means no
// authentication.
func NewSOCKS5Server(user, pass string) (*SOCKS5Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &SOCKS5Server{ln: ln, user: user, pass: pass}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(conn)
			}()
		}
	}()
	return s, nil
}

// Addr is the proxy's host:port.
func (s *SOCKS5Server) Addr() string { return s.ln.Addr().String() }

// Targets returns the host:port of each CONNECT request, as the client
// sent it (an address, or a name for socks5h).
func (s *SOCKS5Server) Targets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.targets...)
}

// Close stops the proxy and waits for its connections to end.
func (s *SOCKS5Server) Close() error {
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

func (s *SOCKS5Server) serve(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	b := make([]byte, 256)
	read := func(n int) []byte {
		if _, err := io.ReadFull(conn, b[:n]); err != nil {
			return nil
		}
		return b[:n]
	}
	if h := read(2); h == nil || h[0] != 5 || read(int(h[1])) == nil {
		return
	}
	if s.user == "" {
		conn.Write([]byte{5, 0})
	} else {
		conn.Write([]byte{5, 2})
		h := read(2)
		if h == nil {
			return
		}
		u := string(read(int(h[1])))
		n := read(1)
		if n == nil {
			return
		}
		p := string(read(int(n[0])))
		if u != s.user || p != s.pass {
			conn.Write([]byte{1, 1})
			return
		}
		conn.Write([]byte{1, 0})
	}
	h := read(4)
	if h == nil {
		return
	}
	var host string
	switch h[3] {
	case 1:
		host = net.IP(read(4)).String()
	case 3:
		n := read(1)
		if n == nil {
			return
		}
		host = string(read(int(n[0])))
	default:
		conn.Write([]byte{5, 8, 0, 1, 0, 0, 0, 0, 0, 0}) // address type not supported
		return
	}
	p := read(2)
	if p == nil {
		return
	}
	port := strconv.Itoa(int(binary.BigEndian.Uint16(p)))
	s.mu.Lock()
	s.targets = append(s.targets, net.JoinHostPort(host, port))
	s.mu.Unlock()
	if host == "localhost" {
		host = "127.0.0.1"
	}
	up, err := net.DialTimeout("tcp", net.JoinHostPort(host, port), 5*time.Second)
	if err != nil {
		conn.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	defer up.Close()
	conn.Write([]byte{5, 0, 0, 1, 127, 0, 0, 1, 0, 0})
	conn.SetDeadline(time.Time{})
	done := make(chan struct{})
	go func() { io.Copy(up, conn); up.Close(); close(done) }()
	io.Copy(conn, up)
	conn.Close()
	<-done
}

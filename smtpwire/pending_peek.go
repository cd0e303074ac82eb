//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package smtpwire

import (
	"net"
	"syscall"
)

// peeker asks the kernel, without blocking and without consuming
// anything, whether a socket has bytes to read (MSG_PEEK with
// MSG_DONTWAIT). It is made once per connection, so the question costs
// one system call and no allocation.
type peeker struct {
	rc  syscall.RawConn
	fn  func(fd uintptr) bool // p.peek, bound once
	buf [1]byte
	n   int
	err error
}

// newPeeker returns a peeker for conn's socket, or nil when conn has no
// socket to ask.
func newPeeker(conn net.Conn) *peeker {
	sc, ok := rawConn(conn).(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	p := &peeker{rc: rc}
	p.fn = p.peek
	return p
}

func (p *peeker) peek(fd uintptr) bool {
	p.n, _, p.err = syscall.Recvfrom(int(fd), p.buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	return true
}

// readable reports bytes waiting; known is false when it cannot tell.
func (p *peeker) readable() (readable, known bool) {
	if p == nil {
		return false, false
	}
	if err := p.rc.Read(p.fn); err != nil {
		return false, false
	}
	if p.err != nil {
		// EAGAIN: nothing there. Anything else is for the exchange to see.
		return false, true
	}
	return p.n > 0, true
}

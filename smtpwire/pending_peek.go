//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package smtpwire

import (
	"net"
	"syscall"
)

// socketReadable asks the kernel, without blocking and without consuming
// anything, whether the connection has bytes to read (MSG_PEEK with
// MSG_DONTWAIT). known is false when conn has no socket to ask.
func socketReadable(conn net.Conn) (readable, known bool) {
	sc, ok := rawConn(conn).(syscall.Conn)
	if !ok {
		return false, false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false, false
	}
	var buf [1]byte
	var n int
	var rerr error
	if err := rc.Read(func(fd uintptr) bool {
		n, _, rerr = syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return true
	}); err != nil {
		return false, false
	}
	if rerr != nil {
		// EAGAIN: nothing there. Anything else is for the exchange to see.
		return false, true
	}
	return n > 0, true
}

//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package smtpwire

import "net"

// socketReadable cannot ask the kernel here: nothingPending falls back to
// a read with a very short deadline.
func socketReadable(net.Conn) (readable, known bool) { return false, false }

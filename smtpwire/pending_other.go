//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package smtpwire

import "net"

// peeker cannot ask the kernel here: nothingPending falls back to a read
// with a very short deadline.
type peeker struct{}

func newPeeker(net.Conn) *peeker { return nil }

func (p *peeker) readable() (readable, known bool) { return false, false }

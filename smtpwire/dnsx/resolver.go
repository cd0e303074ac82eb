package dnsx

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// Defaults for a zero Resolver. The wait is that of glibc's resolver
// (resolv.conf(5) "timeout") cut to 3 seconds; three tries is its
// "attempts:2" plus one.
const (
	DefaultTimeout = 3 * time.Second
	DefaultRetries = 2
	// MaxCNAMEHops bounds the CNAME records followed for one lookup.
	MaxCNAMEHops = 8
)

// A Resolver sends queries to one recursive DNS server. The zero value
// uses the system's server with the default timeout and retries. A
// Resolver is safe for concurrent use.
type Resolver struct {
	// Server is the resolver's address, "host:port" or a bare IP address
	// (port 53). Empty means the system's: the first nameserver line of
	// /etc/resolv.conf, else 127.0.0.1:53.
	Server string
	// Timeout is the wait for a reply to each query sent; default
	// DefaultTimeout. A context deadline that comes first wins.
	Timeout time.Duration
	// Retries is how many times a UDP query that got no usable reply is
	// sent again; 0 means DefaultRetries and a negative value none.
	Retries int
	// Dial replaces the dialer (for tests and proxies). It is called with
	// network "udp" or "tcp" and the server's address.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// ServerAddr returns the address queries go to, as "host:port".
func (r *Resolver) ServerAddr() (string, error) {
	if r.Server == "" {
		return systemServer(), nil
	}
	if _, _, err := net.SplitHostPort(r.Server); err == nil {
		return r.Server, nil
	}
	return ParseServer(r.Server)
}

func (r *Resolver) timeout() time.Duration {
	if r.Timeout > 0 {
		return r.Timeout
	}
	return DefaultTimeout
}

func (r *Resolver) tries() int {
	switch {
	case r.Retries < 0:
		return 1
	case r.Retries == 0:
		return 1 + DefaultRetries
	}
	return 1 + r.Retries
}

func (r *Resolver) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if r.Dial != nil {
		return r.Dial(ctx, network, addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// errNoReply ends a UDP try that got no usable reply in time.
var errNoReply = errors.New("no reply")

// exchange asks server one question and returns the reply that answers it.
// Over UDP it tries r.tries() times, each with a fresh ID and socket, and
// goes over TCP when the reply is truncated (RFC 1035 §4.2.1, RFC 7766
// §5). A server that answers FORMERR or NOTIMP to a query with EDNS0 is
// asked once more without it (RFC 6891 §7).
func (r *Resolver) exchange(ctx context.Context, server string, q dnsmessage.Question) (*reply, error) {
	edns := true
	var rejected *MalformedError // the last bad UDP reply dropped
	tries := r.tries()
	for try := 0; try < tries; try++ {
		rep, bad, err := r.tryUDP(ctx, server, q, edns)
		if bad != nil {
			rejected = bad
		}
		if errors.Is(err, errNoReply) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if rep.Header.Truncated {
			return r.tryTCP(ctx, server, q, edns)
		}
		rc := rep.Header.RCode
		if edns && (rc == dnsmessage.RCodeFormatError || rc == dnsmessage.RCodeNotImplemented) {
			edns = false
			try-- // a new question, not a retry
			continue
		}
		return rep, nil
	}
	if rejected != nil {
		return nil, rejected
	}
	return nil, &TimeoutError{Name: presentName(q.Name), Type: typeName(q.Type), Server: server, Network: "udp", Tries: tries, Wait: r.timeout()}
}

// newQuery packs q with a fresh random ID: the ID and the source port are
// all that keep an off-path attacker from forging a reply (RFC 5452 §9.2).
func newQuery(q dnsmessage.Question, edns bool) (id uint16, msg []byte, err error) {
	var b [2]byte
	rand.Read(b[:])
	id = binary.BigEndian.Uint16(b[:])
	msg, err = buildQuery(id, q, edns)
	return id, msg, err
}

// arm sets conn's deadline to the sooner of timeout and ctx's deadline,
// and makes a cancelled ctx end any read at once. The returned function
// undoes the latter.
func arm(ctx context.Context, conn net.Conn, timeout time.Duration) (stop func() bool) {
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn.SetDeadline(deadline)
	return context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
}

// tryUDP sends one query over UDP and waits for a reply that answers it.
// Replies that cannot be parsed or that answer something else are dropped
// (bad says why the last one was) and the wait goes on until the timeout,
// which returns errNoReply. Any other error ends the exchange.
func (r *Resolver) tryUDP(ctx context.Context, server string, q dnsmessage.Question, edns bool) (rep *reply, bad *MalformedError, err error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, r.ioError(ctx, server, err)
	}
	id, msg, err := newQuery(q, edns)
	if err != nil {
		return nil, nil, fmt.Errorf("dnsx: building the query for %s: %w", presentName(q.Name), err)
	}
	conn, err := r.dial(ctx, "udp", server)
	if err != nil {
		return nil, nil, fmt.Errorf("dnsx: %s: %w", server, err)
	}
	defer conn.Close()
	stop := arm(ctx, conn, r.timeout())
	defer stop()
	if _, err := conn.Write(msg); err != nil {
		return nil, nil, r.ioError(ctx, server, err)
	}
	buf := make([]byte, 65535)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			if isTimeout(ctx, err) {
				return nil, bad, errNoReply
			}
			return nil, bad, r.ioError(ctx, server, err)
		}
		// RFC 5452 §9.1: drop what does not answer the query, and
		// keep waiting for what does.
		rep, err := parseReply(buf[:n])
		if err != nil {
			bad = &MalformedError{Server: server, Reason: fmt.Sprintf("unparsable reply (%d octets, dropped; no good one came)", n), Err: err}
			continue
		}
		if err := rep.check(id, q); err != nil {
			bad = &MalformedError{Server: server, Reason: "reply to another query (dropped; no good one came)", Err: err}
			continue
		}
		return rep, bad, nil
	}
}

// tryTCP asks over TCP, each message behind a two-octet length (RFC 1035
// §4.2.2). A stream carries no one else's replies, so a bad one is an
// error at once.
func (r *Resolver) tryTCP(ctx context.Context, server string, q dnsmessage.Question, edns bool) (*reply, error) {
	if err := ctx.Err(); err != nil {
		return nil, r.ioError(ctx, server, err)
	}
	id, msg, err := newQuery(q, edns)
	if err != nil {
		return nil, fmt.Errorf("dnsx: building the query for %s: %w", presentName(q.Name), err)
	}
	dctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	conn, err := r.dial(dctx, "tcp", server)
	if err != nil {
		if dctx.Err() != nil && ctx.Err() == nil {
			return nil, r.tcpTimeout(server, q)
		}
		return nil, fmt.Errorf("dnsx: %s over TCP (the UDP reply was truncated): %w", server, err)
	}
	defer conn.Close()
	stop := arm(ctx, conn, r.timeout())
	defer stop()
	framed := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(msg)), uint16(len(msg)))
	if _, err := conn.Write(append(framed, msg...)); err != nil {
		return nil, r.tcpError(ctx, server, q, err)
	}
	var size [2]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return nil, r.tcpError(ctx, server, q, err)
	}
	buf := make([]byte, binary.BigEndian.Uint16(size[:]))
	if _, err := io.ReadFull(conn, buf); err != nil {
		return nil, r.tcpError(ctx, server, q, err)
	}
	rep, err := parseReply(buf)
	if err != nil {
		return nil, &MalformedError{Server: server, Reason: "unparsable reply over TCP", Err: err}
	}
	if err := rep.check(id, q); err != nil {
		return nil, &MalformedError{Server: server, Reason: "TCP reply to another query", Err: err}
	}
	return rep, nil
}

func (r *Resolver) tcpTimeout(server string, q dnsmessage.Question) error {
	return &TimeoutError{Name: presentName(q.Name), Type: typeName(q.Type), Server: server, Network: "tcp", Tries: 1, Wait: r.timeout()}
}

func (r *Resolver) tcpError(ctx context.Context, server string, q dnsmessage.Question, err error) error {
	if isTimeout(ctx, err) {
		return r.tcpTimeout(server, q)
	}
	return r.ioError(ctx, server, err)
}

// isTimeout reports a read or write that ran out of r.Timeout, rather than
// of ctx's time.
func isTimeout(ctx context.Context, err error) bool {
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || ctx.Err() != nil {
		return false
	}
	// The connection deadline may be the context's own, which fires a
	// moment before ctx.Err says so.
	d, ok := ctx.Deadline()
	return !ok || time.Now().Before(d)
}

// ioError names the server in a network error, and reports a cancelled
// or expired context as such.
func (r *Resolver) ioError(ctx context.Context, server string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("dnsx: query to %s: %w", server, cerr)
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return fmt.Errorf("dnsx: query to %s: %w", server, context.DeadlineExceeded)
	}
	return fmt.Errorf("dnsx: %s: %w", server, err)
}

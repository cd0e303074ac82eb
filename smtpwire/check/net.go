package check

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// maxAddrs bounds the addresses the TCP stage dials.
const maxAddrs = 8

// lookup is the DNS stage: the host's addresses, all of them.
func (r *runner) lookup(ctx context.Context) bool {
	st, done := r.stage(StageDNS)
	defer done()
	host := strings.TrimSuffix(strings.Trim(r.o.Host, "[]"), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		r.addrs = []netip.Addr{ip.Unmap()}
		st.see(msg("dns.literal", "addr", ip.String()))
		return true
	}
	lctx, cancel := context.WithTimeout(ctx, r.cfg.Timeouts.Connect)
	defer cancel()
	addrs, err := r.o.Resolver.LookupNetIP(lctx, "ip", host)
	if err != nil {
		st.see(msg("dns.error", "host", host, "error", err.Error()))
		r.fail(st, dnsProblem(err, lctx))
		return false
	}
	seen := map[netip.Addr]bool{}
	var list []string
	for _, a := range addrs {
		a = a.Unmap()
		if !seen[a] {
			seen[a] = true
			r.addrs = append(r.addrs, a)
			list = append(list, a.String())
		}
	}
	if len(r.addrs) == 0 {
		st.see(msg("dns.empty", "host", host))
		r.fail(st, DNSNoAddress)
		return false
	}
	st.see(msg("dns.addrs", "host", host, "addrs", strings.Join(list, ", ")))
	return true
}

// dnsProblem classifies a lookup failure.
func dnsProblem(err error, lctx context.Context) string {
	var de *net.DNSError
	if errors.As(err, &de) {
		switch {
		case de.IsNotFound:
			return DNSNotFound
		case de.IsTimeout:
			return DNSTimeout
		}
	}
	var nf interface{ NotFound() bool }
	if errors.As(err, &nf) && nf.NotFound() {
		return DNSNotFound
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() || errors.Is(err, context.DeadlineExceeded) || lctx.Err() != nil {
		return DNSTimeout
	}
	return DNSFailed
}

type dialResult struct {
	conn     net.Conn
	err      error
	took     time.Duration
	timedOut bool
}

// connectTCP is the TCP stage: every address is dialled, at once; the
// session goes on over the first that answered, in DNS order.
func (r *runner) connectTCP(ctx context.Context) bool {
	st, done := r.stage(StageTCP)
	defer done()
	addrs := r.addrs
	if len(addrs) > maxAddrs {
		addrs = addrs[:maxAddrs]
	}
	res := make([]dialResult, len(addrs))
	var wg sync.WaitGroup
	for i, a := range addrs {
		wg.Go(func() {
			ap := netip.AddrPortFrom(a, uint16(r.o.Port)).String()
			dctx, cancel := context.WithTimeout(ctx, r.cfg.Timeouts.Connect)
			defer cancel()
			t0 := time.Now()
			conn, err := r.dial(dctx, "tcp", ap)
			res[i] = dialResult{conn: conn, err: err, took: time.Since(t0)}
			if err != nil && dctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
				res[i].timedOut = true
			}
		})
	}
	wg.Wait()
	firstProblem := ""
	failed := 0
	for i, d := range res {
		ap := netip.AddrPortFrom(addrs[i], uint16(r.o.Port)).String()
		if d.err == nil {
			st.see(msg("tcp.connected", "addr", ap, "took", ms(d.took)))
			if r.conn == nil {
				r.conn, r.addr = d.conn, ap
			} else {
				d.conn.Close()
			}
			continue
		}
		failed++
		code := dialProblem(d)
		if firstProblem == "" {
			firstProblem = code
		}
		switch code {
		case TCPTimeout:
			st.see(msg("tcp.seen_timeout", "addr", ap, "timeout", r.cfg.Timeouts.Connect.String()))
		case TCPRefused:
			st.see(msg("tcp.seen_refused", "addr", ap))
		default:
			st.see(msg("tcp.seen_error", "addr", ap, "error", errorText(d.err)))
		}
	}
	switch {
	case r.conn == nil:
		r.fail(st, firstProblem)
		return false
	case failed > 0:
		r.warn(st, TCPPartial)
	}
	return true
}

// dialProblem classifies a failed connect.
func dialProblem(d dialResult) string {
	var ne net.Error
	switch {
	case d.timedOut, errors.As(d.err, &ne) && ne.Timeout():
		return TCPTimeout
	case errors.Is(d.err, syscall.ECONNREFUSED):
		return TCPRefused
	case errors.Is(d.err, syscall.EHOSTUNREACH), errors.Is(d.err, syscall.ENETUNREACH):
		return TCPUnreachable
	case strings.Contains(d.err.Error(), "connection refused"):
		return TCPRefused
	}
	return TCPFailed
}

// ms formats a duration in whole milliseconds: "12ms".
func ms(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}

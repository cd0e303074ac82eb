package dnsx

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire/dnsx/dnstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/dns/dnsmessage"
)

// testZone holds every case the lookups meet. The fake server runs on
// loopback; no test asks a real DNS server.
func testZone() dnstest.Zone {
	txt := dnsmessage.Resource{
		Header: dnsmessage.ResourceHeader{Name: dnsmessage.MustNewName("txt-only.test."), Class: dnsmessage.ClassINET},
		Body:   &dnsmessage.TXTResource{TXT: []string{"v=spf1 -all"}},
	}
	return dnstest.Zone{
		Records: []dnsmessage.Resource{
			// Preferences out of order, two equal ones out of name order, a duplicate.
			dnstest.MX("example.test", 30, "mx3.example.test"),
			dnstest.MX("example.test", 10, "mx1b.example.test"),
			dnstest.MX("example.test", 20, "mx2.example.test"),
			dnstest.MX("example.test", 10, "mx1a.example.test"),
			dnstest.MX("example.test", 10, "mx1a.example.test"),
			dnstest.A("mx1a.example.test", "192.0.2.1"),
			dnstest.AAAA("mx1a.example.test", "2001:db8::1"),
			dnstest.A("mx1a.example.test", "192.0.2.2"),

			dnstest.A("implicit.test", "192.0.2.10"),
			dnstest.AAAA("implicit6.test", "2001:db8::10"),
			txt,

			dnstest.MX("null.test", 0, "."),
			dnstest.MX("mixed-null.test", 0, "."),
			dnstest.MX("mixed-null.test", 10, "mx.mixed-null.test"),

			dnstest.CNAME("alias.test", "alias2.test"),
			dnstest.CNAME("alias2.test", "example.test"),
			dnstest.CNAME("cut.test", "cut2.test"),
			dnstest.CNAME("cut2.test", "implicit.test"),
			dnstest.CNAME("dangling.test", "gone.test"),
			dnstest.CNAME("loop1.test", "loop2.test"),
			dnstest.CNAME("loop2.test", "loop1.test"),

			dnstest.MX("slow.test", 10, "mx.slow.test"),
			dnstest.MX("truncated.test", 10, "mx.truncated.test"),
			dnstest.MX("wrongid1.test", 10, "mx.wrongid1.test"),
			dnstest.MX("wrongid.test", 10, "mx.wrongid.test"),
			dnstest.MX("wrongq.test", 10, "mx.wrongq.test"),
			dnstest.MX("garbage1.test", 10, "mx.garbage1.test"),
			dnstest.MX("garbage.test", 10, "mx.garbage.test"),
			dnstest.MX("oldserver.test", 10, "mx.oldserver.test"),
		},
		RCodes: map[string]dnsmessage.RCode{
			"servfail.test": dnsmessage.RCodeServerFailure,
			"refused.test":  dnsmessage.RCodeRefused,
		},
		Faults: map[string]dnstest.Fault{
			"slow.test":      dnstest.Silent,
			"truncated.test": dnstest.Truncate,
			"wrongid1.test":  dnstest.WrongIDFirst,
			"wrongid.test":   dnstest.WrongID,
			"wrongq.test":    dnstest.WrongQuestion,
			"garbage1.test":  dnstest.GarbageFirst,
			"garbage.test":   dnstest.Garbage,
			"cut.test":       dnstest.StopAtCNAME,
			"oldserver.test": dnstest.FormErrEDNS,
		},
	}
}

func newServer(t *testing.T) (*dnstest.Server, *Resolver) {
	t.Helper()
	srv, err := dnstest.NewServer(testZone())
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	return srv, &Resolver{Server: srv.Addr(), Timeout: 100 * time.Millisecond, Retries: 1}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestLookupMX(t *testing.T) {
	_, r := newServer(t)
	sorted := []MX{
		{Host: "mx1a.example.test.", Pref: 10},
		{Host: "mx1b.example.test.", Pref: 10},
		{Host: "mx2.example.test.", Pref: 20},
		{Host: "mx3.example.test.", Pref: 30},
	}
	tests := []struct {
		domain string
		want   []MX
	}{
		{"example.test", sorted},
		{"EXAMPLE.test.", sorted}, // case and final dot do not matter
		{"alias.test", sorted},    // two CNAMEs, followed by the server
		{"implicit.test", []MX{{Host: "implicit.test.", Pref: 0, Implicit: true}}},
		{"implicit6.test", []MX{{Host: "implicit6.test.", Pref: 0, Implicit: true}}},
		{"cut.test", []MX{{Host: "cut.test.", Pref: 0, Implicit: true}}}, // CNAMEs asked for one by one, then A
		{"mixed-null.test", []MX{{Host: "mx.mixed-null.test.", Pref: 10}}},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			got, err := r.LookupMX(ctxT(t), tt.domain)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLookupMXFollowsCutChainByAskingAgain(t *testing.T) {
	srv, r := newServer(t)
	_, err := r.LookupMX(ctxT(t), "cut.test")
	require.NoError(t, err)
	var mxAsked []string
	for _, q := range srv.Queries() {
		if q.Type == dnsmessage.TypeMX {
			mxAsked = append(mxAsked, q.Name)
		}
	}
	assert.Equal(t, []string{"cut.test.", "cut2.test.", "implicit.test."}, mxAsked)
}

func TestLookupMXNullMX(t *testing.T) {
	_, r := newServer(t)
	_, err := r.LookupMX(ctxT(t), "null.test")
	var ne *NullMXError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, "null.test.", ne.Domain)
	assert.Contains(t, err.Error(), "accepts no mail")
	assert.Contains(t, err.Error(), "RFC 7505")
}

func TestLookupErrors(t *testing.T) {
	srv, r := newServer(t)
	addr := srv.Addr()
	t.Run("nxdomain", func(t *testing.T) {
		_, err := r.LookupMX(ctxT(t), "nosuch.test")
		var nf *NotFoundError
		require.ErrorAs(t, err, &nf)
		assert.Equal(t, &NotFoundError{Name: "nosuch.test.", Server: addr}, nf)
		assert.EqualError(t, err, "dnsx: nosuch.test. does not exist (NXDOMAIN from "+addr+")")
	})
	t.Run("nxdomain at the end of a chain", func(t *testing.T) {
		_, err := r.LookupMX(ctxT(t), "dangling.test")
		var nf *NotFoundError
		require.ErrorAs(t, err, &nf)
		assert.Equal(t, "gone.test.", nf.Name)
	})
	t.Run("nodata", func(t *testing.T) {
		_, err := r.LookupMX(ctxT(t), "txt-only.test")
		var nd *NoDataError
		require.ErrorAs(t, err, &nd)
		assert.Equal(t, &NoDataError{Name: "txt-only.test.", Type: "MX, A or AAAA", Server: addr}, nd)
	})
	t.Run("servfail", func(t *testing.T) {
		_, err := r.LookupMX(ctxT(t), "servfail.test")
		var se *ServerError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, dnsmessage.RCodeServerFailure, se.RCode)
		assert.True(t, se.Temporary())
		assert.Contains(t, err.Error(), addr+" answered SERVFAIL for servfail.test. MX")
	})
	t.Run("refused", func(t *testing.T) {
		_, err := r.LookupHost(ctxT(t), "refused.test")
		var se *ServerError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, dnsmessage.RCodeRefused, se.RCode)
		assert.False(t, se.Temporary())
		assert.Contains(t, err.Error(), "REFUSED")
	})
	t.Run("cname loop", func(t *testing.T) {
		_, err := r.LookupMX(ctxT(t), "loop1.test")
		var ce *ChainError
		require.ErrorAs(t, err, &ce)
	})
}

func TestLookupTimeout(t *testing.T) {
	srv, r := newServer(t)
	r.Timeout, r.Retries = 50*time.Millisecond, 2
	start := time.Now()
	_, err := r.LookupMX(ctxT(t), "slow.test")
	elapsed := time.Since(start)
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, &TimeoutError{Name: "slow.test.", Type: "MX", Server: srv.Addr(), Network: "udp", Tries: 3, Wait: 50 * time.Millisecond}, te)
	assert.True(t, te.Timeout())
	assert.Contains(t, err.Error(), srv.Addr()+" timed out")
	assert.Less(t, elapsed, time.Second, "three tries of 50ms")
	assert.Len(t, srv.Queries(), 3)
}

func TestLookupNoRetries(t *testing.T) {
	srv, r := newServer(t)
	r.Timeout, r.Retries = 30*time.Millisecond, -1
	_, err := r.LookupMX(ctxT(t), "slow.test")
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 1, te.Tries)
	assert.Len(t, srv.Queries(), 1)
}

func TestLookupCancel(t *testing.T) {
	_, r := newServer(t)
	r.Timeout = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := r.LookupMX(ctx, "slow.test")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestLookupContextDeadlineWins(t *testing.T) {
	srv, r := newServer(t)
	r.Timeout = 10 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := r.LookupMX(ctx, "slow.test")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), srv.Addr())
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Len(t, srv.Queries(), 1, "no retry after the caller's time is up")
}

func TestLookupTruncatedGoesTCP(t *testing.T) {
	srv, r := newServer(t)
	got, err := r.LookupMX(ctxT(t), "truncated.test")
	require.NoError(t, err)
	assert.Equal(t, []MX{{Host: "mx.truncated.test.", Pref: 10}}, got)
	qs := srv.Queries()
	require.Len(t, qs, 2)
	assert.Equal(t, "udp", qs[0].Network)
	assert.Equal(t, "tcp", qs[1].Network)
}

func TestLookupBadReplies(t *testing.T) {
	srv, r := newServer(t)
	t.Run("wrong ID first is ignored", func(t *testing.T) {
		before := len(srv.Queries())
		got, err := r.LookupMX(ctxT(t), "wrongid1.test")
		require.NoError(t, err)
		assert.Equal(t, []MX{{Host: "mx.wrongid1.test.", Pref: 10}}, got)
		assert.Len(t, srv.Queries(), before+1, "the right reply came on the same try")
	})
	t.Run("garbage first is ignored", func(t *testing.T) {
		got, err := r.LookupMX(ctxT(t), "garbage1.test")
		require.NoError(t, err)
		assert.Equal(t, []MX{{Host: "mx.garbage1.test.", Pref: 10}}, got)
	})
	for _, tt := range []struct{ domain, reason string }{
		{"wrongid.test", "ID "},
		{"wrongq.test", "question wrong.invalid. MX, the query asked wrongq.test. MX"},
		{"garbage.test", "unparsable"},
	} {
		t.Run(tt.domain, func(t *testing.T) {
			before := len(srv.Queries())
			_, err := r.LookupMX(ctxT(t), tt.domain)
			var me *MalformedError
			require.ErrorAs(t, err, &me)
			assert.Equal(t, srv.Addr(), me.Server)
			assert.Contains(t, err.Error(), tt.reason)
			assert.Len(t, srv.Queries(), before+2, "asked again")
		})
	}
}

func TestLookupEDNSFallback(t *testing.T) {
	srv, r := newServer(t)
	got, err := r.LookupMX(ctxT(t), "oldserver.test")
	require.NoError(t, err)
	assert.Equal(t, []MX{{Host: "mx.oldserver.test.", Pref: 10}}, got)
	qs := srv.Queries()
	require.Len(t, qs, 2)
	assert.True(t, qs[0].EDNS)
	assert.False(t, qs[1].EDNS)
}

func TestLookupHost(t *testing.T) {
	_, r := newServer(t)
	got, err := r.LookupHost(ctxT(t), "mx1a.example.test")
	require.NoError(t, err)
	want := []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("2001:db8::1")}
	assert.Equal(t, want, got)

	got, err = r.LookupHost(ctxT(t), "implicit6.test")
	require.NoError(t, err)
	assert.Equal(t, []netip.Addr{netip.MustParseAddr("2001:db8::10")}, got)

	_, err = r.LookupHost(ctxT(t), "example.test")
	var nd *NoDataError
	require.ErrorAs(t, err, &nd)
	assert.Equal(t, "A or AAAA", nd.Type)
}

func TestLookupRefusesBadNamesWithoutAsking(t *testing.T) {
	srv, r := newServer(t)
	for _, name := range []string{"", ".", "a..b", ".a", "例子.test", "a b.test", "192.0.2.1", "[::1]", "x\r\nMAIL", "a\\b.test"} {
		_, err := r.LookupMX(ctxT(t), name)
		assert.Error(t, err, "%q", name)
	}
	assert.Empty(t, srv.Queries())
}

func TestDialHook(t *testing.T) {
	srv, r := newServer(t)
	var dialled []string
	r.Server = "dns.invalid:53" // only the hook knows where that is
	r.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialled = append(dialled, network+" "+addr)
		var d net.Dialer
		return d.DialContext(ctx, network, srv.Addr())
	}
	_, err := r.LookupMX(ctxT(t), "truncated.test")
	require.NoError(t, err)
	assert.Equal(t, []string{"udp dns.invalid:53", "tcp dns.invalid:53"}, dialled)
}

func TestNothingListening(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := pc.LocalAddr().String()
	pc.Close()
	r := &Resolver{Server: addr, Timeout: 100 * time.Millisecond, Retries: -1}
	_, err = r.LookupMX(ctxT(t), "example.test")
	require.Error(t, err)
	assert.Contains(t, err.Error(), addr)
}

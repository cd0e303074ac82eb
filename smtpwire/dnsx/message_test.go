package dnsx

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/dns/dnsmessage"
)

// packReply builds a reply to q with the given answers.
func packReply(t testing.TB, id uint16, q dnsmessage.Question, answers ...dnsmessage.Resource) []byte {
	t.Helper()
	m := dnsmessage.Message{
		Header:    dnsmessage.Header{ID: id, Response: true, RecursionAvailable: true},
		Questions: []dnsmessage.Question{q},
		Answers:   answers,
	}
	b, err := m.Pack()
	require.NoError(t, err)
	return b
}

func rr(name string, body dnsmessage.ResourceBody) dnsmessage.Resource {
	return dnsmessage.Resource{Header: dnsmessage.ResourceHeader{Name: dnsmessage.MustNewName(name), Class: dnsmessage.ClassINET, TTL: 60}, Body: body}
}

var mxQuestion = dnsmessage.Question{Name: dnsmessage.MustNewName("example.test."), Type: dnsmessage.TypeMX, Class: dnsmessage.ClassINET}

func TestBuildQuery(t *testing.T) {
	msg, err := buildQuery(0x1234, mxQuestion, true)
	require.NoError(t, err)
	var m dnsmessage.Message
	require.NoError(t, m.Unpack(msg))
	assert.Equal(t, uint16(0x1234), m.Header.ID)
	assert.True(t, m.Header.RecursionDesired)
	assert.False(t, m.Header.Response)
	assert.Equal(t, []dnsmessage.Question{mxQuestion}, m.Questions)
	require.Len(t, m.Additionals, 1)
	assert.Equal(t, dnsmessage.TypeOPT, m.Additionals[0].Header.Type)
	assert.Equal(t, dnsmessage.Class(ednsUDPSize), m.Additionals[0].Header.Class, "the UDP size offered")

	msg, err = buildQuery(1, mxQuestion, false)
	require.NoError(t, err)
	require.NoError(t, m.Unpack(msg))
	assert.Empty(t, m.Additionals)
}

func TestParseReply(t *testing.T) {
	msg := packReply(t, 7, mxQuestion,
		rr("example.test.", &dnsmessage.CNAMEResource{CNAME: dnsmessage.MustNewName("real.test.")}),
		rr("real.test.", &dnsmessage.MXResource{Pref: 5, MX: dnsmessage.MustNewName("mx.real.test.")}),
		rr("real.test.", &dnsmessage.TXTResource{TXT: []string{"skipped"}}),
		rr("mx.real.test.", &dnsmessage.AResource{A: [4]byte{192, 0, 2, 1}}),
		rr("mx.real.test.", &dnsmessage.AAAAResource{AAAA: netip.MustParseAddr("2001:db8::1").As16()}),
	)
	rep, err := parseReply(msg)
	require.NoError(t, err)
	require.NoError(t, rep.check(7, mxQuestion))
	assert.Equal(t, []record{
		{Name: "example.test.", Type: dnsmessage.TypeCNAME, Target: "real.test."},
		{Name: "real.test.", Type: dnsmessage.TypeMX, Pref: 5, Target: "mx.real.test."},
		{Name: "mx.real.test.", Type: dnsmessage.TypeA, Addr: netip.MustParseAddr("192.0.2.1")},
		{Name: "mx.real.test.", Type: dnsmessage.TypeAAAA, Addr: netip.MustParseAddr("2001:db8::1")},
	}, rep.Answers)

	found, end, hops := chase(rep.Answers, "EXAMPLE.test.", dnsmessage.TypeMX, MaxCNAMEHops)
	assert.Equal(t, "real.test.", end)
	assert.Equal(t, 1, hops)
	assert.Len(t, found, 1)

	assert.ErrorContains(t, rep.check(8, mxQuestion), "ID 7, the query had 8")
	other := mxQuestion
	other.Type = dnsmessage.TypeA
	assert.ErrorContains(t, rep.check(7, other), "question example.test. MX, the query asked example.test. A")

	for n := range len(msg) {
		_, err := parseReply(msg[:n])
		assert.Error(t, err, "cut at %d of %d", n, len(msg))
	}
}

func TestCheckAllowsMissingQuestionOnlyForFailures(t *testing.T) {
	m := dnsmessage.Message{Header: dnsmessage.Header{ID: 3, Response: true, RCode: dnsmessage.RCodeFormatError}}
	b, err := m.Pack()
	require.NoError(t, err)
	rep, err := parseReply(b)
	require.NoError(t, err)
	assert.NoError(t, rep.check(3, mxQuestion))

	m.Header.RCode = dnsmessage.RCodeSuccess
	b, err = m.Pack()
	require.NoError(t, err)
	rep, err = parseReply(b)
	require.NoError(t, err)
	assert.ErrorContains(t, rep.check(3, mxQuestion), "0 questions")

	m.Header.Response = false
	b, _ = m.Pack()
	rep, err = parseReply(b)
	require.NoError(t, err)
	assert.ErrorContains(t, rep.check(3, mxQuestion), "not a response")
}

// FuzzParseReply feeds the reply parser and the checks after it arbitrary
// octets: they must return an error or a sane reply, never panic.
func FuzzParseReply(f *testing.F) {
	f.Add(packReply(f, 1, mxQuestion,
		rr("example.test.", &dnsmessage.MXResource{Pref: 10, MX: dnsmessage.MustNewName("mx.example.test.")}),
		rr("example.test.", &dnsmessage.MXResource{Pref: 0, MX: dnsmessage.MustNewName(".")}),
	))
	f.Add(packReply(f, 2, mxQuestion,
		rr("example.test.", &dnsmessage.CNAMEResource{CNAME: dnsmessage.MustNewName("a.test.")}),
		rr("a.test.", &dnsmessage.CNAMEResource{CNAME: dnsmessage.MustNewName("example.test.")}),
	))
	f.Add(packReply(f, 3, mxQuestion,
		rr("mx.test.", &dnsmessage.AResource{A: [4]byte{127, 0, 0, 1}}),
		rr("mx.test.", &dnsmessage.AAAAResource{AAAA: netip.IPv6Loopback().As16()}),
	))
	q, _ := buildQuery(4, mxQuestion, true)
	f.Add(q)
	f.Add([]byte{})
	f.Add([]byte("\x00\x01\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00\xc0\x0c"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		rep, err := parseReply(msg)
		if err != nil {
			return
		}
		_ = rep.check(rep.Header.ID, mxQuestion)
		for _, rec := range rep.Answers {
			for _, s := range []string{rec.Name, rec.Target} {
				for i := 0; i < len(s); i++ {
					if s[i] <= ' ' || s[i] >= 0x7f {
						t.Fatalf("name %q holds an unescaped octet %#x", s, s[i])
					}
				}
			}
			switch rec.Type {
			case dnsmessage.TypeA:
				if !rec.Addr.Is4() {
					t.Fatalf("A record with %v", rec.Addr)
				}
			case dnsmessage.TypeAAAA:
				if !rec.Addr.Is6() {
					t.Fatalf("AAAA record with %v", rec.Addr)
				}
			}
		}
		for _, name := range []string{"example.test.", "a.test."} {
			_, _, hops := chase(rep.Answers, name, dnsmessage.TypeMX, MaxCNAMEHops)
			if hops > MaxCNAMEHops+1 {
				t.Fatalf("chase went %d hops past its limit", hops)
			}
		}
	})
}

// Package dnstest runs a DNS server on a loopback port that answers from a
// fixed table, for tests of code that looks up MX and address records
// without touching a real DNS server.
//
// It answers as a recursive resolver would: a CNAME chain inside the table
// is followed in the answer, a name that owns no record is NXDOMAIN, and a
// name with records of other types gets an empty answer (NODATA). Faults
// by name make it misbehave in the ways a client must survive.
package dnstest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"

	"golang.org/x/net/dns/dnsmessage"
)

// A Fault is a way for the server to misbehave for one name.
type Fault int

const (
	// NoFault answers normally.
	NoFault Fault = iota
	// Silent never answers, over UDP or TCP.
	Silent
	// Truncate answers over UDP with an empty reply with the TC bit set,
	// and fully over TCP.
	Truncate
	// WrongIDFirst sends over UDP a reply with another ID before the
	// right one.
	WrongIDFirst
	// WrongID sends over UDP only replies with another ID.
	WrongID
	// WrongQuestion answers over UDP another question than the one asked.
	WrongQuestion
	// GarbageFirst sends over UDP octets that are not a DNS message
	// before the right reply.
	GarbageFirst
	// Garbage sends over UDP only a reply cut in the middle.
	Garbage
	// StopAtCNAME answers with the first CNAME of a chain only, as if the
	// resolver had not followed it.
	StopAtCNAME
	// FormErrEDNS answers FORMERR, without a question section, to a
	// query carrying an EDNS0 OPT record, as servers from before RFC 6891
	// do.
	FormErrEDNS
)

// A Zone is what the server answers from. Names are compared without
// regard to case, with or without the final dot.
type Zone struct {
	Records []dnsmessage.Resource
	// RCodes makes the server answer queries for a name with this code
	// and no records (SERVFAIL, REFUSED, ...).
	RCodes map[string]dnsmessage.RCode
	// Faults by name.
	Faults map[string]Fault
}

// MX returns an MX record (RFC 1035 §3.3.9); host "." makes a null MX
// (RFC 7505).
func MX(name string, pref uint16, host string) dnsmessage.Resource {
	return resource(name, dnsmessage.TypeMX, &dnsmessage.MXResource{Pref: pref, MX: mustName(host)})
}

// A returns an A record; it panics if addr is not an IPv4 address.
func A(name, addr string) dnsmessage.Resource {
	ip := netip.MustParseAddr(addr)
	if !ip.Is4() {
		panic("dnstest: A " + addr + ": not an IPv4 address")
	}
	return resource(name, dnsmessage.TypeA, &dnsmessage.AResource{A: ip.As4()})
}

// AAAA returns an AAAA record; it panics if addr is not an IPv6 address.
func AAAA(name, addr string) dnsmessage.Resource {
	ip := netip.MustParseAddr(addr)
	if !ip.Is6() || ip.Is4In6() {
		panic("dnstest: AAAA " + addr + ": not an IPv6 address")
	}
	return resource(name, dnsmessage.TypeAAAA, &dnsmessage.AAAAResource{AAAA: ip.As16()})
}

// CNAME returns a CNAME record.
func CNAME(name, target string) dnsmessage.Resource {
	return resource(name, dnsmessage.TypeCNAME, &dnsmessage.CNAMEResource{CNAME: mustName(target)})
}

func resource(name string, t dnsmessage.Type, body dnsmessage.ResourceBody) dnsmessage.Resource {
	return dnsmessage.Resource{
		Header: dnsmessage.ResourceHeader{Name: mustName(name), Type: t, Class: dnsmessage.ClassINET, TTL: 300},
		Body:   body,
	}
}

func mustName(s string) dnsmessage.Name {
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return dnsmessage.MustNewName(s)
}

// key is the form of a name in the tables: lower case with the final dot.
func key(s string) string {
	s = strings.ToLower(s)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// A Query is one query the server received.
type Query struct {
	Network string // "udp" or "tcp"
	Name    string // as asked
	Type    dnsmessage.Type
	EDNS    bool // it carried an OPT record
}

// Server is a DNS server on 127.0.0.1, UDP and TCP on the same port.
type Server struct {
	zone  Zone
	owned map[string][]dnsmessage.Resource // records by key(owner)
	udp   net.PacketConn
	tcp   net.Listener
	wg    sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	conns   map[net.Conn]struct{}
	queries []Query
}

// NewServer starts a server answering from zone on a free port of
// 127.0.0.1. Close it when done.
func NewServer(zone Zone) (*Server, error) {
	s := &Server{zone: zone, owned: map[string][]dnsmessage.Resource{}, conns: map[net.Conn]struct{}{}}
	for _, rr := range zone.Records {
		k := key(rr.Header.Name.String())
		s.owned[k] = append(s.owned[k], rr)
	}
	s.zone.RCodes, s.zone.Faults = map[string]dnsmessage.RCode{}, map[string]Fault{}
	for n, rc := range zone.RCodes {
		s.zone.RCodes[key(n)] = rc
	}
	for n, f := range zone.Faults {
		s.zone.Faults[key(n)] = f
	}
	// The same port for both: take a free UDP port, then ask for it over
	// TCP, which may be taken; try a few.
	var err error
	for range 10 {
		if s.udp, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("dnstest: %w", err)
		}
		if s.tcp, err = net.Listen("tcp", s.udp.LocalAddr().String()); err == nil {
			break
		}
		s.udp.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("dnstest: no port free for both UDP and TCP: %w", err)
	}
	s.wg.Add(2)
	go s.serveUDP()
	go s.serveTCP()
	return s, nil
}

// Addr returns the server's address, as "127.0.0.1:40123".
func (s *Server) Addr() string { return s.udp.LocalAddr().String() }

// Queries returns the queries received so far, in order.
func (s *Server) Queries() []Query {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Query(nil), s.queries...)
}

// Close stops the server and waits for its goroutines.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.udp.Close()
	s.tcp.Close()
	s.wg.Wait()
	return nil
}

func (s *Server) serveUDP() {
	defer s.wg.Done()
	buf := make([]byte, 65535)
	for {
		n, from, err := s.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		for _, out := range s.answer(buf[:n], "udp") {
			s.udp.WriteTo(out, from)
		}
	}
}

func (s *Server) serveTCP() {
	defer s.wg.Done()
	for {
		c, err := s.tcp.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go s.serveConn(c)
	}
}

// serveConn answers length-prefixed queries (RFC 1035 §4.2.2) until the
// client closes.
func (s *Server) serveConn(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	for {
		var size [2]byte
		if _, err := io.ReadFull(c, size[:]); err != nil {
			return
		}
		msg := make([]byte, binary.BigEndian.Uint16(size[:]))
		if _, err := io.ReadFull(c, msg); err != nil {
			return
		}
		for _, out := range s.answer(msg, "tcp") {
			framed := binary.BigEndian.AppendUint16(nil, uint16(len(out)))
			if _, err := c.Write(append(framed, out...)); err != nil {
				return
			}
		}
	}
}

// answer returns the messages to send back for one query: none, one, or
// more when a fault says so.
func (s *Server) answer(msg []byte, network string) [][]byte {
	var p dnsmessage.Parser
	h, err := p.Start(msg)
	if err != nil {
		return nil
	}
	q, err := p.Question()
	if err != nil {
		return nil
	}
	edns := hasOPT(&p)
	s.mu.Lock()
	s.queries = append(s.queries, Query{Network: network, Name: q.Name.String(), Type: q.Type, EDNS: edns})
	s.mu.Unlock()

	qkey := key(q.Name.String())
	fault := s.zone.Faults[qkey]
	if network == "tcp" && fault != Silent && fault != StopAtCNAME && fault != FormErrEDNS {
		fault = NoFault
	}
	resp := dnsmessage.Message{
		Header:    dnsmessage.Header{ID: h.ID, Response: true, RecursionDesired: h.RecursionDesired, RecursionAvailable: true},
		Questions: []dnsmessage.Question{q},
	}
	switch rc, ok := s.zone.RCodes[qkey]; {
	case fault == Silent:
		return nil
	case fault == FormErrEDNS && edns:
		resp.Header.RCode, resp.Questions = dnsmessage.RCodeFormatError, nil
	case ok:
		resp.Header.RCode = rc
	case fault == Truncate:
		resp.Header.Truncated = true
	default:
		resp.Answers, resp.Header.RCode = s.resolve(qkey, q.Type, fault == StopAtCNAME)
	}
	if fault == WrongQuestion {
		resp.Questions[0].Name = mustName("wrong.invalid")
	}
	good, err := resp.Pack()
	if err != nil {
		return nil
	}
	wrong := append([]byte(nil), good...)
	binary.BigEndian.PutUint16(wrong, h.ID^0x5a5a)
	switch fault {
	case WrongIDFirst:
		return [][]byte{wrong, good}
	case WrongID:
		return [][]byte{wrong}
	case GarbageFirst:
		return [][]byte{[]byte("this is not a DNS message"), good}
	case Garbage:
		return [][]byte{good[:len(good)/2]}
	}
	return [][]byte{good}
}

// resolve follows CNAMEs from name through the table and returns the
// answer records and the code for the last name of the chain.
func (s *Server) resolve(name string, t dnsmessage.Type, stopAtCNAME bool) ([]dnsmessage.Resource, dnsmessage.RCode) {
	var answers []dnsmessage.Resource
	for range 20 {
		owned := s.owned[name]
		if len(owned) == 0 {
			return answers, dnsmessage.RCodeNameError
		}
		var cname *dnsmessage.Resource
		for i, rr := range owned {
			switch rr.Header.Type {
			case t:
				answers = append(answers, rr)
			case dnsmessage.TypeCNAME:
				cname = &owned[i]
			}
		}
		if len(answers) > 0 && answers[len(answers)-1].Header.Type == t || cname == nil {
			return answers, dnsmessage.RCodeSuccess
		}
		answers = append(answers, *cname)
		if stopAtCNAME {
			return answers, dnsmessage.RCodeSuccess
		}
		name = key(cname.Body.(*dnsmessage.CNAMEResource).CNAME.String())
	}
	return answers, dnsmessage.RCodeSuccess // a loop: hand the client what we have
}

// hasOPT reports whether the rest of the message holds an OPT record.
func hasOPT(p *dnsmessage.Parser) bool {
	if p.SkipAllQuestions() != nil || p.SkipAllAnswers() != nil || p.SkipAllAuthorities() != nil {
		return false
	}
	for {
		h, err := p.AdditionalHeader()
		if errors.Is(err, dnsmessage.ErrSectionDone) || err != nil {
			return false
		}
		if h.Type == dnsmessage.TypeOPT {
			return true
		}
		if p.SkipAdditional() != nil {
			return false
		}
	}
}

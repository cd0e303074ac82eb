package dnsx

import (
	"errors"
	"fmt"
	"net/netip"

	"golang.org/x/net/dns/dnsmessage"
)

// ednsUDPSize is the reply size offered in the EDNS0 OPT record: the
// value of DNS Flag Day 2020, which avoids IP fragmentation on common
// paths. Bigger answers come back truncated and are asked again over TCP.
const ednsUDPSize = 1232

// record is one answer record of a type this package reads.
type record struct {
	Name   string          // owner, text form (presentName)
	Type   dnsmessage.Type // TypeMX, TypeA, TypeAAAA or TypeCNAME
	Pref   uint16          // MX preference
	Target string          // MX exchange or CNAME target, text form
	Addr   netip.Addr      // A or AAAA address
}

// reply is the part of a DNS message this package uses.
type reply struct {
	Header    dnsmessage.Header
	Questions []dnsmessage.Question
	Answers   []record // class IN records of the types above, in order
}

// buildQuery packs a standard query (RFC 1035 §4.1) for one question with
// recursion desired and, if edns, an OPT record (RFC 6891 §6).
func buildQuery(id uint16, q dnsmessage.Question, edns bool) ([]byte, error) {
	b := dnsmessage.NewBuilder(make([]byte, 0, 512), dnsmessage.Header{ID: id, RecursionDesired: true})
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(q); err != nil {
		return nil, err
	}
	if edns {
		if err := b.StartAdditionals(); err != nil {
			return nil, err
		}
		var h dnsmessage.ResourceHeader
		if err := h.SetEDNS0(ednsUDPSize, dnsmessage.RCodeSuccess, false); err != nil {
			return nil, err
		}
		if err := b.OPTResource(h, dnsmessage.OPTResource{}); err != nil {
			return nil, err
		}
	}
	return b.Finish()
}

// parseReply reads a DNS message. It never panics: whatever is wrong with
// the bytes comes back as an error. Records of other types and classes in
// the answer section are skipped; the authority and additional sections
// are not read (this package does not trust glue it did not ask for).
func parseReply(msg []byte) (*reply, error) {
	var p dnsmessage.Parser
	h, err := p.Start(msg)
	if err != nil {
		return nil, err
	}
	qs, err := p.AllQuestions()
	if err != nil {
		return nil, err
	}
	r := &reply{Header: h, Questions: qs}
	for {
		rh, err := p.AnswerHeader()
		if errors.Is(err, dnsmessage.ErrSectionDone) {
			return r, nil
		}
		if err != nil {
			return nil, err
		}
		rec := record{Name: presentName(rh.Name), Type: rh.Type}
		if rh.Class != dnsmessage.ClassINET {
			rh.Type = 0 // skip it below
		}
		switch rh.Type {
		case dnsmessage.TypeMX:
			mx, err := p.MXResource()
			if err != nil {
				return nil, err
			}
			rec.Pref, rec.Target = mx.Pref, presentName(mx.MX)
		case dnsmessage.TypeCNAME:
			cn, err := p.CNAMEResource()
			if err != nil {
				return nil, err
			}
			rec.Target = presentName(cn.CNAME)
		case dnsmessage.TypeA:
			a, err := p.AResource()
			if err != nil {
				return nil, err
			}
			rec.Addr = netip.AddrFrom4(a.A)
		case dnsmessage.TypeAAAA:
			a, err := p.AAAAResource()
			if err != nil {
				return nil, err
			}
			rec.Addr = netip.AddrFrom16(a.AAAA)
		default:
			if err := p.SkipAnswer(); err != nil {
				return nil, err
			}
			continue
		}
		r.Answers = append(r.Answers, rec)
	}
}

// check tells whether r answers the query with this id and question:
// a response (QR set), a standard query (opcode 0), the same ID, and the
// same question, the name compared without regard to case (RFC 5452 §4.2).
// A failure reply (FORMERR, NOTIMP, REFUSED, ...) may leave the question
// out, as some servers do.
func (r *reply) check(id uint16, q dnsmessage.Question) error {
	switch {
	case !r.Header.Response:
		return errors.New("a query, not a response (QR bit clear)")
	case r.Header.ID != id:
		return fmt.Errorf("ID %d, the query had %d", r.Header.ID, id)
	case r.Header.OpCode != 0:
		return fmt.Errorf("opcode %d, the query had 0", r.Header.OpCode)
	case len(r.Questions) == 0 && r.Header.RCode != dnsmessage.RCodeSuccess && r.Header.RCode != dnsmessage.RCodeNameError:
		return nil
	case len(r.Questions) != 1:
		return fmt.Errorf("%d questions, the query had 1", len(r.Questions))
	}
	got := r.Questions[0]
	if got.Type != q.Type || got.Class != q.Class || !sameName(presentName(got.Name), presentName(q.Name)) {
		return fmt.Errorf("question %s %s, the query asked %s %s", presentName(got.Name), typeName(got.Type), presentName(q.Name), typeName(q.Type))
	}
	return nil
}

// chase follows the CNAME records of answers from name (RFC 1034 §3.6.2)
// and returns the records of type t owned by the name where the chain
// ends, with that name and the number of CNAMEs followed. It stops after
// limit CNAMEs, returning hops > limit.
func chase(answers []record, name string, t dnsmessage.Type, limit int) (found []record, end string, hops int) {
	end = name
	for {
		var cname string
		for _, rec := range answers {
			if !sameName(rec.Name, end) {
				continue
			}
			switch rec.Type {
			case t:
				found = append(found, rec)
			case dnsmessage.TypeCNAME:
				if cname == "" {
					cname = rec.Target
				}
			}
		}
		if len(found) > 0 || cname == "" {
			return found, end, hops
		}
		if hops++; hops > limit {
			return nil, end, hops
		}
		end = cname
	}
}

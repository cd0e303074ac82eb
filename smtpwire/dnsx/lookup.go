package dnsx

import (
	"cmp"
	"context"
	"errors"
	"net/netip"
	"slices"

	"golang.org/x/net/dns/dnsmessage"
)

// MX is a mail exchanger of a domain (RFC 1035 §3.3.9, RFC 5321 §5.1).
type MX struct {
	Host string // fully qualified, as "mx1.example.com."
	Pref uint16 // lower is tried first
	// Implicit marks the MX a domain without MX records gets when it has
	// an address: the domain itself at preference 0 (RFC 5321 §5.1).
	Implicit bool
}

// LookupMX returns the mail exchangers of domain in the order a sender
// tries them: by preference, and, within one preference, by host name.
// (RFC 5321 §5.1 wants equal preferences tried in random order; sorting
// them keeps the output stable, and a caller that delivers mail can
// shuffle each run of equals.)
//
// A domain with no MX records but an A or AAAA record gets the implicit
// MX: one MX, the domain itself, with Implicit set. A domain that
// publishes a null MX (RFC 7505) returns a *NullMXError; "." among other
// MX records is dropped. Without MX or address records the error is a
// *NoDataError; other failures are typed as the package doc says.
func (r *Resolver) LookupMX(ctx context.Context, domain string) ([]MX, error) {
	name, err := FQDN(domain)
	if err != nil {
		return nil, err
	}
	server, err := r.ServerAddr()
	if err != nil {
		return nil, err
	}
	recs, err := r.lookup(ctx, server, name, dnsmessage.TypeMX)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		if _, err := r.lookupHost(ctx, server, name); err != nil {
			var nd *NoDataError
			if errors.As(err, &nd) {
				nd.Type = "MX, A or AAAA"
			}
			return nil, err
		}
		return []MX{{Host: name, Pref: 0, Implicit: true}}, nil
	}
	if len(recs) == 1 && recs[0].Target == "." {
		return nil, &NullMXError{Domain: name, Server: server}
	}
	var mxs []MX
	for _, rec := range recs {
		mx := MX{Host: rec.Target, Pref: rec.Pref}
		if mx.Host == "." || slices.Contains(mxs, mx) {
			continue
		}
		mxs = append(mxs, mx)
	}
	slices.SortFunc(mxs, func(a, b MX) int {
		return cmp.Or(cmp.Compare(a.Pref, b.Pref), cmp.Compare(a.Host, b.Host))
	})
	return mxs, nil
}

// LookupHost returns the IPv4 and IPv6 addresses of name, asking for A
// and AAAA records at once; IPv4 addresses come first, each family in
// the order of the answer. When one family has addresses, a failure of
// the other is not reported. Without any, the error is that of the A
// query unless it only found no data.
func (r *Resolver) LookupHost(ctx context.Context, name string) ([]netip.Addr, error) {
	fq, err := FQDN(name)
	if err != nil {
		return nil, err
	}
	server, err := r.ServerAddr()
	if err != nil {
		return nil, err
	}
	return r.lookupHost(ctx, server, fq)
}

func (r *Resolver) lookupHost(ctx context.Context, server, name string) ([]netip.Addr, error) {
	type result struct {
		recs []record
		err  error
	}
	aaaa := make(chan result, 1)
	go func() {
		recs, err := r.lookup(ctx, server, name, dnsmessage.TypeAAAA)
		aaaa <- result{recs, err}
	}()
	a := result{}
	a.recs, a.err = r.lookup(ctx, server, name, dnsmessage.TypeA)
	six := <-aaaa
	var addrs []netip.Addr
	for _, rec := range append(a.recs, six.recs...) {
		addrs = append(addrs, rec.Addr)
	}
	if len(addrs) > 0 {
		return addrs, nil
	}
	if a.err == nil {
		a.err = six.err
	}
	if a.err == nil {
		a.err = &NoDataError{Name: name, Type: "A or AAAA", Server: server}
	}
	return nil, a.err
}

// lookup asks server for the records of type t of name, following CNAMEs
// within each answer and asking again for the end of a chain the answer
// did not complete, MaxCNAMEHops in all. No records and no error means
// the name exists without records of that type (NODATA).
func (r *Resolver) lookup(ctx context.Context, server, name string, t dnsmessage.Type) ([]record, error) {
	hops := 0
	for {
		qname, err := dnsmessage.NewName(name)
		if err != nil {
			return nil, err
		}
		q := dnsmessage.Question{Name: qname, Type: t, Class: dnsmessage.ClassINET}
		rep, err := r.exchange(ctx, server, q)
		if err != nil {
			return nil, err
		}
		found, end, n := chase(rep.Answers, name, t, MaxCNAMEHops-hops)
		if hops += n; hops > MaxCNAMEHops {
			return nil, &ChainError{Name: name, Server: server}
		}
		switch rc := rep.Header.RCode; rc {
		case dnsmessage.RCodeSuccess:
		case dnsmessage.RCodeNameError:
			// RFC 6604 §3: the code is about the last name of the chain.
			return nil, &NotFoundError{Name: end, Server: server}
		default:
			return nil, &ServerError{Name: end, Type: typeName(t), Server: server, RCode: rc}
		}
		if len(found) > 0 || end == name {
			return found, nil
		}
		// The answer stopped at a CNAME: ask about its target. It
		// comes from the reply, so check it as a name first.
		if name, err = FQDN(end); err != nil {
			return nil, &MalformedError{Server: server, Reason: "CNAME target is not a host name", Err: err}
		}
	}
}

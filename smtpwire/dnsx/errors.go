package dnsx

import (
	"fmt"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// NotFoundError reports NXDOMAIN (RFC 1035 §4.1.1, RCODE 3): the name does
// not exist at all. At the end of a CNAME chain, Name is the name that
// does not exist (RFC 6604 §2).
type NotFoundError struct {
	Name   string // fully qualified, as "example.com."
	Server string // the resolver that said so
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("dnsx: %s does not exist (NXDOMAIN from %s)", e.Name, e.Server)
}

// NoDataError reports a name that exists but has no records of the type
// asked (NOERROR with an empty answer, "NODATA" in RFC 2308 §2.2).
type NoDataError struct {
	Name   string
	Type   string // as "MX", or "A or AAAA"
	Server string
}

func (e *NoDataError) Error() string {
	return fmt.Sprintf("dnsx: %s has no %s records (answer from %s)", e.Name, e.Type, e.Server)
}

// ServerError reports a reply whose RCODE says the server could not or
// would not answer: SERVFAIL, REFUSED, FORMERR, NOTIMP or another code
// (RFC 1035 §4.1.1, RFC 6895 §2.3).
type ServerError struct {
	Name   string
	Type   string
	Server string
	RCode  dnsmessage.RCode
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("dnsx: %s answered %s for %s %s: %s", e.Server, RCodeName(e.RCode), e.Name, e.Type, rcodeMeaning(e.RCode))
}

// Temporary reports SERVFAIL, which may go away when the servers of the
// domain come back; REFUSED and the others will not.
func (e *ServerError) Temporary() bool { return e.RCode == dnsmessage.RCodeServerFailure }

// TimeoutError reports that no usable reply came from Server.
type TimeoutError struct {
	Name    string
	Type    string
	Server  string
	Network string        // "udp" or "tcp"
	Tries   int           // queries sent
	Wait    time.Duration // for each
}

func (e *TimeoutError) Error() string {
	tries := "1 try"
	if e.Tries != 1 {
		tries = fmt.Sprintf("%d tries", e.Tries)
	}
	return fmt.Sprintf("dnsx: %s timed out: no reply for %s %s over %s (%s, %v each)", e.Server, e.Name, e.Type, e.Network, tries, e.Wait)
}

// Timeout reports true, as net.Error does for time-outs.
func (e *TimeoutError) Timeout() bool { return true }

// MalformedError reports a reply that could not be parsed, or that did not
// answer the query sent (another ID or question). Over UDP such replies
// are dropped and the wait goes on (RFC 5452 §4); the error is returned
// only when no good reply followed.
type MalformedError struct {
	Server string
	Reason string
	Err    error // the parser's error, if any
}

func (e *MalformedError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("dnsx: bad reply from %s: %s: %v", e.Server, e.Reason, e.Err)
	}
	return fmt.Sprintf("dnsx: bad reply from %s: %s", e.Server, e.Reason)
}

func (e *MalformedError) Unwrap() error { return e.Err }

// NullMXError reports a domain that publishes a "null MX", a single MX
// record with the host "." (RFC 7505 §3): it accepts no mail at all, and
// a sender should bounce at once (RFC 7505 §4.1, reply code 556).
type NullMXError struct {
	Domain string
	Server string
}

func (e *NullMXError) Error() string {
	return fmt.Sprintf("dnsx: %s accepts no mail: it publishes a null MX (RFC 7505; answer from %s)", e.Domain, e.Server)
}

// ChainError reports a CNAME chain longer than MaxCNAMEHops, most likely a
// loop.
type ChainError struct {
	Name   string
	Server string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("dnsx: %s: more than %d CNAMEs in a row (a loop?) from %s", e.Name, MaxCNAMEHops, e.Server)
}

// RCodeName gives the mnemonic of an RCODE used in RFC 1035 and RFC 6895
// §2.3, as "SERVFAIL", or "RCODE n" for a code without one.
func RCodeName(rc dnsmessage.RCode) string {
	switch rc {
	case dnsmessage.RCodeSuccess:
		return "NOERROR"
	case dnsmessage.RCodeFormatError:
		return "FORMERR"
	case dnsmessage.RCodeServerFailure:
		return "SERVFAIL"
	case dnsmessage.RCodeNameError:
		return "NXDOMAIN"
	case dnsmessage.RCodeNotImplemented:
		return "NOTIMP"
	case dnsmessage.RCodeRefused:
		return "REFUSED"
	}
	return fmt.Sprintf("RCODE %d", uint16(rc))
}

// rcodeMeaning says what an RCODE usually means for the user.
func rcodeMeaning(rc dnsmessage.RCode) string {
	switch rc {
	case dnsmessage.RCodeServerFailure:
		return "the resolver could not get an answer (the domain's name servers are down or broken, or its DNSSEC signatures do not verify)"
	case dnsmessage.RCodeRefused:
		return "the server refuses to answer this client (it is not a recursive resolver, or not one for this network)"
	case dnsmessage.RCodeFormatError:
		return "the server could not understand the query"
	case dnsmessage.RCodeNotImplemented:
		return "the server does not support this kind of query"
	}
	return "the server could not answer"
}

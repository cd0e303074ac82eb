// Package dnsx asks DNS the questions mail delivery needs: the MX records
// of a domain (RFC 5321 §5.1, RFC 7505) and the A and AAAA addresses of a
// host, from one explicitly chosen recursive resolver.
//
// It speaks the protocol itself (RFC 1035 §4) rather than going through
// net.Resolver, so a caller can name the server, see which server gave
// which answer, and tell the outcomes apart by type:
//
//   - *NotFoundError: NXDOMAIN, the name does not exist (RFC 1035 §4.1.1);
//   - *NoDataError: the name exists but has no records of the type asked
//     (RFC 2308 §2.2);
//   - *ServerError: the server answered SERVFAIL, REFUSED or another
//     failure code;
//   - *TimeoutError: no usable reply came in time;
//   - *MalformedError: replies came but could not be parsed or did not
//     match the question;
//   - *NullMXError: the domain says it accepts no mail (RFC 7505).
//
// Queries go over UDP with a random ID, recursion desired and an EDNS0
// OPT record (RFC 6891) offering 1232-octet replies; a truncated reply
// (the TC bit, RFC 1035 §4.2.1) is asked again over TCP (RFC 7766).
// Replies whose ID or question do not match the query are dropped, as
// RFC 5452 §4 asks, and the wait goes on. CNAME chains in answers are
// followed (RFC 1034 §3.6.2) up to MaxCNAMEHops.
package dnsx

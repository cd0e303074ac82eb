// Package check diagnoses an SMTP submission server layer by layer, the
// way the provider guides' troubleshooting sections ask a user to do by
// hand: does the name resolve, does "telnet host 465" connect (or is the
// port blocked by a security group, iptables or the cloud provider), does
// TLS work and verify (or is the TLS library too old, or the CA bundle
// missing), does the server greet, what does EHLO offer, do the
// credentials work, would the sender and recipients be accepted.
//
// [Run] takes [Options] and returns a [Report]: one [Stage] per layer, in
// the order they ran, each with a [Status], its duration, what was seen,
// a machine-readable problem code (see problems.go) and advice. Nothing is
// printed and no mail is sent: the envelope stage ends with RSET and QUIT.
//
// Every human string is a [Msg]: a catalog ID and its arguments, rendered
// in English, Simplified or Traditional Chinese by [Msg.Text], [WriteText]
// and [WriteJSON]. The catalog, and the recognition of what providers'
// reply texts say, are smtpwire/explain's; advice.go picks the messages.
package check

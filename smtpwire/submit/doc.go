// Package submit is the policy of a mail submission session, on top of
// smtpwire.Client's mechanism: how a session is brought up (connect,
// greeting, EHLO or HELO, STARTTLS as the policy says, AUTH) and how
// messages are sent on it (pipelined when the server allows, with the
// MAIL and RCPT parameters each message needs).
//
// One Session sends one message (Send) or a stream of them (SendAll). With
// PIPELINING (RFC 2920) MAIL, every RCPT and DATA leave in one write, and
// in a stream the end of one message and the next message's commands share
// a write too (RFC 2920 §3.1), so a message costs one round trip. Replies
// are matched to commands one by one: a refused recipient among accepted
// ones is a per-recipient result, not an error.
//
// The session declares and checks what a message needs:
//   - SIZE= when the length is known, and a local refusal of a message
//     larger than the server's limit (RFC 1870);
//   - BODY=8BITMIME for 8-bit content (RFC 6152) and SMTPUTF8 for
//     addresses that need it (RFC 6531), with a local error when the
//     server lacks them: 8-bit content never goes silently to a 7-bit
//     server;
//   - DSN parameters, NOTIFY and ORCPT per recipient, RET and ENVID
//     per message (RFC 3461);
//   - BDAT (CHUNKING, RFC 3030) when offered or forced, and
//     BODY=BINARYMIME for binary content;
//   - REQUIRETLS (RFC 8689), refused locally unless TLS is verified and
//     the server offers it.
//
// Errors are typed by stage: errors.As(err, &*submit.Error) gives the
// Stage, and errors.As(err, &*smtpwire.ReplyError) the server's reply.
// Bodies are streamed: memory does not grow with message size.
package submit

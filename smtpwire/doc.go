// Package smtpwire is a hand-written SMTP client: a state machine over one
// connection that a shell can drive line by line (Client.Cmd) and a
// program verb by verb (Hello, StartTLS, Auth, Mail, Rcpt, Data, Quit).
//
// It implements:
//   - RFC 5321, SMTP: commands EHLO/HELO (with HELO fallback), MAIL, RCPT,
//     DATA, RSET, VRFY, EXPN, HELP, NOOP, QUIT; strict reply parsing
//     (§4.2); DATA transparency (§4.5.2); timeouts (§4.5.3.2).
//   - RFC 1870 SIZE, RFC 6152 8BITMIME, RFC 6531 SMTPUTF8, RFC 3461 DSN
//     parameters, RFC 2920 PIPELINING and RFC 3030 CHUNKING detection
//     (EHLO keywords, Extensions).
//   - RFC 2034 and RFC 3463 enhanced status codes (EnhancedCode).
//   - RFC 3207 STARTTLS, with re-EHLO and detection of bytes injected
//     before the handshake; RFC 8314 implicit TLS (port 465).
//   - RFC 4954 AUTH through the Mechanism interface, with an initial
//     response when it fits the 512-octet line (§4): RFC 4616 PLAIN, LOGIN
//     (draft-murchison-sasl-login), RFC 2195 CRAM-MD5, RFC 5802
//     SCRAM-SHA-1 and RFC 7677 SCRAM-SHA-256 (the server's signature is
//     checked), RFC 7628 OAUTHBEARER, Google/Microsoft XOAUTH2, and RFC 4422
//     EXTERNAL (a TLS client certificate). NewMechanism builds one from a
//     name and Credentials; PickMechanism chooses the strongest offered.
//   - RFC 2033 LMTP (Config.LMTP): LHLO, and one reply per accepted
//     recipient after the message (DataWriter.RecipientReplies);
//     "unix:/path" addresses.
//   - RFC 1928 SOCKS5 proxies, with RFC 1929 user/password
//     (ProxyDialer, for Config.DialContext; failures are *ProxyError).
//
// Replies and errors. Cmd returns an error only when no well-formed reply
// arrived: a 550 is a successful read. The verb methods turn negative
// replies into *ReplyError (code, enhanced code, command, raw lines). A
// malformed reply is a *ProtocolError; an I/O failure, time-out or
// cancelled context in the middle of an exchange breaks the session, and
// every later call fails with *BrokenError. Arguments holding CR or LF are
// refused with ErrLineBreak before anything is written.
//
// Limits. A reply line may be up to DefaultMaxLineLength octets (eight
// times RFC 5321's 512) and a reply up to DefaultMaxReplyLines lines; past
// that the read fails with a *ProtocolError instead of growing memory.
//
// Credentials. Auth refuses to send credentials without TLS
// (ErrInsecureAuth) unless the server is on a loopback address or
// Config.AllowInsecureAuth is set. The trace shows AUTH payloads as
// Redacted unless Config.TraceSecrets is set.
//
// Pipelining. Every command goes through one funnel that buffers the line
// and, separately, reads one reply, so RFC 2920 pipelining (several lines
// written, replies matched in order) can be added on the same plumbing.
package smtpwire

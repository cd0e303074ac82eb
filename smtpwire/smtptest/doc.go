// Package smtptest replays recorded SMTP sessions ("transcripts") against
// SMTP client code, in the spirit of net/http/httptest.
//
// A transcript is a text file with one wire line per file line:
//
//	# Comments on top describe the scenario.
//	S: 220 mx.example.com ESMTP
//	C: EHLO client.example.com
//	S: 250-mx.example.com
//	S: 250 STARTTLS
//	C: STARTTLS
//	S: 220 go ahead
//	! tls
//	C: EHLO client.example.com
//	S: 250 mx.example.com
//	C: AUTH PLAIN [redacted]
//	S: 235 ok
//	C: QUIT
//	S: 221 bye
//
// "S: text" is a line the server sends, "C: text" a line the client must
// send byte for byte, "! tls" a real TLS server handshake and "! close" the
// server closing the connection. The full format is described in
// testdata/transcripts/README.md at the root of the repository.
//
// [Parse] and [ParseFile] read a transcript into a [Script]; [Script.Format]
// writes one back. [Script.Serve] plays a script on one server-side
// connection and is the whole session engine; [Server] runs it on a loopback
// listener for one client; [Replay] ties parsing, serving and golden-file
// updates together for a test. The TLS certificate used at "! tls" is
// generated in memory at first use; [CertPool], [CAPEM] and
// [Server.ClientTLSConfig] let the client under test trust it.
//
// [MailServer] is the other half of the package: a small but complete SMTP
// server (RFC 5321 with PIPELINING, SIZE, 8BITMIME, CHUNKING and
// BINARYMIME, DSN, ENHANCEDSTATUSCODES, STARTTLS, AUTH with every
// mechanism smtpwire knows (MailServerOptions.AuthMechanisms;
// [ClientCertificate] for EXTERNAL), SMTPUTF8, and implicit TLS) that accepts every recipient and keeps the
// messages in memory, with a log of every session ([Session]) and fault
// injection ([Fault]). It backs "smtpsh demo" and "smtpsh serve" (whose web
// page and API are package mailweb), and lets tests talk to a real server
// instead of a script. [Script.Play] is [Script.Serve]'s other direction:
// it plays a transcript's client lines to a live server and matches its
// replies, for "smtpsh test".
//
// [SOCKS5Server] is a minimal SOCKS5 proxy (RFC 1928, RFC 1929) for
// testing clients that connect through one.
//
// [Hostile] is a misbehaving server for robustness tests: a correct
// session in which any step can be replaced by an [Act] (silence, hang-up,
// TCP reset, a slow drip, replies sent ahead, endless lines or
// challenges, a server that stops reading...). cmd/smtpsh's hostile-server
// table runs send, check and the shell against it.
//
// The package defines no command-line flags: a test that wants golden-file
// updates declares its own
//
//	var update = flag.Bool("update", false, "rewrite failing transcripts")
//
// and passes *update to [Replay].
package smtptest

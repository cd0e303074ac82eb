// Package message builds an Internet message (RFC 5322) with MIME
// (RFC 2045, RFC 2046) for sending over SMTP, and streams it to any
// io.Writer, such as a *smtpwire.DataWriter.
//
// A Message has a sender, recipients, a subject, more header fields, a
// text body, an optional HTML alternative and attachments. WriteTo writes
//
//   - the header: Date and Message-ID (generated when not given), From,
//     To, Cc (Bcc never: blind recipients belong in the SMTP envelope
//     only), Subject and the extra fields; non-ASCII text in RFC 2047
//     encoded-words (base64, "=?UTF-8?b?...?="), lines folded at spaces to
//     at most 78 characters (RFC 5322 §2.2.3);
//   - the body: text/plain, or multipart/alternative with text/html, in
//     multipart/mixed with the attachments; each text part is UTF-8 with
//     the transfer encoding it needs: 7bit for ASCII, quoted-printable for
//     mostly-ASCII text, base64 for mostly non-ASCII text such as Chinese;
//   - attachments in base64 with 76-character lines (RFC 2045 §6.8),
//     typed by file extension (mime.TypeByExtension), names encoded with
//     RFC 2231 (filename*=) and, for older readers, RFC 2047.
//
// Everything it writes is 7-bit, so no 8BITMIME is needed, unless an
// address itself is non-ASCII (RFC 6532, which needs SMTPUTF8).
//
// Memory. The header, the text and the HTML are held as strings; an
// attachment is read from its Open function while it is written, through
// a base64 encoder, so a large file is never held in memory.
//
// Stable output. Date, MessageID and Boundary may be set, so that the
// same Message writes the same bytes twice (to count its size first, or
// in golden tests); left empty, they are made up on each WriteTo.
//
// Header fields given by the caller are checked by ParseField and
// Field.Check: a name of printable ASCII without a colon (RFC 5322
// §2.2), and a value without CR, LF or other control characters, so that
// no value can inject a second field (such as a Bcc) or end the header.
package message

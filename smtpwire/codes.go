package smtpwire

// Reply codes, RFC 5321 §4.2.2 and §4.2.3 unless noted.
const (
	CodeSystemStatus     = 211 // System status, or system help reply
	CodeHelp             = 214 // Help message
	CodeReady            = 220 // <domain> Service ready
	CodeClosing          = 221 // <domain> Service closing transmission channel
	CodeAuthOK           = 235 // Authentication successful (RFC 4954 §6)
	CodeOK               = 250 // Requested mail action okay, completed
	CodeWillForward      = 251 // User not local; will forward
	CodeCannotVerify     = 252 // Cannot VRFY user, but will accept message
	CodeAuthChallenge    = 334 // AUTH continuation (RFC 4954 §4)
	CodeStartData        = 354 // Start mail input; end with <CRLF>.<CRLF>
	CodeNotAvailable     = 421 // Service not available, closing transmission channel
	CodeMailboxBusy      = 450 // Mailbox unavailable (busy, or blocked by policy)
	CodeLocalError       = 451 // Local error in processing
	CodeInsufficientStor = 452 // Insufficient system storage
	CodeTempAuthFailure  = 454 // Temporary authentication failure (RFC 4954 §6)
	CodeParamsNotAccom   = 455 // Server unable to accommodate parameters
	CodeSyntaxError      = 500 // Syntax error, command unrecognized
	CodeParamSyntax      = 501 // Syntax error in parameters or arguments
	CodeNotImplemented   = 502 // Command not implemented
	CodeBadSequence      = 503 // Bad sequence of commands
	CodeParamNotImpl     = 504 // Command parameter not implemented
	CodeAuthRequired     = 530 // Authentication required (RFC 4954 §6)
	CodeAuthTooWeak      = 534 // Authentication mechanism is too weak (RFC 4954 §6)
	CodeAuthInvalid      = 535 // Authentication credentials invalid (RFC 4954 §6)
	CodeEncryptRequired  = 538 // Encryption required for requested mechanism (RFC 4954 §6)
	CodeMailboxUnavail   = 550 // Mailbox unavailable (not found, no access, policy)
	CodeUserNotLocal     = 551 // User not local; please try <forward-path>
	CodeExceededStorage  = 552 // Exceeded storage allocation
	CodeMailboxNameBad   = 553 // Mailbox name not allowed
	CodeTransactionFail  = 554 // Transaction failed (or, as greeting, no SMTP service here)
	CodeParamsNotRecog   = 555 // MAIL/RCPT parameters not recognized or not implemented
)

var codeText = map[int]string{
	211: "System status, or system help reply (RFC 5321 §4.2.3)",
	214: "Help message (RFC 5321 §4.2.3)",
	220: "Service ready (RFC 5321 §4.2.3)",
	221: "Service closing transmission channel (RFC 5321 §4.2.3)",
	235: "Authentication successful (RFC 4954 §6)",
	250: "Requested mail action okay, completed (RFC 5321 §4.2.3)",
	251: "User not local; will forward (RFC 5321 §4.2.3)",
	252: "Cannot VRFY user, but will accept message and attempt delivery (RFC 5321 §4.2.3)",
	334: "AUTH continuation: send the next base64 response (RFC 4954 §4)",
	354: "Start mail input; end with <CRLF>.<CRLF> (RFC 5321 §4.2.3)",
	421: "Service not available, closing transmission channel (RFC 5321 §4.2.3)",
	432: "A password transition is needed (RFC 4954 §4.7)",
	450: "Mailbox unavailable, try again later: busy, or temporarily blocked by policy (RFC 5321 §4.2.3)",
	451: "Local error in processing, try again later (RFC 5321 §4.2.3)",
	452: "Insufficient system storage, or too many recipients (RFC 5321 §4.2.3, §4.5.3.1.10)",
	454: "Temporary authentication failure, or TLS not available (RFC 4954 §6, RFC 3207 §4)",
	455: "Server unable to accommodate parameters (RFC 5321 §4.2.3)",
	500: "Syntax error, command unrecognized or line too long (RFC 5321 §4.2.3)",
	501: "Syntax error in parameters or arguments (RFC 5321 §4.2.3)",
	502: "Command not implemented (RFC 5321 §4.2.3)",
	503: "Bad sequence of commands (RFC 5321 §4.2.3)",
	504: "Command parameter not implemented (RFC 5321 §4.2.3)",
	521: "Host does not accept mail (RFC 7504)",
	523: "Encryption needed (RFC 5248)",
	530: "Authentication required, or must issue STARTTLS first (RFC 4954 §6, RFC 3207 §4)",
	534: "Authentication mechanism is too weak (RFC 4954 §6)",
	535: "Authentication credentials invalid (RFC 4954 §6)",
	538: "Encryption required for requested authentication mechanism (RFC 4954 §6)",
	550: "Mailbox unavailable: not found, no access, or rejected by policy (RFC 5321 §4.2.3)",
	551: "User not local (RFC 5321 §4.2.3)",
	552: "Exceeded storage allocation or message size (RFC 5321 §4.2.3)",
	553: "Mailbox name not allowed (RFC 5321 §4.2.3)",
	554: "Transaction failed; as a greeting: no SMTP service here (RFC 5321 §4.2.3, §3.1)",
	555: "MAIL FROM/RCPT TO parameters not recognized or not implemented (RFC 5321 §4.2.3)",
	556: "Domain does not accept mail (RFC 7504)",
}

// CodeText returns what an SMTP reply code means, with the RFC section
// that defines it, or "" for a code no RFC names.
func CodeText(code int) string { return codeText[code] }

var enhancedClassText = map[int]string{
	2: "Success",
	4: "Persistent transient failure: the same message may succeed later",
	5: "Permanent failure: resending unchanged will fail again",
}

// Subject and detail texts from the RFC 3463 §3 registry (and RFC 4954 §6,
// RFC 3207, RFC 7372 for the security codes).
var enhancedText = map[[2]int]string{
	{0, 0}:  "Other undefined status",
	{1, 0}:  "Other address status",
	{1, 1}:  "Bad destination mailbox address",
	{1, 2}:  "Bad destination system address",
	{1, 3}:  "Bad destination mailbox address syntax",
	{1, 6}:  "Destination mailbox has moved",
	{1, 7}:  "Bad sender's mailbox address syntax",
	{1, 8}:  "Bad sender's system address",
	{1, 10}: "Recipient address has null MX",
	{2, 0}:  "Other or undefined mailbox status",
	{2, 1}:  "Mailbox disabled, not accepting messages",
	{2, 2}:  "Mailbox full",
	{2, 3}:  "Message length exceeds administrative limit",
	{3, 0}:  "Other or undefined mail system status",
	{3, 1}:  "Mail system full",
	{3, 4}:  "Message too big for system",
	{4, 0}:  "Other or undefined network or routing status",
	{4, 1}:  "No answer from host",
	{4, 2}:  "Bad connection",
	{4, 4}:  "Unable to route",
	{4, 7}:  "Delivery time expired",
	{5, 0}:  "Other or undefined protocol status",
	{5, 1}:  "Invalid command",
	{5, 2}:  "Syntax error",
	{5, 3}:  "Too many recipients",
	{5, 4}:  "Invalid command arguments",
	{5, 5}:  "Wrong protocol version",
	{5, 6}:  "Authentication exchange line is too long",
	{6, 0}:  "Other or undefined media error",
	{6, 3}:  "Conversion required but not supported",
	{7, 0}:  "Other or undefined security status",
	{7, 1}:  "Delivery not authorized, message refused",
	{7, 8}:  "Authentication credentials invalid",
	{7, 9}:  "Authentication mechanism is too weak",
	{7, 10}: "Encryption needed",
	{7, 11}: "Encryption required for requested authentication mechanism",
	{7, 12}: "A password transition is needed",
	{7, 13}: "User account disabled",
	{7, 14}: "Trust relationship required",
}

// Text describes an enhanced status code from the RFC 3463 registry, such
// as "Permanent failure: ...; Authentication credentials invalid". Unknown
// subject/detail pairs fall back to the class alone.
func (e EnhancedCode) Text() string {
	class := enhancedClassText[e.Class]
	if class == "" {
		return ""
	}
	if d := enhancedText[[2]int{e.Subject, e.Detail}]; d != "" {
		return class + "; " + d
	}
	return class
}

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

// What the codes mean, in words and in three languages, is in
// smtpwire/explain (CodeMeaning, EnhancedMeaning).

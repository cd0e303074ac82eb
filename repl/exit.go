package repl

// Exit statuses of a session, shared by the shell's script mode and the
// smtpsh commands. They are documented in the README. The shell reports
// any negative reply as ExitNegative; send and check, which know the stage
// a reply belongs to, use ExitAuth, ExitEnvelope and ExitMessage for those
// stages and ExitNegative for the rest (greeting, EHLO, STARTTLS).
const (
	ExitOK       = 0 // the session ended with no negative reply
	ExitNegative = 1 // the server answered some command with 4yz or 5yz
	ExitUsage    = 2 // bad flags or arguments
	ExitConnect  = 3 // the connection could not be made (DNS, refused, timed out)
	ExitTLS      = 4 // the TLS handshake or certificate verification failed
	ExitProtocol = 5 // the session broke: garbage, time-out, or the server hung up mid-reply
	ExitAborted  = 6 // the user interrupted a command
	ExitAuth     = 7 // AUTH failed: bad credentials, mechanism not offered, TLS required first
	ExitEnvelope = 8 // the sender, or every recipient, was rejected
	ExitMessage  = 9 // the server refused the message after DATA
)

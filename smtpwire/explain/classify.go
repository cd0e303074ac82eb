package explain

import "strings"

// Kind is what a reply's text says beyond its codes, as particular
// servers word it. A reply may be of several kinds at once.
//
// This file is the one place that knows the wording of providers' replies:
// QQ's 501 "mail from address must be same as authorization user", 163's
// 553 "Mail from must equal authorized user" and 554 "DT:SPM", Postfix's
// "Sender address rejected: not owned by user", Microsoft's
// "SendAsDenied" and 5.7.139 "SmtpClientAuthentication is disabled",
// Gmail's 534 5.7.9 "Application-specific password required", QQ's 503
// "need EHLO and AUTH first", greylisting servers, blocklists (Spamhaus,
// SpamCop), and the Aliyun DirectMail session of the provider guides.
type Kind uint32

// The kinds of reply text.
const (
	SenderMismatch    Kind = 1 << iota // the sender is not the authenticated user
	Greylisted                         // a first attempt refused on purpose (RFC 6647)
	BasicAuthDisabled                  // Microsoft 365: SMTP AUTH off for the mailbox
	Blocklisted                        // the client's IP is on a DNS blocklist
	Blocked                            // refused for reputation or a block
	UnknownUser                        // no such mailbox
	Relay                              // relaying denied
	Spam163                            // 163/126 content filter (DT:SPM)
	NeedsTLS                           // STARTTLS first
	NeedsAuth                          // AUTH first
	TooManyRecipients                  // recipient limit
	MailboxFull                        // quota exceeded
	TooLong                            // a line too long
	Queued                             // accepted, with a queue id
	AppPassword                        // Gmail: an application-specific password is needed
	MentionsAuth                       // the text speaks of authentication at all
)

// kindNames are the names of the kinds, in the order of the constants.
var kindNames = []string{
	"sender_mismatch", "greylisted", "basic_auth_disabled", "blocklisted", "blocked",
	"unknown_user", "relay_denied", "spam_163", "needs_tls", "needs_auth",
	"too_many_recipients", "mailbox_full", "too_long", "queued", "app_password", "mentions_auth",
}

// Has reports whether k includes all of want.
func (k Kind) Has(want Kind) bool { return want != 0 && k&want == want }

// Names lists the names of the kinds in k, such as ["sender_mismatch"];
// mentions_auth only when it is the only one.
func (k Kind) Names() []string {
	if k != MentionsAuth {
		k &^= MentionsAuth
	}
	var out []string
	for i, n := range kindNames {
		if k&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Classify reads a reply's text (any case) and says what kinds it is.
func Classify(text string) Kind {
	t := strings.ToLower(text)
	var k Kind
	add := func(kind Kind, ok bool) {
		if ok {
			k |= kind
		}
	}
	add(SenderMismatch, senderMismatch(t))
	add(Greylisted, hasAny(t, "greylist", "graylist", "grey-list", "gray-list"))
	add(BasicAuthDisabled, hasAny(t, "smtpclientauthentication", "basic authentication is disabled"))
	add(Blocklisted, hasAny(t, "blocklist", "blacklist", "block list", "spamhaus", "spamcop", "dnsbl"))
	add(Blocked, hasAny(t, "blocked", "reputation"))
	add(UnknownUser, hasAny(t, "unknown user", "user unknown", "no such", "does not exist", "not exist",
		"not found", "invalid recipient", "mailbox unavailable", "unknown"))
	add(Relay, strings.Contains(t, "relay"))
	add(Spam163, strings.Contains(t, "dt:spm"))
	add(NeedsTLS, hasAny(t, "starttls", "tls"))
	add(NeedsAuth, hasAny(t, "authentication required", "authentication is required", "need ehlo and auth"))
	add(TooManyRecipients, hasAny(t, "too many recipients", "too many rcpt"))
	add(MailboxFull, hasAny(t, "quota", "mailbox full", "mailbox is full"))
	add(TooLong, strings.Contains(t, "too long"))
	add(Queued, strings.Contains(t, "queued"))
	add(MentionsAuth, strings.Contains(t, "auth"))
	add(AppPassword, hasAny(t, "application-specific password", "app password"))
	return k
}

// senderMismatch recognises "the sender is not the authenticated user":
// QQ's 501 "mail from address must be same as authorization user", 163's
// 553 "Mail from must equal authorized user", Postfix's "not owned by
// user", Microsoft's SendAsDenied.
func senderMismatch(t string) bool {
	if hasAny(t, "not owned by", "sendasdenied", "not allowed to send as") {
		return true
	}
	return strings.Contains(t, "auth") && hasAny(t, "sender", "mail from", "from address") &&
		hasAny(t, "equal", "same", "match")
}

// AuthPrompt names what a decoded AUTH LOGIN challenge asks for:
// "username" for "Username:" (or Aliyun's lower-case "username:"),
// "password" for "Password:", "" otherwise (RFC 4954 §4).
func AuthPrompt(decoded string) string {
	switch low := strings.ToLower(strings.TrimSpace(decoded)); {
	case strings.HasPrefix(low, "user"):
		return "username"
	case strings.HasPrefix(low, "pass"):
		return "password"
	}
	return ""
}

func hasAny(text string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

package smtpwire

import (
	"context"
)

// expect turns a reply other than one of the wanted codes into a
// *ReplyError naming the command as shown in the trace.
func expect(shown string, r *Reply, err error, want ...int) error {
	if err != nil {
		return err
	}
	for _, w := range want {
		if r.Code == w {
			return nil
		}
	}
	return &ReplyError{Command: shown, Code: r.Code, Enhanced: r.Enhanced, Reply: r}
}

// simple runs a command without secrets and checks its reply code.
func (c *Client) simple(ctx context.Context, line string, want ...int) (*Reply, error) {
	r, err := c.exchange(ctx, line, line, c.timeoutFor(commandVerb(line)))
	return r, expect(line, r, err, want...)
}

// Hello sends EHLO name and, if the server does not know EHLO (500 or 502,
// RFC 5321 §3.2), falls back to HELO; in LMTP (Config.LMTP) it sends LHLO. An empty name means
// Config.LocalName. A negative reply is a *ReplyError.
func (c *Client) Hello(ctx context.Context, name string) error {
	if name == "" {
		name = c.cfg.LocalName
	}
	if err := checkLine(name); err != nil {
		return err
	}
	if c.LMTP() {
		// RFC 2033 §4.1: LHLO, and no HELO to fall back to.
		_, err := c.simple(ctx, "LHLO "+name, CodeOK)
		return err
	}
	r, err := c.simple(ctx, "EHLO "+name, CodeOK)
	if err == nil || !EHLOUnknown(r) {
		return err
	}
	_, err = c.simple(ctx, "HELO "+name, CodeOK)
	return err
}

// EHLOUnknown reports a reply to EHLO that means the server does not know
// the command, so HELO is due: 500 or 502 (RFC 5321 §3.2, §4.1.4). Any
// other refusal is the server's answer, not a reason to fall back.
func EHLOUnknown(r *Reply) bool {
	return r != nil && (r.Code == CodeSyntaxError || r.Code == CodeNotImplemented)
}

// MailOptions are the MAIL FROM parameters of common extensions. A nil
// *MailOptions sends none.
type MailOptions struct {
	Size     int64  // SIZE=, RFC 1870; 0 omits it
	Body     string // BODY=7BIT or 8BITMIME, RFC 6152; "" omits it
	SMTPUTF8 bool   // SMTPUTF8, RFC 6531 §3.4
	Return   string // RET=FULL or HDRS, RFC 3461 §4.3; "" omits it
	EnvID    string // ENVID=, RFC 3461 §4.4, xtext-encoded here
	// RequireTLS asks every hop to deliver over verified TLS only
	// (REQUIRETLS, RFC 8689 §4.1).
	RequireTLS bool
}

func (o *MailOptions) params() string { return string(o.appendParams(nil)) }

// Mail starts a transaction with MAIL FROM:<from> (RFC 5321 §4.1.1.2).
// An empty from is the null reverse-path "<>". A negative reply is a
// *ReplyError.
func (c *Client) Mail(ctx context.Context, from string, opts *MailOptions) error {
	line := "MAIL FROM:<" + from + ">" + opts.params()
	_, err := c.simple(ctx, line, CodeOK)
	return err
}

// RcptOptions are the RCPT TO parameters of RFC 3461 DSN. A nil
// *RcptOptions sends none.
type RcptOptions struct {
	Notify []string // NOTIFY=: NEVER, or any of SUCCESS, FAILURE, DELAY
	ORcpt  string   // ORCPT=rfc822;<addr>, xtext-encoded here
}

func (o *RcptOptions) params() string { return string(o.appendParams(nil)) }

// Rcpt adds a recipient with RCPT TO:<to> (RFC 5321 §4.1.1.3). 250 and
// 251 are success; anything else is a *ReplyError, and the transaction
// goes on so other recipients can still be tried.
func (c *Client) Rcpt(ctx context.Context, to string, opts *RcptOptions) error {
	line := "RCPT TO:<" + to + ">" + opts.params()
	_, err := c.simple(ctx, line, CodeOK, CodeWillForward)
	return err
}

// Data sends DATA and, on 354, returns the writer for the message. Close
// the writer to end the message and read the server's verdict. A negative
// reply to DATA is a *ReplyError.
func (c *Client) Data(ctx context.Context) (*DataWriter, error) {
	if _, err := c.simple(ctx, "DATA", CodeStartData); err != nil {
		return nil, err
	}
	return c.DataWriter(ctx)
}

// Rset aborts the current transaction (RFC 5321 §4.1.1.5).
func (c *Client) Rset(ctx context.Context) error {
	_, err := c.simple(ctx, "RSET", CodeOK)
	return err
}

// Noop does nothing but check that the server answers (RFC 5321 §4.1.1.9).
func (c *Client) Noop(ctx context.Context) error {
	_, err := c.simple(ctx, "NOOP", CodeOK)
	return err
}

// Vrfy asks the server to verify a user or mailbox (RFC 5321 §4.1.1.6).
// 250, 251 and 252 are answers; anything else is a *ReplyError.
func (c *Client) Vrfy(ctx context.Context, what string) (*Reply, error) {
	return c.simple(ctx, "VRFY "+what, CodeOK, CodeWillForward, CodeCannotVerify)
}

// Expn asks the server to expand a mailing list (RFC 5321 §4.1.1.7).
func (c *Client) Expn(ctx context.Context, list string) (*Reply, error) {
	return c.simple(ctx, "EXPN "+list, CodeOK, CodeCannotVerify)
}

// Help asks for help, on topic if it is not "" (RFC 5321 §4.1.1.8).
// 211 and 214 are answers.
func (c *Client) Help(ctx context.Context, topic string) (*Reply, error) {
	line := "HELP"
	if topic != "" {
		line += " " + topic
	}
	return c.simple(ctx, line, CodeSystemStatus, CodeHelp)
}

// Quit sends QUIT, reads the reply and closes the connection, whatever the
// server answered (RFC 5321 §4.1.1.10). A reply other than 221 is a
// *ReplyError.
func (c *Client) Quit(ctx context.Context) error {
	_, err := c.simple(ctx, "QUIT", CodeClosing)
	c.Close()
	c.unwatch()
	return err
}

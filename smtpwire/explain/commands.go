package explain

import "strings"

// Command documents one SMTP command for the shell's /help and its
// completion; what it does is in the catalog (Summary, Detail).
type Command struct {
	Name   string // "MAIL"
	Syntax string // "MAIL FROM:<reverse-path> [SIZE=n] [BODY=8BITMIME] [SMTPUTF8]"
	RFC    string // "RFC 5321 §4.1.1.2"
	Insert string // what tab completion inserts, such as "MAIL FROM:<"
}

// Summary is one line of at most 48 columns (the /help table).
func (c Command) Summary() Msg { return M("cmd." + c.Name + ".summary") }

// Detail is a few lines separated by "\n": what the command does, its
// replies, common mistakes.
func (c Command) Detail() Msg { return M("cmd." + c.Name + ".detail") }

// Commands lists the commands a user types in the shell, in the order of
// a session. BDAT is not among them: a line-by-line shell cannot send its
// raw chunks; LookupCommand still documents it.
var Commands = []Command{
	{"EHLO", "EHLO <your-host-name> | EHLO [192.0.2.1]", "RFC 5321 §4.1.1.1", "EHLO "},
	{"HELO", "HELO <your-host-name>", "RFC 5321 §4.1.1.1", "HELO "},
	{"STARTTLS", "STARTTLS", "RFC 3207 §4", "STARTTLS"},
	{"AUTH", "AUTH <mechanism> [initial-response] (AUTH LOGIN, AUTH PLAIN <base64>)", "RFC 4954 §4", "AUTH "},
	{"MAIL", "MAIL FROM:<reverse-path> [SIZE=n] [BODY=8BITMIME] [SMTPUTF8] [RET=FULL|HDRS] [ENVID=id]", "RFC 5321 §4.1.1.2", "MAIL FROM:<"},
	{"RCPT", "RCPT TO:<forward-path> [NOTIFY=SUCCESS,FAILURE,DELAY|NEVER] [ORCPT=rfc822;addr]", "RFC 5321 §4.1.1.3", "RCPT TO:<"},
	{"DATA", "DATA", "RFC 5321 §4.1.1.4", "DATA"},
	{"RSET", "RSET", "RFC 5321 §4.1.1.5", "RSET"},
	{"VRFY", "VRFY <user-or-address>", "RFC 5321 §4.1.1.6", "VRFY "},
	{"EXPN", "EXPN <mailing-list>", "RFC 5321 §4.1.1.7", "EXPN "},
	{"HELP", "HELP [command]", "RFC 5321 §4.1.1.8", "HELP"},
	{"NOOP", "NOOP", "RFC 5321 §4.1.1.9", "NOOP"},
	{"QUIT", "QUIT", "RFC 5321 §4.1.1.10", "QUIT"},
}

// bdat documents BDAT for LookupCommand only; see Commands.
var bdat = Command{Name: "BDAT", Syntax: "BDAT <chunk-size> [LAST]", RFC: "RFC 3030 §2"}

// LookupCommand finds an SMTP command by name, in any case. It knows BDAT
// too, which Commands leaves out.
func LookupCommand(name string) (Command, bool) {
	name = strings.TrimSpace(name)
	for _, c := range Commands {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	if strings.EqualFold(bdat.Name, name) {
		return bdat, true
	}
	return Command{}, false
}

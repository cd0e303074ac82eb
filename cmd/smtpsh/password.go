package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/chzyer/readline"
)

// passwordFlags say where a command gets the password for AUTH: the
// SMTPSH_PASSWORD environment variable, --password-file, or a prompt
// without echo on a terminal. --password exists only to warn: argv is
// readable by every user of the machine (ps, /proc/PID/cmdline).
type passwordFlags struct {
	file string
	argv string
}

func (p *passwordFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.file, "password-file", "", "read the AUTH password from the first line of `FILE`")
	fs.StringVar(&p.argv, "password", "", "the AUTH password (avoid: other users can read argv; use SMTPSH_PASSWORD or --password-file)")
}

// errNoPassword means no source gave a password.
var errNoPassword = errors.New("no password: set SMTPSH_PASSWORD, use --password-file FILE, or run on a terminal to be asked")

// get returns the password for user, in this order: --password (with a
// warning), SMTPSH_PASSWORD, --password-file, a prompt on the terminal.
// An empty password is an error that names where it came from: it is
// almost always a variable that was not filled or the wrong file, and
// AUTH PLAIN cannot carry one (RFC 4616 §2: passwd = 1*SAFE).
func (p *passwordFlags) get(user string, stdin io.Reader, stderr io.Writer) (string, error) {
	if p.argv != "" {
		fmt.Fprintln(stderr, "smtpsh: warning: --password puts the password in argv, where other users can read it; prefer SMTPSH_PASSWORD or --password-file")
		return p.argv, nil
	}
	if pw, ok := os.LookupEnv("SMTPSH_PASSWORD"); ok {
		if pw == "" {
			return "", errors.New("SMTPSH_PASSWORD is set but empty")
		}
		return pw, nil
	}
	if p.file != "" {
		pw, err := readFirstLine(p.file) // spaces are the password's own
		if err == nil && pw == "" {
			err = fmt.Errorf("--password-file %s: the first line is empty", p.file)
		}
		return pw, err
	}
	if f, ok := stdin.(*os.File); ok && readline.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(stderr, "Password for %s: ", user)
		b, err := readline.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err == nil && len(b) == 0 {
			err = errors.New("no password typed")
		}
		return string(b), err
	}
	return "", errNoPassword
}

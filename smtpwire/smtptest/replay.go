package smtptest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// TB is the part of testing.TB that Replay uses. It is an interface of
// the package's own so that a program linking smtptest (smtpsh serve
// does) does not link package testing and pay for its start-up; a
// *testing.T or *testing.B satisfies it.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
}

// stdout receives the update diff besides t.Log; tests replace it.
var stdout io.Writer = os.Stdout

// Replay runs a golden-transcript test. It parses the transcript at path,
// starts a Server for it, calls drive with the server's address and a client
// TLS configuration that trusts the server's certificate, waits for the
// session to end and reports every failure, the server's and the one drive
// returns, with t.Errorf. drive must dial addr, run the client through the
// whole session and close the connection before it returns. Replay must be
// called from the test goroutine.
//
// When update is true, a C: line the client did not match does not stop the
// session: it is recorded and the session goes on. Replay then rewrites the
// transcript with each mismatched C: line replaced by what the client sent
// (comments and every other line are kept), and prints the changed lines,
// with t.Log and on standard output, as
//
//	name.txt:12: -C: AUTH LOGIN
//	name.txt:12: +C: AUTH PLAIN AHVzZXIAcGFzcw==
//
// The update writes what the client sent, secrets included: read the diff.
// A transcript that passes is not rewritten, and failures an update cannot
// fix (the client sent fewer lines, a bare LF, or something after the end)
// are still reported.
//
// The package defines no flag; a test passes its own:
//
//	var update = flag.Bool("update", false, "rewrite failing transcripts")
//
//	func TestAuthPlain(t *testing.T) {
//		smtptest.Replay(t, "testdata/auth-plain.txt", *update, func(addr string, cfg *tls.Config) error {
//			...
//		})
//	}
func Replay(t TB, path string, update bool, drive func(addr string, tlsConfig *tls.Config) error) {
	t.Helper()
	script, err := ParseFile(path)
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	srv, err := NewServer(script, &ServeOptions{KeepGoing: update})
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	defer srv.Close()

	driveErr := drive(srv.Addr(), srv.ClientTLSConfig())
	srv.stopWaitingForClient()
	serveErr := srv.Wait()

	if update && serveErr != nil {
		serveErr = updateFile(t, path, script, serveErr)
	}
	if serveErr != nil {
		t.Errorf("%v", serveErr)
	}
	if driveErr != nil {
		t.Errorf("%s: client: %v", script.name(), driveErr)
	}
}

// updateFile applies the fixable mismatches in err to the transcript at
// path, writes it back and prints the diff. It returns what it could not
// fix.
func updateFile(t TB, path string, script *Script, err error) error {
	t.Helper()
	fixes, rest := splitMismatches(err)
	if len(fixes) == 0 {
		return err
	}
	old, rerr := os.ReadFile(path)
	if rerr != nil {
		return errors.Join(err, fmt.Errorf("updating %s: %w", path, rerr))
	}
	for i := range script.Steps {
		if got, ok := fixes[script.Steps[i].Line]; ok {
			script.Steps[i].Text = got
		}
	}
	updated := script.Format()
	if werr := os.WriteFile(path, updated, 0o666); werr != nil {
		return errors.Join(err, fmt.Errorf("updating %s: %w", path, werr))
	}
	diff := lineDiff(script.name(), string(old), string(updated))
	t.Logf("updated %s:\n%s", path, diff)
	fmt.Fprintf(stdout, "updated %s:\n%s", path, diff)
	return errors.Join(rest...)
}

// splitMismatches walks the errors.Join tree of err and returns the fixable
// mismatches as line number -> client line, and every other error.
func splitMismatches(err error) (fixes map[int]string, rest []error) {
	fixes = make(map[int]string)
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		if me, ok := err.(*MismatchError); ok && me.fixable() && me.Line > 0 {
			fixes[me.Line] = me.Got
			return
		}
		rest = append(rest, err)
	}
	walk(err)
	return fixes, rest
}

// lineDiff compares old and new line by line (an update never adds or
// removes lines) and returns "name:line: -old" and "name:line: +new" for
// each changed line.
func lineDiff(name, old, new string) string {
	a := strings.Split(strings.TrimSuffix(old, "\n"), "\n")
	b := strings.Split(strings.TrimSuffix(new, "\n"), "\n")
	var out strings.Builder
	for i := range max(len(a), len(b)) {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x == y {
			continue
		}
		if i < len(a) {
			fmt.Fprintf(&out, "%s:%d: -%s\n", name, i+1, x)
		}
		if i < len(b) {
			fmt.Fprintf(&out, "%s:%d: +%s\n", name, i+1, y)
		}
	}
	return out.String()
}

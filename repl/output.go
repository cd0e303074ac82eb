package repl

import (
	"fmt"
	"io"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
)

// ANSI colours for a terminal.
const (
	colorServer = "\x1b[32m" // green
	colorClient = "\x1b[36m" // cyan
	colorNote   = "\x1b[2m"  // dim
	colorWarn   = "\x1b[33m" // yellow
	colorError  = "\x1b[31m" // red
	colorReset  = "\x1b[0m"
)

// maxLog bounds the in-memory copy of the session kept so that /record can
// start mid-session with the whole exchange; past it, /record starts where
// it is and says so.
const maxLog = 100_000

// printer writes the session as a transcript (testdata/transcripts
// format): "S: " and "C: " wire lines, "! tls" where TLS starts and "# "
// annotations. The same lines go, plain and with secrets redacted, to the
// recording and to the session log. On a terminal (interactive) it adds
// colours, shows a decoded 334 challenge on its own line, and does not
// echo the line the user has just typed.
type printer struct {
	out         io.Writer
	interactive bool
	color       bool

	rec     io.Writer // the recording, or nil
	log     []string  // the session so far, for /record
	logFull bool

	tlsMarked bool   // "! tls" was written
	typed     string // the line the user just typed, not echoed on a terminal

	// A /file body on a terminal: the first quietShown lines are shown,
	// the rest only counted.
	quietData     bool
	shown, hidden int
}

const quietShown = 5

// transcript records one plain transcript line.
func (p *printer) transcript(line string) {
	if p.rec != nil {
		io.WriteString(p.rec, line+"\n")
	}
	if len(p.log) < maxLog {
		p.log = append(p.log, line)
	} else {
		p.logFull = true
	}
}

func (p *printer) paint(color, line string) {
	if p.color {
		fmt.Fprintf(p.out, "%s%s%s\n", color, line, colorReset)
		return
	}
	fmt.Fprintln(p.out, line)
}

// wire shows one traced wire line.
func (p *printer) wire(ev smtpwire.TraceEvent) {
	if ev.TLS {
		p.markTLS()
	}
	// Server text may hold terminal escapes: shown and recorded escaped,
	// reversibly (smtpwire.EscapeLine).
	ev.Line, ev.Decoded = smtpwire.EscapeLine(ev.Line), smtpwire.EscapeControls(ev.Decoded)
	line := ev.Dir.String() + ": " + ev.Line
	if ev.Line == "" {
		line = ev.Dir.String() + ":"
	}
	p.transcript(line)
	if ev.Decoded != "" {
		p.transcript("# " + ev.Decoded)
	}
	switch {
	case p.interactive && ev.Dir == smtpwire.Sent && p.typed != "" && ev.Line == p.typed:
		p.typed = "" // the terminal already shows what was typed
	case p.interactive && ev.Dir == smtpwire.Sent && p.quietData && p.shown >= quietShown:
		p.hidden++
	case p.interactive && ev.Dir == smtpwire.Sent && p.quietData:
		p.shown++
		p.paint(colorClient, line)
	case p.interactive && ev.Decoded != "":
		p.paint(colorServer, line+"   # "+ev.Decoded)
	case ev.Dir == smtpwire.Sent:
		p.paint(colorClient, line)
	default:
		p.paint(colorServer, line)
		if ev.Decoded != "" {
			fmt.Fprintln(p.out, "# "+ev.Decoded)
		}
	}
}

// markTLS writes the "! tls" marker once, where the handshake happened.
func (p *printer) markTLS() {
	if p.tlsMarked {
		return
	}
	p.tlsMarked = true
	p.transcript("! tls")
	if p.interactive {
		p.paint(colorNote, "# -- TLS from here on --")
	} else {
		fmt.Fprintln(p.out, "! tls")
	}
}

// note writes annotation lines, each as "# text".
func (p *printer) note(lines ...string) { p.annotate(colorNote, "", lines) }

// warn writes a warning annotation.
func (p *printer) warn(lines ...string) { p.annotate(colorWarn, "warning: ", lines) }

// fail writes an error annotation.
func (p *printer) fail(lines ...string) { p.annotate(colorError, "error: ", lines) }

func (p *printer) annotate(color, prefix string, lines []string) {
	for i, l := range lines {
		if i > 0 {
			prefix = strings.Repeat(" ", len(prefix))
		}
		for _, part := range strings.Split(l, "\n") {
			line := strings.TrimRight("# "+prefix+smtpwire.EscapeControls(part), " ")
			p.transcript(line)
			p.paint(color, line)
		}
	}
}

// raw writes output that is not part of the transcript (help text on a
// terminal). In script mode it is written as annotations, so the output
// stays a valid transcript.
func (p *printer) raw(lines ...string) {
	if !p.interactive {
		p.note(lines...)
		return
	}
	for _, l := range lines {
		fmt.Fprintln(p.out, smtpwire.EscapeControls(l))
	}
}

// private shows a line to the user only: never to the recording or the
// session log, because it may hold a secret (/b64 of a password). In
// script mode it is an annotation, so the output stays a transcript.
func (p *printer) private(line string) {
	line = smtpwire.EscapeControls(line)
	if p.interactive {
		fmt.Fprintln(p.out, line)
		return
	}
	fmt.Fprintln(p.out, "# "+line)
}

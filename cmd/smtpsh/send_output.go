package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/submit"
)

// How much of a message "smtpsh send" shows: its first sendDataHead
// lines and its last sendDataTail lines (the final "." among them), with
// a count of the lines between. The recording keeps every line.
const (
	sendDataHead = 24
	sendDataTail = 3
)

// sendOutput writes the session of "smtpsh send" as a transcript, in the
// format of the shell's script mode and of testdata/transcripts: "S: " and
// "C: " wire lines (AUTH payloads already redacted by smtpwire), "! tls"
// where TLS starts, and "# " annotations. It shows the transcript on
// stdout unless --quiet, where only warnings and errors are shown, on
// stderr; the recording, if any, gets every line.
type sendOutput struct {
	show io.Writer // stdout, or nil with --quiet
	diag io.Writer // where warnings and errors go with --quiet
	rec  *bufio.Writer
	file *os.File

	tlsMarked bool
	flight    int          // the last pipelined flight announced
	inMsg     bool         // message lines were sent since the last MAIL
	lang      explain.Lang // of the "# " lines

	// The message being sent: shown lines, then lines only counted, with
	// the last few kept to show at the end.
	inData      bool
	shownLines  int
	hiddenLines int
	hiddenBytes int64
	tail        [sendDataTail]string
	tailN       int // lines in tail (a ring once full)
}

func newSendOutput(stdout, stderr io.Writer, quiet bool, record string) (*sendOutput, error) {
	o := &sendOutput{show: stdout, diag: stderr}
	if quiet {
		o.show = nil
	}
	if record != "" {
		f, err := os.OpenFile(record, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return nil, fmt.Errorf("--record: %w", err)
		}
		o.file, o.rec = f, bufio.NewWriterSize(f, 64<<10)
	}
	return o, nil
}

// tracing reports whether anyone reads the wire lines. Without a reader
// the client is given no trace hook, and message lines are not turned
// into strings at all.
func (o *sendOutput) tracing() bool { return o.show != nil || o.rec != nil }

func (o *sendOutput) close() error {
	if o.file == nil {
		return nil
	}
	err := o.rec.Flush()
	if cerr := o.file.Close(); err == nil {
		err = cerr
	}
	return err
}

// emit writes one transcript line to the recording, and shows it.
func (o *sendOutput) emit(line string, show bool) {
	line = smtpwire.EscapeControls(line) // wire lines come escaped already (wire)
	if o.rec != nil {
		o.rec.WriteString(line)
		o.rec.WriteByte('\n')
	}
	if show && o.show != nil {
		io.WriteString(o.show, line+"\n")
	}
}

// wire is the trace hook: one line sent or received.
func (o *sendOutput) wire(ev smtpwire.TraceEvent) {
	if ev.TLS {
		o.markTLS()
	}
	// Server text may hold terminal escapes: shown and recorded escaped,
	// reversibly (smtpwire.EscapeLine).
	ev.Line = smtpwire.EscapeLine(ev.Line)
	line := ev.Dir.String() + ": " + ev.Line
	if ev.Line == "" {
		line = ev.Dir.String() + ":"
	}
	if ev.Data || (o.inMsg && ev.Dir == smtpwire.Sent && strings.HasPrefix(ev.Line, "BDAT ")) {
		// A message line, or a BDAT line between chunks.
		o.dataLine(line)
		return
	}
	o.endData() // a reply, or a command: the run of message lines ends
	if ev.Dir == smtpwire.Sent && strings.HasPrefix(ev.Line, "MAIL ") {
		o.inMsg, o.shownLines = false, 0 // the next message starts
	}
	if ev.Flight != 0 && ev.Flight != o.flight {
		o.flight = ev.Flight
		o.emit("# "+o.t("send.pipelined", "n", strconv.Itoa(ev.FlightLen)), true)
	}
	o.emit(line, true)
	if ev.Decoded != "" {
		o.emit("# "+ev.Decoded, true)
	}
}

// markTLS writes the "! tls" marker once, where TLS starts.
func (o *sendOutput) markTLS() {
	if !o.tlsMarked {
		o.tlsMarked = true
		o.emit("! tls", true)
	}
}

// dataLine handles one line of the message: shown while the head of
// the message lasts, then counted, with the last sendDataTail kept. A
// reply read in the middle of a message (BDAT's) ends a run of counted
// lines; the head is not shown again.
func (o *sendOutput) dataLine(line string) {
	if !o.inData {
		o.inData, o.inMsg = true, true
		o.hiddenLines, o.hiddenBytes, o.tailN = 0, 0, 0
	}
	if o.rec != nil {
		o.emit(line, false)
	}
	if o.show == nil {
		return
	}
	if o.shownLines < sendDataHead {
		o.shownLines++
		io.WriteString(o.show, line+"\n")
		return
	}
	o.hiddenLines++
	o.hiddenBytes += int64(len(line) - len("C: ") + 2)
	o.tail[o.tailN%sendDataTail] = line
	o.tailN++
}

// endData shows the count of the lines not shown, and the last ones.
func (o *sendOutput) endData() {
	if !o.inData {
		return
	}
	o.inData = false
	if o.show == nil || o.hiddenLines == 0 {
		return
	}
	kept := min(o.tailN, sendDataTail)
	first := o.tailN - kept
	if n := o.hiddenLines - kept; n > 0 {
		var keptBytes int64
		for i := first; i < o.tailN; i++ {
			keptBytes += int64(len(o.tail[i%sendDataTail]) - len("C: ") + 2)
		}
		id := "send.more_lines"
		if o.rec != nil {
			id = "send.more_lines_recorded"
		}
		io.WriteString(o.show, "# "+o.t(id, "n", strconv.Itoa(n), "size", sendByteSize(o.hiddenBytes-keptBytes, o.lang))+"\n")
	}
	for i := first; i < o.tailN; i++ {
		io.WriteString(o.show, o.tail[i%sendDataTail]+"\n")
	}
}

// note writes annotation lines.
func (o *sendOutput) note(lines ...string) { o.annotate("", false, lines) }

// noteMsg writes a note from the catalog. With nothing to write it to
// (--quiet, no recording) the text is not even made: the catalog is
// built on first use, and a quiet one-shot send never needs it.
func (o *sendOutput) noteMsg(id string, kv ...string) {
	if o.tracing() {
		o.note(o.t(id, kv...))
	}
}

// warn writes a warning; with --quiet it goes to stderr.
func (o *sendOutput) warn(lines ...string) { o.annotate("warning: ", true, lines) }

// fail writes an error; with --quiet it goes to stderr.
func (o *sendOutput) fail(lines ...string) { o.annotate("error: ", true, lines) }

// explain writes explanation lines of an error or warning, shown on
// stderr with --quiet too.
func (o *sendOutput) explain(lines ...string) { o.annotate("", true, lines) }

// t is the text of a catalog message in o's language.
func (o *sendOutput) t(id string, kv ...string) string { return explain.M(id, kv...).Text(o.lang) }

// say explains with messages, in o's language.
func (o *sendOutput) say(ms ...explain.Msg) { o.explain(explain.Texts(ms, o.lang)...) }

// explainReply explains a reply in o's language, without the advice about
// the shell's own commands (/b64, /auth), which send does not have: it
// does the base64 itself.
func (o *sendOutput) explainReply(cmd string, r *smtpwire.Reply) {
	var ms []explain.Msg
	for _, m := range explain.Reply(cmd, r) {
		if en := m.Text(explain.En); !strings.Contains(en, "/b64") && !strings.Contains(en, "/auth") {
			ms = append(ms, m)
		}
	}
	o.explain(repl.Notes(ms, o.lang)...)
}

func (o *sendOutput) annotate(prefix string, diag bool, lines []string) {
	o.endData()
	for i, l := range lines {
		if i > 0 {
			prefix = strings.Repeat(" ", len(prefix))
		}
		for part := range strings.SplitSeq(l, "\n") {
			line := strings.TrimRight("# "+prefix+part, " ")
			o.emit(line, true)
			if diag && o.show == nil {
				io.WriteString(o.diag, line+"\n")
			}
		}
	}
}

// A sendTiming is the time one stage of the session took. The words are
// made only when the table is shown: a quiet send never builds the
// catalog.
type sendTiming struct {
	stage  string // under send.stage. in the catalog, or a protocol word (EHLO, TLS, AUTH...)
	d      time.Duration
	detail func(explain.Lang) string // what the stage did; nil for nothing
}

// msgDetail is a timing detail from the catalog.
func msgDetail(id string, kv ...string) func(explain.Lang) string { return explain.M(id, kv...).Text }

// rawDetail is a timing detail in no language: a mechanism name.
func rawDetail(s string) func(explain.Lang) string {
	if s == "" {
		return nil
	}
	return func(explain.Lang) string { return s }
}

// noteDetail words a note of package submit in the reader's language.
func noteDetail(note string) func(explain.Lang) string {
	switch note {
	case submit.NoteHELOFallback:
		return msgDetail("send.timing.helo")
	case submit.NoteNoExtensions:
		return msgDetail("send.timing.no_extensions")
	case submit.NoteEHLOInTLS:
		return msgDetail("send.timing.ehlo_in_tls")
	case submit.NoteStartTLSRefused:
		return msgDetail("send.timing.starttls_refused")
	case submit.NoteTLSHandshake:
		return msgDetail("send.timing.handshake")
	}
	return rawDetail(note)
}

// timingLines lays out the stage times as a table, in o's language.
func (o *sendOutput) timingLines(ts []sendTiming, total time.Duration) []string {
	lines := []string{o.t("send.timing")}
	for _, t := range append(ts, sendTiming{stage: "total", d: total}) {
		l := fmt.Sprintf("  %s %9v", padRight(stepLabel("send.stage.", t.stage, o.lang), 12), repl.RoundDuration(t.d))
		if t.detail != nil {
			l += "  " + t.detail(o.lang)
		}
		lines = append(lines, l)
	}
	return lines
}

// sendByteSize formats a byte count: "812 bytes", "13.9 MiB".
func sendByteSize(n int64, lang explain.Lang) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return explain.M("send.bytes", "n", strconv.FormatInt(n, 10)).Text(lang)
}

// rate formats a throughput.
func sendRate(n int64, d time.Duration, lang explain.Lang) string {
	if d <= 0 {
		return "-"
	}
	return sendByteSize(int64(float64(n)/d.Seconds()), lang) + "/s"
}

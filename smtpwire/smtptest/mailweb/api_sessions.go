package mailweb

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// SessionLine is one wire line of a session, with the explanation of the
// reply it ends, if any.
type SessionLine struct {
	// Offset is the time since the session started, in milliseconds.
	Offset float64 `json:"offset_ms"`
	Dir    string  `json:"dir"` // "C" or "S"
	Text   string  `json:"text"`
	// Explain is set on the last line of a reply: what it means, in the
	// context of the command it answers.
	Explain []string `json:"explain,omitempty"`
}

// SessionDetail is a session with its lines.
type SessionDetail struct {
	smtptest.Session
	Lines []SessionLine `json:"lines"`
}

// listSessions answers GET /api/v1/sessions[?limit=]: newest first.
func (w *Web) listSessions(rw http.ResponseWriter, r *http.Request) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(rw, http.StatusBadRequest, "limit must be a positive number")
			return
		}
		limit = n
	}
	all := w.srv.Sessions()
	out := []smtptest.Session{}
	for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, all[i])
	}
	writeJSON(rw, http.StatusOK, map[string]any{"total": len(all), "sessions": out})
}

func (w *Web) foundSession(rw http.ResponseWriter, r *http.Request) (smtptest.Session, bool) {
	s, ok := w.srv.Session(r.PathValue("id"))
	if !ok {
		writeError(rw, http.StatusNotFound, "no session "+strconv.Quote(r.PathValue("id")))
	}
	return s, ok
}

// getSession answers GET /api/v1/sessions/{id}.
func (w *Web) getSession(rw http.ResponseWriter, r *http.Request) {
	s, ok := w.foundSession(rw, r)
	if !ok {
		return
	}
	lang := w.opts.Lang
	if v := r.URL.Query().Get("lang"); v != "" {
		l, err := explain.ParseLang(v)
		if err != nil {
			writeError(rw, http.StatusBadRequest, "lang: "+err.Error())
			return
		}
		lang = l
	}
	writeJSON(rw, http.StatusOK, SessionDetail{Session: s, Lines: explainSession(s, lang)})
}

func (w *Web) deleteSessions(rw http.ResponseWriter, r *http.Request) {
	w.srv.DeleteSessions()
	rw.WriteHeader(http.StatusNoContent)
}

var bdatLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^BDAT [0-9]+( LAST)?$`) })

// explainSession explains each reply of s in the context of the command
// it answers.
func explainSession(s smtptest.Session, lang explain.Lang) []SessionLine {
	out := make([]SessionLine, len(s.Lines))
	var reply []string
	cmds := replyCommands(s.Lines)
	for i, l := range s.Lines {
		out[i] = SessionLine{Offset: float64(l.Time.Sub(s.Start).Microseconds()) / 1000, Dir: l.Dir.String(), Text: l.Text}
		if l.Dir.String() == "C" {
			continue
		}
		reply = append(reply, l.Text)
		if cmd, ok := cmds[i]; ok {
			if verb, _, _ := strings.Cut(cmd, " "); strings.EqualFold(verb, "EHLO") {
				// Each keyword line of the EHLO reply says what it offers.
				for j := range len(reply) - 1 {
					if e := explainExtension(reply[j+1][min(4, len(reply[j+1])):], lang); e != "" {
						out[i-len(reply)+1+j+1].Explain = []string{e}
					}
				}
			}
			out[i].Explain = append(out[i].Explain, explainReply(cmd, reply, lang)...)
			reply = nil
		}
	}
	return out
}

// replyCommands maps the index of each reply's last line to the command
// that reply answers ("" for the greeting, "." for the end of a message,
// "AUTH" for an answer to a 334 challenge). Pipelining allows several
// commands before their replies (RFC 2920), so commands wait in a queue
// and each complete reply takes the oldest. Message lines (after 354,
// until ".") and BDAT chunk data (until the chunk's reply, RFC 3030) are
// not commands.
func replyCommands(lines []smtptest.SessionLine) map[int]string {
	cmds := map[int]string{}
	var (
		queue      []string
		inData     bool
		inChunk    bool
		challenged bool
		greeted    bool
	)
	for i, l := range lines {
		if l.Dir.String() == "C" {
			switch {
			case inData:
				if l.Text == "." {
					inData = false
					queue = append(queue, ".")
				}
			case challenged:
				challenged = false
				queue = append(queue, "AUTH")
			case bdatLine().MatchString(l.Text):
				inChunk = true
				queue = append(queue, l.Text)
			case inChunk:
			default:
				queue = append(queue, l.Text)
			}
			continue
		}
		if len(l.Text) >= 4 && l.Text[3] == '-' {
			continue // more lines of this reply follow
		}
		cmd := ""
		if greeted && len(queue) > 0 {
			cmd, queue = queue[0], queue[1:]
		}
		greeted = true
		cmds[i] = cmd
		switch l.Text[:min(3, len(l.Text))] {
		case "354":
			inData = true
		case "334":
			challenged = true
		}
		if len(queue) == 0 {
			inChunk = false // the chunk's reply has come
		}
	}
	return cmds
}

// transcript answers GET /api/v1/sessions/{id}/transcript: the session
// as a transcript file that "smtpsh replay" serves again and "smtpsh test"
// plays against a server.
func (w *Web) transcript(rw http.ResponseWriter, r *http.Request) {
	s, ok := w.foundSession(rw, r)
	if !ok {
		return
	}
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.Header().Set("Content-Disposition", `attachment; filename="session-`+s.ID+`.txt"`)
	fmt.Fprint(rw, formatTranscript(s))
}

// formatTranscript writes s in the transcript format of
// testdata/transcripts/README.md: "! tls" first for implicit TLS, or right
// after the 220 reply to STARTTLS. BDAT chunk data is logged as lines, so
// a session that used BDAT replays only if its chunks ended at line ends.
func formatTranscript(s smtptest.Session) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# session %s from %s to %s, %s\n", s.ID, s.Remote, s.Local, s.Start.UTC().Format(time.RFC3339))
	if s.TLS != nil {
		fmt.Fprintf(&b, "# %s, %s\n", s.TLS.Version, s.TLS.CipherSuite)
	}
	if s.LinesDropped > 0 {
		fmt.Fprintf(&b, "# %d lines past the log's limit are missing: this transcript is cut short\n", s.LinesDropped)
	}
	if s.ImplicitTLS {
		b.WriteString("! tls\n")
	}
	last := ""
	for _, l := range s.Lines {
		dir := l.Dir.String()
		fmt.Fprintf(&b, "%s: %s\n", dir, l.Text)
		if dir == "C" {
			last = l.Text
		} else if strings.EqualFold(last, "STARTTLS") && strings.HasPrefix(l.Text, "220 ") && s.TLS != nil {
			b.WriteString("! tls\n")
		}
	}
	return b.String()
}

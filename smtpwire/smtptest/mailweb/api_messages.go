package mailweb

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// maxWait bounds the wait parameter of GET /api/v1/messages.
const maxWait = 5 * time.Minute

// MessageSummary is a message in a list.
type MessageSummary struct {
	ID          string    `json:"id"`
	Session     string    `json:"session"`
	From        string    `json:"from"`
	To          []string  `json:"to"`
	Subject     string    `json:"subject"`
	Size        int       `json:"size"`
	Received    time.Time `json:"received"`
	TLS         bool      `json:"tls"`
	AuthUser    string    `json:"auth_user,omitempty"`
	Attachments int       `json:"attachments"`
}

// MessageDetail is one message with its parts.
type MessageDetail struct {
	MessageSummary
	Helo        string       `json:"helo"`
	Remote      string       `json:"remote"`
	Body        string       `json:"body,omitempty"`
	SMTPUTF8    bool         `json:"smtputf8"`
	Chunked     bool         `json:"chunked"`
	DSN         smtptest.DSN `json:"dsn"`
	Headers     []Header     `json:"headers"`
	Text        string       `json:"text"`
	HasHTML     bool         `json:"has_html"`
	Attachments []Attachment `json:"attachment_list"`
	ParseError  string       `json:"parse_error,omitempty"`
}

// MessageList is the answer of GET /api/v1/messages.
type MessageList struct {
	// Total is how many messages the server keeps.
	Total int `json:"total"`
	// Count is how many matched the filters; Messages holds the newest
	// of them, newest first, up to limit.
	Count    int              `json:"count"`
	Messages []MessageSummary `json:"messages"`
}

// lookup returns the parsed message with the given ID, parsing it on
// first use.
func (w *Web) lookup(id string) (*entry, bool) {
	w.mu.Lock()
	e, ok := w.cache[id]
	w.mu.Unlock()
	if ok {
		return e, true
	}
	m, ok := w.srv.Message(id)
	if !ok {
		return nil, false
	}
	e = &entry{msg: m, parsed: parseMessage(m.Data)}
	w.mu.Lock()
	w.cache[id] = e
	w.mu.Unlock()
	return e, true
}

// entries returns the kept messages, oldest first, and drops the cache
// entries of messages the server no longer keeps.
func (w *Web) entries() []*entry {
	ids := w.srv.MessageIDs()
	out := make([]*entry, 0, len(ids))
	for _, id := range ids {
		if e, ok := w.lookup(id); ok {
			out = append(out, e)
		}
	}
	w.prune(ids, 1)
	return out
}

// prune drops the cache entries of messages not in ids, the server's
// messages, once the cache is factor times their number.
func (w *Web) prune(ids []string, factor int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.cache) <= factor*len(ids) {
		return
	}
	keep := make(map[string]bool, len(ids))
	for _, id := range ids {
		keep[id] = true
	}
	for id := range w.cache {
		if !keep[id] {
			delete(w.cache, id)
		}
	}
}

func (e *entry) summary() MessageSummary {
	m := e.msg
	return MessageSummary{
		ID: m.ID, Session: m.Session, From: m.From, To: m.To, Subject: e.parsed.Subject,
		Size: len(m.Data), Received: m.Received, TLS: m.TLS, AuthUser: m.AuthUser,
		Attachments: len(e.parsed.Attachments),
	}
}

// filter is the query of GET /api/v1/messages.
type filter struct {
	to, from, subject string
	limit             int
	wait              time.Duration
	since             uint64 // only messages after this ID; 0: all
}

func parseFilter(r *http.Request) (filter, string) {
	q := r.URL.Query()
	f := filter{to: q.Get("to"), from: q.Get("from"), subject: q.Get("subject"), limit: 50}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return f, "limit must be a positive number"
		}
		f.limit = n
	}
	if v := q.Get("since"); v != "" {
		n, err := messageNumber(v)
		if err != nil {
			return f, "since must be a message ID such as 0000002A"
		}
		f.since = n
	}
	if v := q.Get("wait"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > maxWait {
			return f, "wait must be a duration such as 5s, at most " + maxWait.String()
		}
		f.wait = d
	}
	return f, ""
}

// matchAddress matches an address against a pattern: a glob with * and ?,
// ASCII case ignored.
func matchAddress(pattern, addr string) bool {
	return smtptest.MatchGlob(strings.ToLower(pattern), strings.ToLower(addr))
}

// messageNumber is the number of a message ID: IDs count up in
// hexadecimal (smtptest.MailServer), so "after" is a comparison of these.
func messageNumber(id string) (uint64, error) {
	return strconv.ParseUint(id, 16, 64)
}

func (f filter) match(e *entry) bool {
	if f.since != 0 {
		if n, err := messageNumber(e.msg.ID); err != nil || n <= f.since {
			return false
		}
	}
	if f.to != "" && !slices.ContainsFunc(e.msg.To, func(a string) bool { return matchAddress(f.to, a) }) {
		return false
	}
	if f.from != "" && !matchAddress(f.from, e.msg.From) {
		return false
	}
	return f.subject == "" || strings.Contains(strings.ToLower(e.parsed.Subject), strings.ToLower(f.subject))
}

// list returns the messages matching f, newest first.
func (w *Web) list(f filter) MessageList {
	all := w.entries()
	l := MessageList{Total: len(all), Messages: []MessageSummary{}}
	for i := len(all) - 1; i >= 0; i-- {
		if !f.match(all[i]) {
			continue
		}
		l.Count++
		if len(l.Messages) < f.limit {
			l.Messages = append(l.Messages, all[i].summary())
		}
	}
	return l
}

// listMessages answers GET /api/v1/messages[?to=&from=&subject=&since=&limit=&wait=].
// With wait, it answers as soon as a message matches, or when wait is
// over (with an empty list), so that a test need not poll; with since,
// only messages received after that one match, so that a wait is not
// answered by an older message.
func (w *Web) listMessages(rw http.ResponseWriter, r *http.Request) {
	f, bad := parseFilter(r)
	if bad != "" {
		writeError(rw, http.StatusBadRequest, bad)
		return
	}
	deadline := time.NewTimer(f.wait)
	defer deadline.Stop()
	for {
		changed := w.srv.Changed()
		l := w.list(f)
		if l.Count > 0 || f.wait == 0 {
			writeJSON(rw, http.StatusOK, l)
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			writeJSON(rw, http.StatusOK, l)
			return
		case <-r.Context().Done():
			return
		}
	}
}

func (w *Web) found(rw http.ResponseWriter, r *http.Request) (*entry, bool) {
	var e *entry
	ok := slices.Contains(w.srv.MessageIDs(), r.PathValue("id")) // not deleted or dropped since it was cached
	if ok {
		e, ok = w.lookup(r.PathValue("id"))
	}
	if !ok {
		writeError(rw, http.StatusNotFound, "no message "+strconv.Quote(r.PathValue("id")))
	}
	return e, ok
}

// getMessage answers GET /api/v1/messages/{id}.
func (w *Web) getMessage(rw http.ResponseWriter, r *http.Request) {
	e, ok := w.found(rw, r)
	if !ok {
		return
	}
	m, p := e.msg, e.parsed
	writeJSON(rw, http.StatusOK, MessageDetail{
		MessageSummary: e.summary(),
		Helo:           m.Helo, Remote: m.Remote, Body: m.Body, SMTPUTF8: m.SMTPUTF8, Chunked: m.Chunked, DSN: m.DSN,
		Headers: p.Headers, Text: p.Text, HasHTML: p.HTML != "", Attachments: append([]Attachment{}, p.Attachments...),
		ParseError: p.Err,
	})
}

// rawMessage answers GET /api/v1/messages/{id}/raw: the message as
// received.
func (w *Web) rawMessage(rw http.ResponseWriter, r *http.Request) {
	e, ok := w.found(rw, r)
	if !ok {
		return
	}
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if r.URL.Query().Has("download") {
		rw.Header().Set("Content-Disposition", `attachment; filename="`+e.msg.ID+`.eml"`)
	}
	rw.Write(e.msg.Data)
}

// htmlCSP lets a message's HTML show inline styles and data: images (its
// cid: images become those) and nothing else: no scripts, no loads from
// the network.
const htmlCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"

// htmlMessage answers GET /api/v1/messages/{id}/html: the HTML part,
// sanitised, under a CSP that also sandboxes it.
func (w *Web) htmlMessage(rw http.ResponseWriter, r *http.Request) {
	e, ok := w.found(rw, r)
	if !ok {
		return
	}
	if e.parsed.HTML == "" {
		writeError(rw, http.StatusNotFound, "message "+e.msg.ID+" has no HTML part")
		return
	}
	rw.Header().Set("Content-Security-Policy", htmlCSP)
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Write([]byte(sanitizeHTML(e.parsed.HTML, e.parsed.Attachments)))
}

// attachment answers GET /api/v1/messages/{id}/attachments/{n}, always
// as a download so that the browser never renders it in the page's origin.
func (w *Web) attachment(rw http.ResponseWriter, r *http.Request) {
	e, ok := w.found(rw, r)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(e.parsed.Attachments) {
		writeError(rw, http.StatusNotFound, "no attachment "+strconv.Quote(r.PathValue("n"))+" in message "+e.msg.ID)
		return
	}
	a := e.parsed.Attachments[n]
	name := a.Filename
	if name == "" {
		name = "part-" + strconv.Itoa(n)
	}
	rw.Header().Set("Content-Type", "application/octet-stream")
	rw.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(strings.ToValidUTF8(name, "_")))
	rw.Write(a.data)
}

func (w *Web) deleteMessage(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	delete(w.cache, r.PathValue("id"))
	w.mu.Unlock()
	if !w.srv.DeleteMessage(r.PathValue("id")) {
		writeError(rw, http.StatusNotFound, "no message "+strconv.Quote(r.PathValue("id")))
		return
	}
	rw.WriteHeader(http.StatusNoContent)
}

func (w *Web) deleteMessages(rw http.ResponseWriter, r *http.Request) {
	w.srv.DeleteMessages()
	w.mu.Lock()
	clear(w.cache)
	w.mu.Unlock()
	rw.WriteHeader(http.StatusNoContent)
}

package mailweb

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// eventInterval is the shortest time between two events of a stream:
// changes that come faster are sent together, so that a server taking
// 1,000 messages a second costs a page ten events a second.
const eventInterval = 100 * time.Millisecond

// maxEventMessages bounds the messages of one event; the page reloads
// its list when an event says more were left out.
const maxEventMessages = 100

// Update is the data of an "update" event of /api/v1/events.
type Update struct {
	// Messages are the messages accepted since the last event, oldest
	// first, at most 100; Skipped counts those left out.
	Messages []MessageSummary `json:"messages"`
	Skipped  int              `json:"skipped"`
	// Sessions are the sessions that started or ended since the last
	// event.
	Sessions []smtptest.Session `json:"sessions"`
	// Total is how many messages the server keeps (deletions show here).
	Total int `json:"total"`
}

// events answers GET /api/v1/events with a server-sent event stream (the
// HTML Living Standard's EventSource): an "update" event at each change,
// at most every eventInterval, and a comment every 30 seconds to keep
// proxies from closing the stream.
func (w *Web) events(rw http.ResponseWriter, r *http.Request) {
	flusher, ok := rw.(http.Flusher)
	if !ok {
		writeError(rw, http.StatusInternalServerError, "streaming not supported")
		return
	}
	rw.Header().Set("Content-Type", "text/event-stream")
	rw.Header().Set("Cache-Control", "no-store")
	st := streamState{open: map[string]bool{}}
	// Start from now: the page loads the lists itself. Taken before the
	// stream says it is open, so that nothing that comes after a client
	// saw it open is taken for already sent.
	changed := w.srv.Changed()
	if ids := w.srv.MessageIDs(); len(ids) > 0 {
		st.lastMessage = ids[len(ids)-1]
	}
	st.scanSessions(w.srv.Sessions())

	rw.WriteHeader(http.StatusOK)
	fmt.Fprint(rw, "retry: 1000\n\n")
	flusher.Flush()
	keepalive := time.NewTicker(30 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keepalive.C:
			fmt.Fprint(rw, ": keepalive\n\n")
			flusher.Flush()
			continue
		case <-changed:
		}
		// Let more changes gather, then send them as one event.
		select {
		case <-r.Context().Done():
			return
		case <-time.After(eventInterval):
		}
		changed = w.srv.Changed()
		u := w.update(&st)
		b, _ := json.Marshal(u)
		if _, err := fmt.Fprintf(rw, "event: update\ndata: %s\n\n", b); err != nil {
			return
		}
		flusher.Flush()
	}
}

// streamState is what one event stream has sent.
type streamState struct {
	lastMessage string          // ID of the newest message sent
	lastSession string          // ID of the newest session sent
	open        map[string]bool // sessions sent while open
}

// scanSessions records sessions as sent and returns those new or ended
// since the last scan.
func (st *streamState) scanSessions(all []smtptest.Session) []smtptest.Session {
	var out []smtptest.Session
	for _, s := range all {
		switch {
		case s.ID > st.lastSession:
			st.lastSession = s.ID
			out = append(out, s)
			if s.Open() {
				st.open[s.ID] = true
			}
		case st.open[s.ID] && !s.Open():
			delete(st.open, s.ID)
			out = append(out, s)
		}
	}
	// Sessions dropped from the log while open are forgotten too.
	if len(st.open) > 2*len(all) {
		clear(st.open)
	}
	return out
}

// update gathers what changed since the stream's last event. Message and
// session IDs are fixed-width hex counters, so they sort in time order.
func (w *Web) update(st *streamState) Update {
	u := Update{Messages: []MessageSummary{}, Sessions: st.scanSessions(w.srv.Sessions())}
	if u.Sessions == nil {
		u.Sessions = []smtptest.Session{}
	}
	ids := w.srv.MessageIDs()
	u.Total = len(ids)
	w.prune(ids, 2)
	var fresh []string
	for i := len(ids) - 1; i >= 0 && ids[i] > st.lastMessage; i-- {
		fresh = append(fresh, ids[i])
	}
	if len(fresh) > 0 {
		st.lastMessage = fresh[0]
	}
	if len(fresh) > maxEventMessages {
		u.Skipped = len(fresh) - maxEventMessages
		fresh = fresh[:maxEventMessages]
	}
	for i := len(fresh) - 1; i >= 0; i-- {
		if e, ok := w.lookup(fresh[i]); ok {
			u.Messages = append(u.Messages, e.summary())
		}
	}
	return u
}

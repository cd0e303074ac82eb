package mailweb

import (
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/smtpsh/smtpsh/smtpwire/explain"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

//go:embed static
var staticFiles embed.FS

// Options configures a Web. A nil *Options means no authentication and no
// fault rules API.
type Options struct {
	// Faults are the rules the MailServer uses; the API reads and changes
	// them. Nil makes /api/v1/faults answer 404.
	Faults *smtptest.Faults
	// User and Password, if User is not "", protect every page and API
	// call with HTTP Basic authentication (RFC 7617).
	User, Password string
	// Lang is the language of the explanations in a session's lines;
	// a request may ask for another with ?lang=.
	Lang explain.Lang
}

// Web is the web page and REST API of a MailServer; it is an
// http.Handler.
type Web struct {
	srv  *smtptest.MailServer
	opts Options
	mux  *http.ServeMux

	mu    sync.Mutex
	cache map[string]*entry // parsed messages by ID
}

// entry is a parsed message, kept while the server keeps the message.
type entry struct {
	msg    smtptest.Message
	parsed parsed
}

// New returns the handler for srv.
func New(srv *smtptest.MailServer, opts *Options) *Web {
	w := &Web{srv: srv, mux: http.NewServeMux(), cache: map[string]*entry{}}
	if opts != nil {
		w.opts = *opts
	}
	static, _ := fs.Sub(staticFiles, "static")
	w.mux.Handle("/", http.FileServerFS(static))
	w.mux.HandleFunc("GET /api/v1/messages", w.listMessages)
	w.mux.HandleFunc("DELETE /api/v1/messages", w.deleteMessages)
	w.mux.HandleFunc("GET /api/v1/messages/{id}", w.getMessage)
	w.mux.HandleFunc("DELETE /api/v1/messages/{id}", w.deleteMessage)
	w.mux.HandleFunc("GET /api/v1/messages/{id}/raw", w.rawMessage)
	w.mux.HandleFunc("GET /api/v1/messages/{id}/html", w.htmlMessage)
	w.mux.HandleFunc("GET /api/v1/messages/{id}/attachments/{n}", w.attachment)
	w.mux.HandleFunc("GET /api/v1/sessions", w.listSessions)
	w.mux.HandleFunc("DELETE /api/v1/sessions", w.deleteSessions)
	w.mux.HandleFunc("GET /api/v1/sessions/{id}", w.getSession)
	w.mux.HandleFunc("GET /api/v1/sessions/{id}/transcript", w.transcript)
	w.mux.HandleFunc("GET /api/v1/faults", w.getFaults)
	w.mux.HandleFunc("PUT /api/v1/faults", w.putFaults)
	w.mux.HandleFunc("POST /api/v1/faults", w.addFault)
	w.mux.HandleFunc("DELETE /api/v1/faults", w.clearFaults)
	w.mux.HandleFunc("GET /api/v1/events", w.events)
	w.mux.HandleFunc("/api/", func(rw http.ResponseWriter, r *http.Request) {
		writeError(rw, http.StatusNotFound, "no such API endpoint: "+r.Method+" "+r.URL.Path)
	})
	return w
}

// ServeHTTP checks the credentials, if any, and serves the request.
func (w *Web) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if w.opts.User != "" && !w.authorized(r) {
		rw.Header().Set("WWW-Authenticate", `Basic realm="smtpsh", charset="UTF-8"`)
		writeError(rw, http.StatusUnauthorized, "authentication required")
		return
	}
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	w.mux.ServeHTTP(rw, r)
}

// authorized compares the Basic credentials in constant time.
func (w *Web) authorized(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	gu, wu := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(w.opts.User))
	gp, wp := sha256.Sum256([]byte(pass)), sha256.Sum256([]byte(w.opts.Password))
	return subtle.ConstantTimeCompare(gu[:], wu[:])&subtle.ConstantTimeCompare(gp[:], wp[:]) == 1
}

// ParseAuth splits "user:pass" for Options; the password may hold colons.
func ParseAuth(s string) (user, pass string, err error) {
	user, pass, ok := strings.Cut(s, ":")
	if !ok || user == "" || pass == "" {
		return "", "", errors.New(`want USER:PASSWORD, both not empty`)
	}
	return user, pass, nil
}

// apiError is the body of every error answer.
type apiError struct {
	Error string `json:"error"`
}

func writeError(rw http.ResponseWriter, status int, msg string) {
	writeJSON(rw, status, apiError{Error: msg})
}

func writeJSON(rw http.ResponseWriter, status int, v any) {
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.WriteHeader(status)
	enc := json.NewEncoder(rw)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // addresses in <> stay readable in curl output
	enc.Encode(v)
}

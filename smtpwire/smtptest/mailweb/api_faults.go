package mailweb

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
)

// maxFaultBody bounds the body of fault requests.
const maxFaultBody = 64 << 10

// FaultList is the body of GET and PUT /api/v1/faults: the rules in their
// text form ("RCPT to=*@bounce.test 550 5.1.1"), first match wins.
type FaultList struct {
	Rules []string `json:"rules"`
}

func (w *Web) faultsOr404(rw http.ResponseWriter) bool {
	if w.opts.Faults == nil {
		writeError(rw, http.StatusNotFound, "fault injection is not enabled on this server")
		return false
	}
	return true
}

func (w *Web) writeFaults(rw http.ResponseWriter) {
	l := FaultList{Rules: []string{}}
	for _, f := range w.opts.Faults.List() {
		l.Rules = append(l.Rules, f.String())
	}
	writeJSON(rw, http.StatusOK, l)
}

func (w *Web) getFaults(rw http.ResponseWriter, r *http.Request) {
	if w.faultsOr404(rw) {
		w.writeFaults(rw)
	}
}

// readRules reads a FaultList body, or a bare rule as text/plain for POST.
func readRules(r *http.Request) ([]smtptest.Fault, string) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxFaultBody))
	if err != nil {
		return nil, "reading the body: " + err.Error()
	}
	var l FaultList
	if len(body) > 0 && body[0] == '{' {
		if err := json.Unmarshal(body, &l); err != nil {
			return nil, `body: want {"rules": ["RCPT to=*@x 550 5.1.1", ...]}: ` + err.Error()
		}
	} else {
		l.Rules = []string{string(body)}
	}
	var rules []smtptest.Fault
	for _, s := range l.Rules {
		f, err := smtptest.ParseFault(s)
		if err != nil {
			return nil, err.Error()
		}
		rules = append(rules, f)
	}
	return rules, ""
}

// putFaults answers PUT /api/v1/faults: the rules are replaced.
func (w *Web) putFaults(rw http.ResponseWriter, r *http.Request) {
	if !w.faultsOr404(rw) {
		return
	}
	rules, bad := readRules(r)
	if bad != "" {
		writeError(rw, http.StatusBadRequest, bad)
		return
	}
	w.opts.Faults.Set(rules)
	w.writeFaults(rw)
}

// addFault answers POST /api/v1/faults: the rules are appended.
func (w *Web) addFault(rw http.ResponseWriter, r *http.Request) {
	if !w.faultsOr404(rw) {
		return
	}
	rules, bad := readRules(r)
	if bad != "" {
		writeError(rw, http.StatusBadRequest, bad)
		return
	}
	for _, f := range rules {
		w.opts.Faults.Add(f)
	}
	w.writeFaults(rw)
}

func (w *Web) clearFaults(rw http.ResponseWriter, r *http.Request) {
	if w.faultsOr404(rw) {
		w.opts.Faults.Set(nil)
		rw.WriteHeader(http.StatusNoContent)
	}
}

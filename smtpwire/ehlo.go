package smtpwire

import (
	"sort"
	"strconv"
	"strings"
)

// Extensions is the set of service extensions a server listed in its EHLO
// reply (RFC 5321 §4.1.1.1: each line after the first is a keyword and
// optional parameters). Keywords are matched case-insensitively.
type Extensions struct {
	params map[string]string // upper-case keyword -> parameters as sent
	auth   []string          // mechanisms from AUTH and the old AUTH= form
}

// ParseExtensions reads the extension lines of an EHLO reply: every line
// of r.Lines but the first, which is the server's greeting name.
func ParseExtensions(r *Reply) *Extensions {
	e := &Extensions{params: map[string]string{}}
	if r == nil {
		return e
	}
	for _, line := range r.Lines[min(1, len(r.Lines)):] {
		kw, params, _ := strings.Cut(strings.TrimSpace(line), " ")
		if kw == "" {
			continue
		}
		kw = strings.ToUpper(kw)
		// Some servers (and old Outlook clients they cater for) announce
		// "AUTH=PLAIN LOGIN" as well as, or instead of, "AUTH PLAIN LOGIN".
		if mech, ok := strings.CutPrefix(kw, "AUTH="); ok {
			e.addAuth(mech)
			e.addAuth(params)
			if _, seen := e.params["AUTH"]; !seen {
				e.params["AUTH"] = strings.TrimSpace(mech + " " + params)
			}
			continue
		}
		if kw == "AUTH" {
			e.addAuth(params)
		}
		e.params[kw] = params
	}
	return e
}

func (e *Extensions) addAuth(list string) {
	for _, m := range strings.Fields(list) {
		m = strings.ToUpper(m)
		if !contains(e.auth, m) {
			e.auth = append(e.auth, m)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Has reports whether the server announced the keyword.
func (e *Extensions) Has(keyword string) bool {
	if e == nil {
		return false
	}
	_, ok := e.params[strings.ToUpper(keyword)]
	return ok
}

// Param returns the parameters announced with keyword, and whether the
// keyword was announced at all.
func (e *Extensions) Param(keyword string) (string, bool) {
	if e == nil {
		return "", false
	}
	p, ok := e.params[strings.ToUpper(keyword)]
	return p, ok
}

// Keywords returns the announced keywords, upper-case and sorted.
func (e *Extensions) Keywords() []string {
	if e == nil {
		return nil
	}
	out := make([]string, 0, len(e.params))
	for k := range e.params {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Size returns the SIZE limit in octets (RFC 1870). ok is false when SIZE
// was not announced; limit is 0 when it was announced with no number or 0,
// which means no fixed limit.
func (e *Extensions) Size() (limit int64, ok bool) {
	p, ok := e.Param("SIZE")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
	if err != nil || n < 0 {
		return 0, true
	}
	return n, true
}

// AuthMechanisms returns the SASL mechanisms announced by "AUTH" and the
// pre-standard "AUTH=" form (RFC 4954), upper-case, in announced order.
func (e *Extensions) AuthMechanisms() []string {
	if e == nil {
		return nil
	}
	return append([]string(nil), e.auth...)
}

// SupportsAuth reports whether mechanism (any case) was announced.
func (e *Extensions) SupportsAuth(mechanism string) bool {
	return e != nil && contains(e.auth, strings.ToUpper(mechanism))
}

// StartTLS reports RFC 3207 STARTTLS.
func (e *Extensions) StartTLS() bool { return e.Has("STARTTLS") }

// Pipelining reports RFC 2920 PIPELINING.
func (e *Extensions) Pipelining() bool { return e.Has("PIPELINING") }

// EightBitMIME reports RFC 6152 8BITMIME.
func (e *Extensions) EightBitMIME() bool { return e.Has("8BITMIME") }

// SMTPUTF8 reports RFC 6531 SMTPUTF8.
func (e *Extensions) SMTPUTF8() bool { return e.Has("SMTPUTF8") }

// DSN reports RFC 3461 delivery status notifications.
func (e *Extensions) DSN() bool { return e.Has("DSN") }

// Chunking reports RFC 3030 CHUNKING (BDAT).
func (e *Extensions) Chunking() bool { return e.Has("CHUNKING") }

// EnhancedStatusCodes reports RFC 2034 ENHANCEDSTATUSCODES.
func (e *Extensions) EnhancedStatusCodes() bool { return e.Has("ENHANCEDSTATUSCODES") }

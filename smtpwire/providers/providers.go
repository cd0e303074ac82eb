// Package providers holds what the provider guides (shared/seeds) say
// about third-party SMTP services: host, ports and TLS mode for each,
// what the user name and password are, and advice, with corrections
// where the guides are out of date. It is data in one place, used by
// "smtpsh providers", by a provider name given where a host goes
// ("smtpsh qq", "smtpsh check 163", "smtpsh send --server gmail"), and by
// the hints of "smtpsh check".
//
// The table itself is in data.go; this file has the types and lookups.
package providers

import (
	"strconv"
	"strings"
)

// TLS modes of a port.
const (
	Implicit = "implicit" // TLS from the first byte (RFC 8314), e.g. 465
	StartTLS = "starttls" // plain, then STARTTLS (RFC 3207), e.g. 587
	Plain    = "none"     // no TLS offered or expected
)

// ValidTLS reports whether mode is Implicit, StartTLS or Plain.
func ValidTLS(mode string) bool {
	return mode == Implicit || mode == StartTLS || mode == Plain
}

// Secret is the kind of password a provider wants in AUTH.
type Secret string

// Kinds of password.
const (
	AuthCode        Secret = "authcode"      // 授权码: generated in the webmail settings (QQ, 163, ...)
	AppPassword     Secret = "app-password"  // generated per app, needs 2-step verification (Gmail, Yahoo, iCloud)
	APIKey          Secret = "api-key"       // an API key, with a fixed user name (SendGrid: "apikey")
	SMTPPassword    Secret = "smtp-password" // set in a sending service's console (Aliyun DirectMail)
	AccountPassword Secret = "password"      // the mailbox's own password
	OAuth2          Secret = "oauth2"        // an OAuth2 access token (XOAUTH2); no password works
)

// secretLabels are the short names of each kind, in English and Chinese.
var secretLabels = map[Secret][2]string{
	AuthCode:        {"authorization code", "授权码"},
	AppPassword:     {"app password", "应用专用密码"},
	APIKey:          {"API key", "API 密钥"},
	SMTPPassword:    {"SMTP password", "SMTP 密码"},
	AccountPassword: {"account password", "邮箱密码"},
	OAuth2:          {"OAuth2 token", "OAuth2 令牌"},
}

// Valid reports whether s is one of the known kinds.
func (s Secret) Valid() bool { _, ok := secretLabels[s]; return ok }

// Label is the short name of the kind: in Chinese when zh is true.
func (s Secret) Label(zh bool) string {
	l, ok := secretLabels[s]
	if !ok {
		return string(s)
	}
	if zh {
		return l[1]
	}
	return l[0]
}

// Port is one port a provider serves SMTP on.
type Port struct {
	Number int    `json:"number"`
	TLS    string `json:"tls"`               // Implicit, StartTLS or Plain
	Note   string `json:"note,omitempty"`    // e.g. "blocked by most cloud providers"
	NoteZH string `json:"note_zh,omitempty"` // the same in Chinese
}

// Correction records where a guide is wrong or out of date, and why we
// say so.
type Correction struct {
	Claim  string `json:"claim"`   // what a guide says
	Fact   string `json:"fact"`    // what holds instead
	FactZH string `json:"fact_zh"` // the same in Chinese
	Source string `json:"source"`  // where the fact comes from: a URL or a document's name
}

// Provider is one SMTP service.
type Provider struct {
	Key         string       `json:"key"`                   // short name used on the command line: "qq"
	Aliases     []string     `json:"aliases,omitempty"`     // other accepted names: "aliyun-enterprise"
	Name        string       `json:"name"`                  // display name: "QQ Mail"
	NameZH      string       `json:"name_zh"`               // Chinese display name: "QQ 邮箱"
	Host        string       `json:"host"`                  // SMTP host to use
	OtherHosts  []string     `json:"other_hosts,omitempty"` // older, regional or plan-specific names of the same service
	Ports       []Port       `json:"ports"`                 // the recommended port first
	Domains     []string     `json:"domains,omitempty"`     // mail domains served, to guess the provider from an address
	User        string       `json:"user"`                  // what the user name is
	UserZH      string       `json:"user_zh"`               // the same in Chinese
	Secret      Secret       `json:"secret"`                // the kind of password
	Password    string       `json:"password"`              // what the password is (authorization code, app password...)
	PasswordZH  string       `json:"password_zh"`           // the same in Chinese
	Advice      []string     `json:"advice,omitempty"`      // the guides' advice that still holds, and what we add
	AdviceZH    []string     `json:"advice_zh,omitempty"`   // the same in Chinese, line for line
	Corrections []Correction `json:"corrections,omitempty"`
}

// DefaultPort returns the recommended port.
func (p *Provider) DefaultPort() Port { return p.Ports[0] }

// FindPort returns the provider's entry for port number n.
func (p *Provider) FindPort(n int) (Port, bool) {
	for _, pt := range p.Ports {
		if pt.Number == n {
			return pt, true
		}
	}
	return Port{}, false
}

// Keys returns every provider's key, in table order.
func Keys() []string {
	keys := make([]string, len(All))
	for i := range All {
		keys[i] = All[i].Key
	}
	return keys
}

// Lookup finds a provider by key or alias, in any case.
func Lookup(name string) (*Provider, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for i := range All {
		p := &All[i]
		if p.Key == name {
			return p, true
		}
		for _, a := range p.Aliases {
			if a == name {
				return p, true
			}
		}
	}
	return nil, false
}

// ForHost finds the provider whose SMTP host, or one of its other host
// names, is host.
func ForHost(host string) (*Provider, bool) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for i := range All {
		if strings.EqualFold(All[i].Host, host) {
			return &All[i], true
		}
	}
	for i := range All {
		for _, h := range All[i].OtherHosts {
			if strings.EqualFold(h, host) {
				return &All[i], true
			}
		}
	}
	return nil, false
}

// ForAddress finds the provider that serves the domain of an address.
func ForAddress(addr string) (*Provider, bool) {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return nil, false
	}
	domain := strings.ToLower(strings.Trim(addr[at+1:], "> "))
	for i := range All {
		for _, d := range All[i].Domains {
			if d == domain {
				return &All[i], true
			}
		}
	}
	return nil, false
}

// Resolve lets a provider name stand where a host goes. arg is NAME or
// NAME:PORT, where NAME is a key or alias in any case. For a provider it
// returns the provider's host, the port (the one given, else the
// recommended one) and that port's TLS mode, and ok=true. tls is "" when
// a port is given that the provider does not list: the caller decides
// then, as for any host.
//
// ok is false when arg is not a provider name, or when the part after
// the colon is not a port number from 1 to 65535; arg is then a host (or
// a mistake) for the caller to parse as usual.
func Resolve(arg string) (host string, port int, tls string, p *Provider, ok bool) {
	name, portStr, hasPort := strings.Cut(strings.TrimSpace(arg), ":")
	p, ok = Lookup(name)
	if !ok || name != strings.TrimSpace(name) {
		return "", 0, "", nil, false
	}
	if !hasPort {
		d := p.DefaultPort()
		return p.Host, d.Number, d.TLS, p, true
	}
	n, err := strconv.Atoi(portStr)
	if err != nil || n < 1 || n > 65535 || portStr != strconv.Itoa(n) {
		return "", 0, "", nil, false
	}
	if pt, found := p.FindPort(n); found {
		return p.Host, n, pt.TLS, p, true
	}
	return p.Host, n, "", p, true
}

package smtpwire

import (
	"encoding/base64"
	"strings"
)

// minSecret is the shortest text treated as a secret when it comes back
// from the server: shorter ones ("=", "me") would blank out innocent text.
const minSecret = 4

// rememberSecret notes an AUTH response sent in this session, by its wire
// form (base64) and its last NUL-separated field in clear (PLAIN's
// password, or a LOGIN password), so that a server echoing it back never
// gets it into a trace, a reply, an error or a transcript. withClear is
// false for responses that are not secret in clear, such as LOGIN's user
// name.
func (c *Client) rememberSecret(wire string, raw []byte, withClear bool) {
	add := func(s string) {
		if len(s) >= minSecret {
			c.secrets = append(c.secrets, s)
		}
	}
	add(wire)
	if withClear {
		parts := strings.Split(string(raw), "\x00")
		clear := parts[len(parts)-1]
		if len(clear) >= minSecret {
			add(clear)
			// A server may decode a PLAIN response and echo the password
			// alone, re-encoded.
			add(base64.StdEncoding.EncodeToString([]byte(clear)))
		}
	}
}

// rememberTypedSecret notes a secret line typed through Cmd: an AUTH
// initial response or a line answering a 334, both base64.
func (c *Client) rememberTypedSecret(wire string) {
	raw, err := base64.StdEncoding.DecodeString(wire)
	c.rememberSecret(wire, raw, err == nil)
}

// redactEcho replaces every secret sent in this session, in any letter
// case, by Redacted.
func (c *Client) redactEcho(line string) string {
	for _, s := range c.secrets {
		line = replaceFold(line, s, Redacted)
	}
	return line
}

// replaceFold replaces old by repl in s, matching ASCII letters in any
// case (base64 upper-cased by a server is still the secret).
func replaceFold(s, old, repl string) string {
	if len(old) == 0 || len(s) < len(old) {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+len(old) <= len(s); {
		if strings.EqualFold(s[i:i+len(old)], old) {
			b.WriteString(s[last:i])
			b.WriteString(repl)
			i += len(old)
			last = i
			continue
		}
		i++
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

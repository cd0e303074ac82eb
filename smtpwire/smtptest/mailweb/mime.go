package mailweb

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
)

// maxMIMEDepth bounds multipart nesting, against hostile messages.
const maxMIMEDepth = 10

// Header is one header field, its value decoded (RFC 2047).
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Attachment describes one non-body part of a message.
type Attachment struct {
	Index       int    `json:"index"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	ContentID   string `json:"content_id,omitempty"`
	Size        int    `json:"size"`
	data        []byte
}

// parsed is what the web view shows of a message.
type parsed struct {
	Headers     []Header
	Subject     string
	Text        string
	HTML        string
	Attachments []Attachment
	Err         string // why the message could not be parsed fully
}

var wordDecoder = mime.WordDecoder{}

// decodeHeader decodes RFC 2047 encoded words, leaving the value as is
// when it cannot.
func decodeHeader(v string) string {
	d, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		return v
	}
	return d
}

// parseMessage parses raw into headers, text, HTML and attachments. A
// malformed message is shown as far as it parses, with Err saying why.
func parseMessage(raw []byte) parsed {
	var p parsed
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		p.Err = "headers: " + err.Error()
		p.Text = string(raw)
		return p
	}
	for _, line := range headerOrder(raw) {
		for _, v := range m.Header[line] {
			p.Headers = append(p.Headers, Header{Name: line, Value: decodeHeader(v)})
		}
	}
	p.Subject = decodeHeader(m.Header.Get("Subject"))
	p.walk(textprotoHeader(m.Header), m.Body, 0)
	return p
}

// headerOrder returns the canonical names of the header fields of raw in
// the order they first appear.
func headerOrder(raw []byte) []string {
	var names []string
	seen := map[string]bool{}
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue
		}
		name, _, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		c := canonical(name)
		if !seen[c] {
			seen[c] = true
			names = append(names, c)
		}
	}
	return names
}

type partHeader interface{ Get(string) string }

type textprotoHeader mail.Header

func (h textprotoHeader) Get(k string) string { return mail.Header(h).Get(k) }

func canonical(name string) string {
	return textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name))
}

// walk collects the parts of one entity.
func (p *parsed) walk(h partHeader, body io.Reader, depth int) {
	ctype, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		ctype, params = "text/plain", map[string]string{}
	}
	if strings.HasPrefix(ctype, "multipart/") && depth < maxMIMEDepth {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err != nil {
				if err != io.EOF {
					p.Err = "multipart: " + err.Error()
				}
				return
			}
			p.walk(part.Header, part, depth+1)
		}
	}
	data, err := io.ReadAll(decodeTransfer(h.Get("Content-Transfer-Encoding"), body))
	if err != nil {
		p.Err = "body: " + err.Error()
	}
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	filename := decodeHeader(dparams["filename"])
	if filename == "" {
		filename = decodeHeader(params["name"])
	}
	isAttachment := disp == "attachment" || filename != ""
	switch {
	case !isAttachment && ctype == "text/plain" && p.Text == "":
		p.Text = toUTF8(data, params["charset"])
	case !isAttachment && ctype == "text/html" && p.HTML == "":
		p.HTML = toUTF8(data, params["charset"])
	default:
		p.Attachments = append(p.Attachments, Attachment{
			Index:       len(p.Attachments),
			Filename:    filename,
			ContentType: ctype,
			ContentID:   strings.Trim(h.Get("Content-Id"), "<>"),
			Size:        len(data),
			data:        data,
		})
	}
}

func decodeTransfer(enc string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &stripSpace{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// stripSpace drops the line breaks of base64 text.
type stripSpace struct{ r io.Reader }

func (s *stripSpace) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
			p[j] = c
			j++
		}
	}
	if j == 0 && n > 0 && err == nil {
		return s.Read(p)
	}
	return j, err
}

// toUTF8 turns text in a charset into a Go string; Latin-1 is converted,
// other charsets are shown as they are (most mail today is UTF-8).
func toUTF8(b []byte, charset string) string {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin1", "windows-1252":
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

package message

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// Message is an email to build. The zero value is not valid: From is
// required. WriteTo does not modify the Message.
type Message struct {
	// From is the author: the From field, and the domain of a generated
	// Message-ID.
	From *mail.Address
	// To and Cc are the visible recipients. Blind copies are not part of
	// a message: give them to the SMTP envelope only.
	To, Cc []*mail.Address
	// Subject is the subject, in UTF-8; "" writes no Subject field.
	Subject string
	// Header holds more fields, written in order after the generated
	// ones. A field named like a generated one (Date, From, To, Cc,
	// Message-ID) replaces it, in its place. Bcc, MIME-Version,
	// Content-Type and Content-Transfer-Encoding are refused.
	Header []Field

	// Text is the text/plain body and HTML, if not "", its text/html
	// alternative; both UTF-8.
	Text string
	HTML string
	// Attachments follow the body, in order, in a multipart/mixed.
	Attachments []Attachment

	// Date is the Date field; the zero time means the time of WriteTo.
	Date time.Time
	// MessageID is the Message-ID, with or without its angle brackets;
	// "" means a new one made by NewMessageID.
	MessageID string
	// Boundary is the base of the multipart boundaries; "" means a new
	// one made by NewBoundary. The boundaries are "=_m_" + Boundary for
	// multipart/mixed and "=_a_" + Boundary for multipart/alternative:
	// "=_" cannot occur in base64 or quoted-printable text.
	Boundary string
}

// Attachment is a file attached to a message. Its content is read from
// Open during WriteTo, never held whole in memory.
type Attachment struct {
	// Filename is the name the recipient sees, without a directory.
	Filename string
	// ContentType is the media type; "" means TypeByName(Filename).
	ContentType string
	// Open returns the content. WriteTo closes it.
	Open func() (io.ReadCloser, error)
}

// FileAttachment attaches the file at path under its base name. The file
// is opened when the message is written, not now.
func FileAttachment(path string) Attachment {
	return Attachment{
		Filename: filepath.Base(path),
		Open:     func() (io.ReadCloser, error) { return os.Open(path) },
	}
}

// NewMessageID returns a new unique message identifier, "<id@domain>"
// (RFC 5322 §3.6.4), with the domain of from when it is an ASCII domain,
// else "localhost".
func NewMessageID(from string) string {
	domain := "localhost"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && isDomain(from[i+1:]) {
		domain = from[i+1:]
	}
	return fmt.Sprintf("<%s.%s@%s>", time.Now().UTC().Format("20060102150405"), randomHex(8), domain)
}

// NewBoundary returns a new random boundary base (see Message.Boundary).
func NewBoundary() string { return randomHex(12) }

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// isDomain reports an ASCII domain name or address literal fit for the
// right side of a Message-ID.
func isDomain(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-.[]:", c) >= 0) {
			return false
		}
	}
	return true
}

// Validate reports whether WriteTo can write m: a From address, valid
// addresses, a subject and fields without line breaks or control
// characters, no field that WriteTo sets or that must stay out of a
// message (Bcc), single fields given once, UTF-8 text, and attachments
// with a name and content.
func (m *Message) Validate() error {
	if m.From == nil {
		return errors.New("message: no From address")
	}
	if err := checkAddress("From", m.From); err != nil {
		return err
	}
	for _, list := range []struct {
		name  string
		addrs []*mail.Address
	}{{"To", m.To}, {"Cc", m.Cc}} {
		for _, a := range list.addrs {
			if err := checkAddress(list.name, a); err != nil {
				return err
			}
		}
	}
	if err := checkText("Subject", m.Subject); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, f := range m.Header {
		if err := f.Check(); err != nil {
			return err
		}
		key := strings.ToLower(f.Name)
		switch {
		case key == "bcc":
			return &FieldError{Name: f.Name, Reason: "blind copies go in the envelope only, never in the message"}
		case key == "subject" && m.Subject != "":
			return &FieldError{Name: f.Name, Reason: "the subject is given twice"}
		case seen[key] && single[key]:
			return &FieldError{Name: f.Name, Reason: "RFC 5322 §3.6 allows this field once"}
		}
		seen[key] = true
		v, err := encodeValue(f)
		if err != nil {
			return err
		}
		if err := checkLineLengths(f.Name, fold(f.Name, v)); err != nil {
			return err
		}
	}
	if m.MessageID != "" {
		if err := checkText("Message-ID", m.MessageID); err != nil {
			return err
		}
		if !isASCII(m.MessageID) || strings.ContainsAny(m.MessageID, " \t") {
			return &FieldError{Name: "Message-ID", Reason: "a message identifier is ASCII without spaces (RFC 5322 §3.6.4)"}
		}
	}
	for _, t := range []struct{ name, text string }{{"text", m.Text}, {"HTML", m.HTML}} {
		if !utf8.ValidString(t.text) {
			return fmt.Errorf("message: the %s body is not valid UTF-8 (if it is GBK or GB18030, convert it: "+
				"iconv -f GBK -t UTF-8)", t.name)
		}
	}
	for i := range m.Attachments {
		a := &m.Attachments[i]
		if a.Filename == "" || a.Open == nil {
			return fmt.Errorf("message: attachment %d has no file name or no content", i+1)
		}
		if err := checkText("attachment name", a.Filename); err != nil {
			return err
		}
	}
	if m.Boundary != "" {
		mw := multipart.NewWriter(io.Discard)
		if err := mw.SetBoundary("=_m_" + m.Boundary); err != nil {
			return fmt.Errorf("message: boundary %q: %w", m.Boundary, err)
		}
	}
	return nil
}

// Structure describes the MIME structure WriteTo writes, for a person:
// "text/plain (7bit)", or "multipart/mixed: text/plain (base64),
// report.pdf (application/pdf, base64)".
func (m *Message) Structure() string {
	body, err := m.body("b")
	if err != nil {
		return err.Error()
	}
	return describe(body)
}

func describe(e *entity) string {
	mt, _, _ := strings.Cut(e.mediaType, ";")
	switch {
	case e.parts != nil:
		s := make([]string, len(e.parts))
		for i, p := range e.parts {
			s[i] = describe(p)
			if p.parts != nil {
				s[i] = "(" + s[i] + ")"
			}
		}
		return mt + ": " + strings.Join(s, ", ")
	case e.attach != nil:
		return fmt.Sprintf("%s (%s, %s)", e.attach.Filename, mt, e.encoding)
	}
	return fmt.Sprintf("%s (%s)", mt, e.encoding)
}

// body builds the entity tree of the body.
func (m *Message) body(boundary string) (*entity, error) {
	var main *entity
	switch {
	case m.HTML != "" && m.Text != "":
		main = multipartEntity("alternative", "=_a_"+boundary, textEntity("plain", m.Text), textEntity("html", m.HTML))
	case m.HTML != "":
		main = textEntity("html", m.HTML)
	case m.Text != "" || len(m.Attachments) == 0:
		main = textEntity("plain", m.Text)
	}
	if len(m.Attachments) == 0 {
		return main, nil
	}
	var parts []*entity
	if main != nil {
		parts = append(parts, main)
	}
	for i := range m.Attachments {
		a, err := attachmentEntity(&m.Attachments[i])
		if err != nil {
			return nil, err
		}
		parts = append(parts, a)
	}
	return multipartEntity("mixed", "=_m_"+boundary, parts...), nil
}

// header returns the header fields of the message, values encoded, in
// writing order, the MIME fields of body last.
func (m *Message) header(body *entity) ([]Field, error) {
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	id := m.MessageID
	if id == "" {
		id = NewMessageID(m.From.Address)
	}
	if !strings.HasPrefix(id, "<") {
		id = "<" + id + ">"
	}
	gen := []Field{{"Date", formatDate(date)}, {"From", formatAddress("From", m.From)}}
	switch {
	case len(m.To) > 0:
		gen = append(gen, Field{"To", formatAddresses("To", m.To)})
	case len(m.Cc) == 0:
		// RFC 5322 §A.1.3: the group syntax for "no visible recipients".
		gen = append(gen, Field{"To", "undisclosed-recipients:;"})
	}
	if len(m.Cc) > 0 {
		gen = append(gen, Field{"Cc", formatAddresses("Cc", m.Cc)})
	}
	if m.Subject != "" {
		gen = append(gen, Field{"Subject", encodeText("Subject", m.Subject)})
	}
	gen = append(gen, Field{"Message-ID", id})

	var extra []Field
	for _, f := range m.Header {
		v, err := encodeValue(f)
		if err != nil {
			return nil, err
		}
		f.Value = v
		replaced := false
		for i := range gen {
			if strings.EqualFold(gen[i].Name, f.Name) {
				gen[i], replaced = f, true
			}
		}
		if !replaced {
			extra = append(extra, f)
		}
	}
	out := append(gen, extra...)
	out = append(out, Field{"MIME-Version", "1.0"})
	return append(out, body.fields()...), nil
}

// WriteTo writes the message, header and body, with CRLF line breaks,
// streaming attachments from their Open functions. It returns the number
// of bytes written. The output is 7-bit unless an address is non-ASCII.
func (m *Message) WriteTo(w io.Writer) (int64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	boundary := m.Boundary
	if boundary == "" {
		boundary = NewBoundary()
	}
	body, err := m.body(boundary)
	if err != nil {
		return 0, err
	}
	fields, err := m.header(body)
	if err != nil {
		return 0, err
	}
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 32<<10)
	for _, f := range fields {
		bw.WriteString(fold(f.Name, f.Value))
		bw.WriteString("\r\n")
	}
	bw.WriteString("\r\n")
	err = body.writeBody(bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return cw.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

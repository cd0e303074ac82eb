package message

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"path/filepath"
	"strings"
)

// Transfer encodings (RFC 2045 §6).
const (
	Enc7bit            = "7bit"
	EncQuotedPrintable = "quoted-printable"
	EncBase64          = "base64"
)

// base64LineLength is the length of a base64 line (RFC 2045 §6.8).
const base64LineLength = 76

// TextEncoding returns the transfer encoding WriteTo uses for a text part:
// 7bit for ASCII text with lines of at most 998 octets and no control
// characters; otherwise base64 when more than one byte in six is
// non-ASCII (Chinese, Japanese, Korean: base64 is then the shorter), else
// quoted-printable.
func TextEncoding(s string) string {
	nonASCII, line, longest, ctl := 0, 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\r' || c == '\n':
			line = 0
			continue
		case c >= 0x80:
			nonASCII++
		case c < ' ' && c != '\t' || c == 0x7f:
			ctl = true
		}
		line++
		longest = max(longest, line)
	}
	switch {
	case nonASCII == 0 && !ctl && longest <= maxHardLine:
		return Enc7bit
	case nonASCII*6 > len(s):
		return EncBase64
	}
	return EncQuotedPrintable
}

// An entity is one MIME body part, or the whole body: a text, an
// attachment, or a multipart of entities (RFC 2045 §2.4).
type entity struct {
	mediaType   string // full Content-Type value, parameters included
	encoding    string // Content-Transfer-Encoding; "" for a multipart
	disposition string // Content-Disposition; "" for none

	text     string      // a text part
	attach   *Attachment // an attachment
	parts    []*entity   // a multipart
	boundary string
}

// fields returns the MIME header fields of e, in writing order.
func (e *entity) fields() []Field {
	fs := []Field{{"Content-Type", e.mediaType}}
	if e.encoding != "" {
		fs = append(fs, Field{"Content-Transfer-Encoding", e.encoding})
	}
	if e.disposition != "" {
		fs = append(fs, Field{"Content-Disposition", e.disposition})
	}
	return fs
}

func textEntity(subtype, text string) *entity {
	return &entity{
		mediaType: mime.FormatMediaType("text/"+subtype, map[string]string{"charset": "utf-8"}),
		encoding:  TextEncoding(text),
		text:      text,
	}
}

func multipartEntity(subtype, boundary string, parts ...*entity) *entity {
	return &entity{
		mediaType: mime.FormatMediaType("multipart/"+subtype, map[string]string{"boundary": boundary}),
		parts:     parts,
		boundary:  boundary,
	}
}

// attachmentEntity types and names an attachment: Content-Type with a
// name parameter and Content-Disposition with filename, both in ASCII
// for an ASCII name; for another name RFC 2231's filename*= (the
// standard) and RFC 2047 encoded-words in name= and filename= (what older
// readers, Outlook among them, look at).
func attachmentEntity(a *Attachment) (*entity, error) {
	ct := a.ContentType
	if ct == "" {
		ct = TypeByName(a.Filename)
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, fmt.Errorf("attachment %s: content type %q: %w", a.Filename, ct, err)
	}
	name := a.Filename
	if !isASCII(name) {
		name = mime.BEncoding.Encode("UTF-8", name)
	}
	params["name"] = name
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if name != a.Filename {
		// "attachment; filename*=utf-8''%E6%8A%A5..." from the standard library.
		ext := mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename})
		disp += ";" + strings.TrimPrefix(ext, "attachment;")
	}
	return &entity{
		mediaType:   mime.FormatMediaType(mt, params),
		encoding:    EncBase64,
		disposition: disp,
		attach:      a,
	}, nil
}

// TypeByName returns the media type for a file name by its extension
// (mime.TypeByExtension), or application/octet-stream.
func TypeByName(name string) string {
	if t := mime.TypeByExtension(filepath.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// writeBody writes the content of e (not its header) to w.
func (e *entity) writeBody(w io.Writer) error {
	switch {
	case e.parts != nil:
		mw := multipart.NewWriter(w)
		if err := mw.SetBoundary(e.boundary); err != nil {
			return err
		}
		for _, p := range e.parts {
			h := textproto.MIMEHeader{}
			for _, f := range p.fields() {
				h[f.Name] = []string{foldValue(f.Name, f.Value)}
			}
			pw, err := mw.CreatePart(h)
			if err != nil {
				return err
			}
			if err := p.writeBody(pw); err != nil {
				return err
			}
		}
		return mw.Close()
	case e.attach != nil:
		return writeAttachment(w, e.attach)
	}
	return writeText(w, e.text, e.encoding)
}

// writeText writes a text part in its transfer encoding, with CRLF line
// breaks (RFC 2046 §4.1.1), ending in a line break.
func writeText(w io.Writer, s, enc string) error {
	switch enc {
	case EncQuotedPrintable:
		// The writer turns LF, CRLF and bare CR into CRLF hard breaks and
		// adds soft breaks to keep lines under 76 characters.
		qp := quotedprintable.NewWriter(w)
		if _, err := io.WriteString(qp, s); err != nil {
			return err
		}
		if err := qp.Close(); err != nil {
			return err
		}
	case EncBase64:
		// Text is put in canonical form, CRLF line breaks, before it is
		// encoded (RFC 2045 §6.8, RFC 2049 §4).
		lw := &lineWriter{w: w}
		enc := base64.NewEncoder(base64.StdEncoding, lw)
		if _, err := io.WriteString(enc, crlf(s)); err != nil {
			return err
		}
		if err := enc.Close(); err != nil {
			return err
		}
		return lw.end()
	default:
		if _, err := io.WriteString(w, crlf(s)); err != nil {
			return err
		}
	}
	if s != "" && !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, "\r") {
		_, err := io.WriteString(w, "\r\n")
		return err
	}
	return nil
}

// writeAttachment streams an attachment through a base64 encoder.
func writeAttachment(w io.Writer, a *Attachment) error {
	r, err := a.Open()
	if err != nil {
		return fmt.Errorf("attachment %s: %w", a.Filename, err)
	}
	defer r.Close()
	lw := &lineWriter{w: w}
	enc := base64.NewEncoder(base64.StdEncoding, lw)
	if _, err := io.Copy(enc, r); err != nil {
		return fmt.Errorf("attachment %s: %w", a.Filename, err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return lw.end()
}

// crlf turns LF, CRLF and bare CR line breaks into CRLF.
func crlf(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// lineWriter breaks the output of a base64 encoder into lines of
// base64LineLength characters, each ended by CRLF. Its writer should be
// buffered: it writes a line and its CRLF separately.
type lineWriter struct {
	w io.Writer
	n int // characters on the current line
}

func (l *lineWriter) Write(p []byte) (int, error) {
	done := 0
	for done < len(p) {
		k := min(base64LineLength-l.n, len(p)-done)
		if _, err := l.w.Write(p[done : done+k]); err != nil {
			return done, err
		}
		done += k
		if l.n += k; l.n == base64LineLength {
			if _, err := l.w.Write(crlfBytes); err != nil {
				return done, err
			}
			l.n = 0
		}
	}
	return done, nil
}

// end finishes the last, shorter line.
func (l *lineWriter) end() error {
	if l.n == 0 {
		return nil
	}
	l.n = 0
	_, err := l.w.Write(crlfBytes)
	return err
}

var crlfBytes = []byte("\r\n")

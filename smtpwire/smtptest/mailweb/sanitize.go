package mailweb

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// dropped reports the elements removed with everything inside them:
// they run code, load other documents or take input. (A switch, not a
// map: a map would be built at start-up by every smtpsh command.)
func dropped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Iframe, atom.Frame, atom.Frameset,
		atom.Object, atom.Embed, atom.Applet, atom.Form,
		atom.Input, atom.Button, atom.Textarea, atom.Select,
		atom.Base, atom.Meta, atom.Link, atom.Noscript,
		atom.Template, atom.Svg, atom.Math:
		return true
	}
	return false
}

// urlAttribute reports the attributes that hold URLs, which must not be
// javascript: or the like.
func urlAttribute(name string) bool {
	switch name {
	case "href", "src", "action", "formaction", "background",
		"poster", "cite", "longdesc", "srcset", "xlink:href":
		return true
	}
	return false
}

// sanitizeHTML returns the HTML of a message with what could run code or
// reach the network removed: scripts, frames, forms, event handlers,
// javascript: and other non-http(s), non-data:image URLs. It is a second
// line of defence: the page also shows the result in an iframe sandboxed
// without scripts, under a Content-Security-Policy that blocks every load
// but inline styles and data: images. A cid: URL, which names a part of
// the same message (RFC 2392), becomes a data: URL of that part when it
// is an image among atts, so that inline images show; else it is dropped.
func sanitizeHTML(src string, atts []Attachment) string {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return ""
	}
	c := cleaner{atts: atts, budget: maxInlined}
	c.clean(doc)
	var b bytes.Buffer
	html.Render(&b, doc)
	return b.String()
}

// maxInlined bounds the bytes of data: URLs one page gets from cid:
// references, so that an image named a thousand times does not make the
// page a thousand times its size.
const maxInlined = 32 << 20

type cleaner struct {
	atts   []Attachment
	budget int // bytes of data: URLs still allowed
}

func (cl *cleaner) clean(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.CommentNode:
			n.RemoveChild(c)
		case c.Type == html.ElementNode && (dropped(c.DataAtom) || c.Namespace != ""):
			n.RemoveChild(c)
		default:
			if c.Type == html.ElementNode {
				c.Attr = cl.cleanAttrs(c.Attr)
			}
			cl.clean(c)
		}
		c = next
	}
}

func (cl *cleaner) cleanAttrs(attrs []html.Attribute) []html.Attribute {
	out := attrs[:0]
	for _, a := range attrs {
		key := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(key, "on"), a.Namespace != "":
			continue
		case key == "style" && unsafeStyle(a.Val):
			continue
		case urlAttribute(key) && hasPrefixFold(strings.TrimSpace(a.Val), "cid:"):
			u, ok := cl.inline(strings.TrimSpace(a.Val)[len("cid:"):])
			if !ok {
				continue
			}
			a.Val = u
		case urlAttribute(key) && !safeURL(a.Val):
			continue
		}
		out = append(out, a)
	}
	return out
}

// inline returns a data: URL of the image part whose Content-ID the cid:
// URL names: the URL is the Content-ID without its angle brackets, %hh
// escaped (RFC 2392 §2). Only raster images are inlined (an SVG can hold
// script), and only while the page's budget lasts.
func (cl *cleaner) inline(cid string) (string, bool) {
	id, err := url.PathUnescape(cid)
	if err != nil || id == "" {
		return "", false
	}
	var a *Attachment
	for i := range cl.atts {
		if cl.atts[i].ContentID == id {
			a = &cl.atts[i]
			break
		}
		if a == nil && strings.EqualFold(cl.atts[i].ContentID, id) {
			a = &cl.atts[i] // the domain part is not case-sensitive; an exact match wins
		}
	}
	if a == nil || !inlineImage(a.ContentType) {
		return "", false
	}
	prefix := "data:" + a.ContentType + ";base64,"
	n := len(prefix) + base64.StdEncoding.EncodedLen(len(a.data))
	if n > cl.budget {
		return "", false
	}
	cl.budget -= n
	return prefix + base64.StdEncoding.EncodeToString(a.data), true
}

// inlineImage reports the image types shown inline.
func inlineImage(ctype string) bool {
	switch strings.ToLower(ctype) {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// safeURL allows http(s), mailto, fragments and data: images.
func safeURL(u string) bool {
	u = strings.ToLower(strings.TrimSpace(u))
	for _, p := range []string{"http://", "https://", "mailto:", "#", "data:image/"} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return !strings.Contains(u, ":")
}

func unsafeStyle(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "expression(") || strings.Contains(s, "javascript:") || strings.Contains(s, "url(")
}

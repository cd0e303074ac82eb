package mailweb

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// droppedElements are removed with everything inside them: they run code,
// load other documents or take input.
var droppedElements = map[atom.Atom]bool{
	atom.Script: true, atom.Iframe: true, atom.Frame: true, atom.Frameset: true,
	atom.Object: true, atom.Embed: true, atom.Applet: true, atom.Form: true,
	atom.Input: true, atom.Button: true, atom.Textarea: true, atom.Select: true,
	atom.Base: true, atom.Meta: true, atom.Link: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Math: true,
}

// urlAttributes hold URLs, which must not be javascript: or the like.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "background": true,
	"poster": true, "cite": true, "longdesc": true, "srcset": true, "xlink:href": true,
}

// sanitizeHTML returns the HTML of a message with what could run code or
// reach the network removed: scripts, frames, forms, event handlers,
// javascript: and other non-http(s), non-cid, non-data:image URLs. It is a
// second line of defence: the page also shows the result in an iframe
// sandboxed without scripts, under a Content-Security-Policy that blocks
// every load but inline styles and data: images.
func sanitizeHTML(src string) string {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return ""
	}
	clean(doc)
	var b bytes.Buffer
	html.Render(&b, doc)
	return b.String()
}

func clean(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.CommentNode:
			n.RemoveChild(c)
		case c.Type == html.ElementNode && (droppedElements[c.DataAtom] || c.Namespace != ""):
			n.RemoveChild(c)
		default:
			if c.Type == html.ElementNode {
				c.Attr = cleanAttrs(c.Attr)
			}
			clean(c)
		}
		c = next
	}
}

func cleanAttrs(attrs []html.Attribute) []html.Attribute {
	out := attrs[:0]
	for _, a := range attrs {
		key := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(key, "on"), a.Namespace != "":
			continue
		case key == "style" && unsafeStyle(a.Val):
			continue
		case urlAttributes[key] && !safeURL(a.Val):
			continue
		}
		out = append(out, a)
	}
	return out
}

// safeURL allows http(s), mailto, cid (inline parts), fragments and
// data: images.
func safeURL(u string) bool {
	u = strings.ToLower(strings.TrimSpace(u))
	for _, p := range []string{"http://", "https://", "mailto:", "cid:", "#", "data:image/"} {
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

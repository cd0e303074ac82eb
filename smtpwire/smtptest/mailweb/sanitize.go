package mailweb

import (
	"bytes"
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
		case c.Type == html.ElementNode && (dropped(c.DataAtom) || c.Namespace != ""):
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
		case urlAttribute(key) && !safeURL(a.Val):
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

package explain

import (
	"strconv"
	"strings"
)

// Extension describes one EHLO keyword and its parameters in one line
// that starts with the keyword, such as "SIZE: messages up to 34.2 MiB
// (35882577 bytes, RFC 1870); ...".
//
// Whatever the server sent is shown with its control characters escaped.
func Extension(keyword, params string) Msg {
	kw := printable(strings.ToUpper(strings.TrimSpace(keyword)))
	params = printable(strings.TrimSpace(params))
	if mechs, ok := strings.CutPrefix(kw, "AUTH="); ok {
		return M("kw.AUTH_legacy", "mechs", strings.TrimSpace(mechs+" "+params))
	}
	switch kw {
	case "SIZE":
		if params == "" || params == "0" {
			return M("kw.SIZE_none")
		}
		n, err := strconv.ParseInt(params, 10, 64)
		if err != nil || n < 0 {
			return M("kw.SIZE_bad", "params", strconv.Quote(params))
		}
		return M("kw.SIZE", "size", SizeText(n), "bytes", strconv.FormatInt(n, 10))
	case "AUTH":
		if params == "" {
			return M("kw.AUTH_none")
		}
		return authMechs(params)
	case "LIMITS":
		return M("kw.LIMITS", "params", params)
	case "XEXCH50", "X-EXPS", "X-LINK2STATE", "X-ANONYMOUSTLS":
		return M("kw.microsoft", "kw", kw)
	}
	if has("kw." + kw) {
		return M("kw." + kw)
	}
	if strings.HasPrefix(kw, "X") {
		return M("kw.vendor", "kw", kw)
	}
	return M("kw.unknown", "kw", kw)
}

// KnownKeywords lists the EHLO keywords Extension explains by name.
func KnownKeywords() []string {
	var out []string
	for _, id := range IDs() {
		kw, ok := strings.CutPrefix(id, "kw.")
		if ok && strings.ToUpper(kw) == kw && !strings.Contains(kw, "_") {
			out = append(out, kw)
		}
	}
	return append(out, "XEXCH50", "X-EXPS", "X-LINK2STATE", "X-ANONYMOUSTLS")
}

// authMechs lists SASL mechanisms and notes the ones that are not
// passwords: "PLAIN LOGIN XALIOAUTH (RFC 4954); vendor-specific: XALIOAUTH".
func authMechs(list string) Msg {
	mechs := strings.Fields(strings.ToUpper(list))
	var oauth, vendor []string
	for _, m := range mechs {
		switch {
		case m == "XOAUTH2" || m == "OAUTHBEARER":
			oauth = append(oauth, m)
		case strings.HasPrefix(m, "X"):
			vendor = append(vendor, m)
		}
	}
	notes := func(l Lang) string {
		s := ""
		if len(oauth) > 0 {
			s += M("kw.AUTH_oauth", "mechs", strings.Join(oauth, " ")).Text(l)
		}
		if len(vendor) > 0 {
			s += M("kw.AUTH_vendor", "mechs", strings.Join(vendor, " ")).Text(l)
		}
		return s
	}
	return M("kw.AUTH", "mechs", strings.Join(mechs, " ")).WithTexts("notes", notes)
}

// SizeText formats a byte count with binary units: "34.2 MiB", "150 MiB".
func SizeText(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size {
			v := strconv.FormatFloat(float64(n)/float64(u.size), 'f', 1, 64)
			return strings.TrimSuffix(v, ".0") + " " + u.name
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// ExtensionLine explains one extension line of an EHLO reply in the
// short form of smtpsh check: "SIZE 35882577: messages up to 34.2 MiB".
func ExtensionLine(line string) Msg {
	line = printable(strings.TrimSpace(line))
	kw, params, _ := strings.Cut(line, " ")
	kw = strings.ToUpper(kw)
	params = strings.TrimSpace(params)
	switch {
	case strings.HasPrefix(kw, "AUTH="):
		return M("ext.AUTH_legacy", "line", line)
	case kw == "AUTH" && params == "":
		return M("ext.AUTH_none", "line", line)
	case kw == "SIZE":
		n, err := strconv.ParseInt(params, 10, 64)
		if err != nil || n <= 0 {
			return M("ext.SIZE_none", "line", line)
		}
		return M("ext.SIZE", "line", line, "size", SizeText(n))
	}
	if has("ext." + kw) {
		return M("ext."+kw, "line", line, "params", params)
	}
	if strings.HasPrefix(kw, "X") {
		return M("ext.vendor", "line", line)
	}
	return M("ext.other", "line", line)
}

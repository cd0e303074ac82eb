package smtpwire

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// saslPrep prepares a SCRAM user name or password with SASLprep (RFC
// 4013), as RFC 5802 §2.2 and §5.1 ask: non-ASCII spaces become spaces,
// the characters "commonly mapped to nothing" go, the result is NFKC
// normalised, and a string with a prohibited character or mixed
// directions is refused. stored is true for a password (a "stored
// string": an unassigned code point is refused, RFC 3454 §7) and false
// for a user name (a "query").
//
// Two approximations: unassigned means unassigned in the Unicode version
// Go was built with, not in Unicode 3.2 as RFC 3454's table A.1 lists
// (a character assigned since is let through), and the bidirectional
// classes are x/text's, also of a later Unicode. An ASCII string without
// control characters, nearly every password, is returned as it is.
func saslPrep(s string, stored bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("not valid UTF-8")
	}
	if printableASCII(s) {
		return s, nil
	}
	// Mapping, RFC 4013 §2.1.
	var b strings.Builder
	for _, r := range s {
		switch {
		case nonASCIISpace(r):
			b.WriteByte(' ')
		case mappedToNothing(r):
		default:
			b.WriteRune(r)
		}
	}
	// Normalisation, §2.2.
	out := norm.NFKC.String(b.String())
	// Prohibited output, §2.3, and unassigned code points, §2.5.
	for _, r := range out {
		if why := prohibited(r); why != "" {
			return "", fmt.Errorf("it holds %s (RFC 4013 §2.3)", why) // not which: it may be a password
		}
		if stored && !assigned(r) {
			return "", fmt.Errorf("it holds a code point Unicode does not assign (RFC 4013 §2.5)")
		}
	}
	// Bidirectional characters, §2.4 and RFC 3454 §6.
	if err := checkBidi(out); err != nil {
		return "", err
	}
	return out, nil
}

// printableASCII reports whether s is ASCII from space to tilde, which
// SASLprep leaves as it is.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// nonASCIISpace is RFC 3454 table C.1.2.
func nonASCIISpace(r rune) bool {
	switch {
	case r == 0x00A0, r == 0x1680, r >= 0x2000 && r <= 0x200B, r == 0x202F, r == 0x205F, r == 0x3000:
		return true
	}
	return false
}

// mappedToNothing is RFC 3454 table B.1 (U+200B, also in C.1.2, has
// become a space above).
func mappedToNothing(r rune) bool {
	switch {
	case r == 0x00AD, r == 0x034F, r == 0x1806, r >= 0x180B && r <= 0x180D,
		r >= 0x200B && r <= 0x200D, r == 0x2060, r >= 0xFE00 && r <= 0xFE0F, r == 0xFEFF:
		return true
	}
	return false
}

// prohibited names the RFC 3454 table (C.1.2 to C.9) that r is in, or
// returns "".
func prohibited(r rune) string {
	switch {
	case nonASCIISpace(r):
		return "a non-ASCII space"
	case r < 0x20 || r == 0x7F:
		return "an ASCII control character"
	case r >= 0x80 && r <= 0x9F, r == 0x06DD, r == 0x070F, r == 0x180E, r == 0x200C, r == 0x200D,
		r == 0x2028, r == 0x2029, r >= 0x2060 && r <= 0x2063, r >= 0x206A && r <= 0x206F, r == 0xFEFF,
		r >= 0xFFF9 && r <= 0xFFFC, r >= 0x1D173 && r <= 0x1D17A:
		return "a control character"
	case r >= 0xE000 && r <= 0xF8FF, r >= 0xF0000 && r <= 0xFFFFD, r >= 0x100000 && r <= 0x10FFFD:
		return "a private-use character"
	case r >= 0xFDD0 && r <= 0xFDEF, r&0xFFFE == 0xFFFE:
		return "a non-character code point"
	case r == 0xFFFD:
		return "a replacement character"
	case r >= 0x2FF0 && r <= 0x2FFB:
		return "an ideographic description character"
	case r == 0x0340, r == 0x0341, r == 0x200E, r == 0x200F, r >= 0x202A && r <= 0x202E:
		return "a character that changes the display"
	case r == 0xE0001, r >= 0xE0020 && r <= 0xE007F:
		return "a tagging character"
	}
	return ""
}

// assigned reports whether Unicode gives r a general category other than
// Cn (unassigned).
func assigned(r rune) bool { return !unicode.Is(unicode.Cn, r) }

// checkBidi applies RFC 3454 §6: a string with a right-to-left character
// (class R or AL) has no left-to-right one (class L), and begins and ends
// with a right-to-left one.
func checkBidi(s string) error {
	var rtl, ltr bool
	var first, last bidi.Class
	n := 0
	for _, r := range s {
		p, _ := bidi.LookupRune(r)
		c := p.Class()
		switch c {
		case bidi.R, bidi.AL:
			rtl = true
		case bidi.L:
			ltr = true
		}
		if n == 0 {
			first = c
		}
		last = c
		n++
	}
	if !rtl {
		return nil
	}
	isRTL := func(c bidi.Class) bool { return c == bidi.R || c == bidi.AL }
	if ltr || !isRTL(first) || !isRTL(last) {
		return fmt.Errorf("it mixes right-to-left and left-to-right text in a way SASLprep refuses (RFC 3454 §6)")
	}
	return nil
}

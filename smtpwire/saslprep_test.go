package smtpwire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The examples of RFC 4013 §3, and the other rules one by one.
func TestSASLPrep(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		stored   bool
		err      string
	}{
		{in: "I\u00ADX", want: "IX"},                   // RFC 4013 §3 #1: SOFT HYPHEN mapped to nothing
		{in: "user", want: "user"},                     // #2: no transformation
		{in: "USER", want: "USER"},                     // #3: case preserved
		{in: "\u00AA", want: "a"},                      // #4: output is NFKC, input in ISO 8859-1
		{in: "\u2168", want: "IX"},                     // #5: output is NFKC, will match #1
		{in: "\u0007", err: "ASCII control character"}, // #6: error - prohibited character
		{in: "\u0627\u0031", err: "right-to-left"},     // #7: error - bidirectional check
		{in: "pass\u00A0word", want: "pass word"},      // a non-ASCII space becomes a space
		{in: "pass\u3000word", want: "pass word"},      // the ideographic space too
		{in: "ｐａｓｓ１２３", want: "pass123"},               // fullwidth, as a Chinese input method types it
		{in: "密码Ab1", want: "密码Ab1"},                   // nothing to change
		{in: "\u0627\u0628", want: "\u0627\u0628"},     // right-to-left only: allowed
		{in: "a\uE000b", err: "private-use"},           // C.3
		{in: "a\u200Eb", err: "changes the display"},   // C.8
		{in: "a\U000E0041b", err: "tagging"},           // C.9
		{in: "a\uFDD0b", err: "non-character"},         // C.4
		{in: "tab\there", err: "ASCII control"},        // C.2.1, even in ASCII
		{in: "a\U0010FFFDb", err: "private-use"},       // plane 16
		{in: "a\U000E0FFFb", want: "a\U000E0FFFb"},     // unassigned: a query may hold it
		{in: "a\U000E0FFFb", stored: true, err: "does not assign"},
		{in: "bad\xffutf8", err: "UTF-8"},
	} {
		got, err := saslPrep(tc.in, tc.stored)
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err, "%+q", tc.in)
			continue
		}
		require.NoError(t, err, "%+q", tc.in)
		assert.Equal(t, tc.want, got, "%+q", tc.in)
	}
}

// The error never says which character of a password was refused.
func TestSASLPrepErrorHidesThePassword(t *testing.T) {
	m, err := SCRAMAuth("SHA-256", "", "user", "secret\u0007x")
	require.NoError(t, err)
	_, err = m.Start()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "password cannot be prepared with SASLprep")
	assert.NotContains(t, err.Error(), "U+0007")
	assert.NotContains(t, err.Error(), "secret")
}

// Nearly every password is printable ASCII: it costs no allocation.
func BenchmarkSASLPrepASCII(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		saslPrep("correct horse battery staple", true)
	}
}

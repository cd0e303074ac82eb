package smtpwire

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseReply(t *testing.T) {
	tests := []struct {
		name     string
		lines    []string
		code     int
		enhanced string
		message  string
	}{
		{"single", []string{"250 OK"}, 250, "", "OK"},
		{"code only", []string{"250"}, 250, "", ""},
		{"empty text", []string{"354 "}, 354, "", ""},
		{"multi", []string{"250-mx.example.com", "250-PIPELINING", "250 8BITMIME"}, 250, "", "mx.example.com\nPIPELINING\n8BITMIME"},
		{"continuation without text", []string{"250-", "250 done"}, 250, "", "\ndone"},
		{"enhanced", []string{"535 5.7.8 Authentication credentials invalid"}, 535, "5.7.8", "Authentication credentials invalid"},
		{"enhanced multi", []string{"550-5.1.1 no such", "550 5.1.1 user"}, 550, "5.1.1", "no such\nuser"},
		{"enhanced class mismatch ignored", []string{"250 5.0.0 odd"}, 250, "", "5.0.0 odd"},
		{"enhanced three-digit parts", []string{"250 2.100.999 ok"}, 250, "2.100.999", "ok"},
		{"not enhanced", []string{"250 2.0 ok"}, 250, "", "2.0 ok"},
		{"version-like token", []string{"220 5.7.8a ESMTP"}, 220, "", "5.7.8a ESMTP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseReply(tt.lines)
			require.NoError(t, err)
			assert.Equal(t, tt.code, r.Code)
			assert.Equal(t, tt.enhanced, r.Enhanced.String())
			assert.Equal(t, tt.message, r.Message())
			assert.Equal(t, tt.lines, r.Raw)
		})
	}
}

func TestParseReplyMalformed(t *testing.T) {
	tests := []struct {
		name   string
		lines  []string
		reason string
	}{
		{"empty", nil, "empty reply"},
		{"short", []string{"25"}, "shorter than a three-digit code"},
		{"letters", []string{"Data Ok: queued as freedom"}, "valid three-digit code"},
		{"first digit 1", []string{"150 ok"}, "valid three-digit code"},
		{"first digit 6", []string{"650 ok"}, "valid three-digit code"},
		{"second digit 9", []string{"290 ok"}, "valid three-digit code"},
		{"bad separator", []string{"250:ok"}, "want '-' or ' '"},
		{"four digits", []string{"2500 ok"}, "want '-' or ' '"},
		{"code changes", []string{"250-a", "251 b"}, "changed code from 250 to 251"},
		{"ends in continuation", []string{"250-a", "250-b"}, "ended with a continuation line"},
		{"continues after final", []string{"250 a", "250 b"}, "continued after its final line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseReply(tt.lines)
			var pe *ProtocolError
			require.True(t, errors.As(err, &pe), "got %v", err)
			assert.Contains(t, pe.Error(), tt.reason)
		})
	}
}

func TestParseEnhancedCode(t *testing.T) {
	good := map[string]EnhancedCode{"2.0.0": {2, 0, 0}, "5.7.8": {5, 7, 8}, "4.4.999": {4, 4, 999}}
	for s, want := range good {
		got, ok := ParseEnhancedCode(s)
		assert.True(t, ok, s)
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", "5.7", "3.0.0", "5.7.8.1", "55.7.8", "5.7777.8", "5.x.8", "5..8", "a.b.c"} {
		_, ok := ParseEnhancedCode(s)
		assert.False(t, ok, s)
	}
}

func TestReplyChallenge(t *testing.T) {
	r, err := ParseReply([]string{"334 VXNlcm5hbWU6"})
	require.NoError(t, err)
	got, err := r.Challenge()
	require.NoError(t, err)
	assert.Equal(t, "Username:", string(got))

	r, _ = ParseReply([]string{"334 "})
	got, err = r.Challenge()
	require.NoError(t, err)
	assert.Empty(t, got)

	r, _ = ParseReply([]string{"334 not*base64"})
	_, err = r.Challenge()
	assert.ErrorContains(t, err, "not base64")

	r, _ = ParseReply([]string{"250 ok"})
	_, err = r.Challenge()
	assert.ErrorContains(t, err, "not an AUTH challenge")
}

func TestReplyClasses(t *testing.T) {
	for code, want := range map[int][4]bool{
		250: {true, false, false, false}, 354: {true, false, false, false},
		421: {false, true, false, true}, 550: {false, false, true, true},
	} {
		r := &Reply{Code: code}
		assert.Equal(t, want[0], r.Positive(), code)
		assert.Equal(t, want[1], r.Temporary(), code)
		assert.Equal(t, want[2], r.Permanent(), code)
		assert.Equal(t, want[3], !r.Positive(), code)
	}
}

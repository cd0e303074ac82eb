package submit

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInspect(t *testing.T) {
	for _, tt := range []struct {
		in      string
		size    int64
		content Content
	}{
		{"", 0, Content7Bit},
		{"a\r\n", 3, Content7Bit},
		{"a\n", 3, Content7Bit},
		{"a\r", 3, Content7Bit},
		{"a", 3, Content7Bit}, // a CRLF is added
		{"a\nb\r\nc\rd", 12, Content7Bit},
		{".\n..\n", 7, Content7Bit}, // stuffing dots do not count (RFC 1870 §3)
		{"中文\n", 8, Content8Bit},
		{"a\x00b\n", 4, ContentBinary}, // unchanged on the wire: its length
		{strings.Repeat("x", 998) + "\n", 1000, Content7Bit},
		{strings.Repeat("x", 999) + "\n", 1000, ContentBinary}, // RFC 5321 §4.5.3.1.6
	} {
		size, content, err := Inspect(iotest.OneByteReader(strings.NewReader(tt.in)))
		require.NoError(t, err)
		assert.Equal(t, tt.size, size, "%q", tt.in)
		assert.Equal(t, tt.content, content, "%q", tt.in)
	}
	_, _, err := Inspect(iotest.ErrReader(io.ErrUnexpectedEOF))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

func TestSevenBitGuard(t *testing.T) {
	b, err := io.ReadAll(&sevenBit{strings.NewReader("ascii only\n")})
	require.NoError(t, err)
	assert.Equal(t, "ascii only\n", string(b))
	b, err = io.ReadAll(&sevenBit{strings.NewReader("ok\nnot ok: é\n")})
	assert.True(t, errors.Is(err, Err8BitUnsupported))
	assert.Equal(t, "ok\nnot ok: ", string(b), "everything before the 8-bit byte")
}

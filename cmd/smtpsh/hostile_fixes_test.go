package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/stretchr/testify/assert"
)

// An EHLO name with a line break would smuggle a second command: it is a
// usage error at start, never a failure blamed on the server later.
func TestEHLOWithLineBreakIsAUsageError(t *testing.T) {
	for _, args := range [][]string{
		{"127.0.0.1:25"},
		{"send", "--server", "127.0.0.1:25", "--from", "a@example.com", "--to", "b@example.com", "--body", "x"},
		{"check", "127.0.0.1:25"},
	} {
		t.Run(args[0], func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append(args, "--ehlo", "me.example\r\nRSET"), strings.NewReader(""), &out, &errb)
			assert.Equal(t, repl.ExitUsage, code)
			assert.Contains(t, errb.String(), "--ehlo")
			assert.Contains(t, errb.String(), "line break")
		})
	}
}

package repl

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chzyer/readline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe for readline's output goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fakeTerminal is a readline configuration whose terminal is a pipe: the
// Config hooks stand in for the tty, so the adapter runs as on a terminal.
func fakeTerminal(t *testing.T) (readline.Config, *io.PipeWriter, *syncBuffer) {
	pr, pw := io.Pipe()
	out := &syncBuffer{}
	t.Cleanup(func() { pw.Close() })
	return readline.Config{
		Stdin:          pr,
		Stdout:         out,
		Stderr:         out,
		FuncIsTerminal: func() bool { return true },
		FuncMakeRaw:    func() error { return nil },
		FuncExitRaw:    func() error { return nil },
		FuncGetWidth:   func() int { return 120 },
	}, pw, out
}

func TestReadlineAdapter(t *testing.T) {
	cfg, keys, screen := fakeTerminal(t)
	hist := filepath.Join(t.TempDir(), "history")
	complete := func(line string) []string {
		return []string{"EHLO me.example.com", "MAIL FROM:<"}
	}
	rl, err := NewReadline(cfg, hist, complete)
	require.NoError(t, err)
	defer rl.Close()

	type read struct {
		line string
		err  error
	}
	next := func(prompt string, typed string) read {
		ch := make(chan read, 1)
		go func() {
			l, err := rl.ReadLine(prompt)
			ch <- read{l, err}
		}()
		io.WriteString(keys, typed)
		select {
		case r := <-ch:
			return r
		case <-time.After(5 * time.Second):
			t.Fatalf("no line read for %q", typed)
			return read{}
		}
	}

	// Tab completes through the shell's completer.
	r := next("smtp EHLO> ", "EH\t\r")
	require.NoError(t, r.err)
	assert.Equal(t, "EHLO me.example.com", r.line)
	assert.Contains(t, screen.String(), "smtp EHLO> ")
	rl.AddHistory(r.line)

	// A line not passed to AddHistory is not saved: the adapter turned
	// readline's automatic saving off.
	r = next("smtp AUTH> ", "c2VjcmV0\r")
	require.NoError(t, r.err)
	assert.Equal(t, "c2VjcmV0", r.line)

	// Ctrl-C is an interrupt.
	r = next("smtp> ", "\x03")
	assert.ErrorIs(t, r.err, ErrInterrupt)

	// Ctrl-D on an empty line is the end of input.
	r = next("smtp> ", "\x04")
	assert.ErrorIs(t, r.err, io.EOF)

	data, err := os.ReadFile(hist)
	require.NoError(t, err)
	assert.Equal(t, "EHLO me.example.com\n", string(data))
}

func TestReadlinePasswordIsNotEchoed(t *testing.T) {
	cfg, keys, screen := fakeTerminal(t)
	rl, err := NewReadline(cfg, "", nil)
	require.NoError(t, err)
	defer rl.Close()
	ch := make(chan string, 1)
	go func() {
		p, _ := rl.ReadPassword("Password: ")
		ch <- p
	}()
	io.WriteString(keys, "hunter2\r")
	select {
	case p := <-ch:
		assert.Equal(t, "hunter2", p)
	case <-time.After(5 * time.Second):
		t.Fatal("no password read")
	}
	assert.Eventually(t, func() bool { return strings.Contains(screen.String(), "Password: ") }, time.Second, 10*time.Millisecond)
	assert.NotContains(t, screen.String(), "hunter2")
}

func TestCompleterAdapter(t *testing.T) {
	c := completer(func(line string) []string {
		return []string{"MAIL FROM:<", "/starttls", "/status"}
	})
	got, n := c.Do([]rune("ma"), 2)
	assert.Equal(t, 2, n)
	assert.Equal(t, [][]rune{[]rune("IL FROM:<")}, got, "case-insensitive, the rest of the candidate")
	got, _ = c.Do([]rune("/st"), 3)
	assert.Equal(t, [][]rune{[]rune("arttls"), []rune("atus")}, got)
}

func TestHistoryPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	assert.Equal(t, filepath.Join(dir, "smtpsh", "history"), HistoryPath())
	fi, err := os.Stat(filepath.Join(dir, "smtpsh"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())

	home := t.TempDir()
	t.Setenv("XDG_STATE_HOME", "relative/ignored")
	t.Setenv("HOME", home)
	assert.Equal(t, filepath.Join(home, ".local", "state", "smtpsh", "history"), HistoryPath())
}

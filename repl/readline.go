package repl

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/chzyer/readline"
)

// Readline is the LineReader for a terminal, on github.com/chzyer/readline:
// line editing, tab completion from the shell, and a history file that
// only ever receives what the shell passes to AddHistory.
type Readline struct {
	rl  *readline.Instance
	cfg readline.Config // the terminal hooks, reused for password prompts
}

// NewReadline builds the terminal reader. cfg may carry the I/O hooks
// (Stdin, Stdout, FuncIsTerminal, ...) for tests; its history is the file
// at historyFile ("" for none); completion comes from complete.
func NewReadline(cfg readline.Config, historyFile string, complete func(line string) []string) (*Readline, error) {
	cfg.HistoryFile = historyFile
	// The shell decides what is saved: never passwords, AUTH payloads or
	// message lines (readline's own saving would keep every line).
	cfg.DisableAutoSaveHistory = true
	cfg.HistorySearchFold = true
	if complete != nil {
		cfg.AutoComplete = completer(complete)
	}
	rl, err := readline.NewEx(&cfg)
	if err != nil {
		return nil, err
	}
	return &Readline{rl: rl, cfg: cfg}, nil
}

// ReadLine reads one line with prompt.
func (r *Readline) ReadLine(prompt string) (string, error) {
	r.rl.SetPrompt(prompt)
	line, err := r.rl.Readline()
	if errors.Is(err, readline.ErrInterrupt) {
		return "", ErrInterrupt
	}
	return line, err
}

// ReadPassword reads a line without echo: each key shows as a mask
// character.
func (r *Readline) ReadPassword(prompt string) (string, error) {
	// readline's own password configuration drops the terminal hooks;
	// carry them over, or a hooked terminal would lose the prompt.
	pc := r.rl.GenPasswordConfig()
	pc.Prompt = prompt
	pc.FuncIsTerminal = r.cfg.FuncIsTerminal
	pc.FuncMakeRaw = r.cfg.FuncMakeRaw
	pc.FuncExitRaw = r.cfg.FuncExitRaw
	pc.FuncGetWidth = r.cfg.FuncGetWidth
	b, err := r.rl.ReadPasswordWithConfig(pc)
	if errors.Is(err, readline.ErrInterrupt) {
		return "", ErrInterrupt
	}
	return string(b), err
}

// AddHistory appends line to the history (in memory and in the file).
func (r *Readline) AddHistory(line string) { r.rl.SaveHistory(line) }

// Close restores the terminal.
func (r *Readline) Close() error { return r.rl.Close() }

// completer adapts the shell's whole-line completions to readline, which
// wants the rest of each candidate after the typed text.
type completer func(line string) []string

func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	typed := string(line[:pos])
	var out [][]rune
	for _, cand := range c(typed) {
		if len(cand) >= len(typed) && strings.EqualFold(cand[:len(typed)], typed) {
			out = append(out, []rune(cand[len(typed):]))
		}
	}
	return out, len([]rune(typed))
}

// HistoryPath is the history file under the XDG state directory:
// $XDG_STATE_HOME/smtpsh/history, or ~/.local/state/smtpsh/history. The
// directory is created (mode 0700). It returns "" if there is no home.
func HistoryPath() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	dir = filepath.Join(dir, "smtpsh")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ""
	}
	return filepath.Join(dir, "history")
}

package main

import (
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tmuxSession drives the real binary in a real terminal: tmux runs it,
// send-keys types, capture-pane reads the screen.
type tmuxSession struct {
	t      *testing.T
	socket string
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	require.NoError(s.t, err, "tmux %v: %s", args, out)
	return string(out)
}

func (s *tmuxSession) screen() string {
	return s.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "smtpsh")
}

// waitFor waits until the screen shows want.
func (s *tmuxSession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		scr := s.screen()
		if strings.Contains(scr, want) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q; it shows:\n%s", want, scr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// typeLine sends keys and Enter.
func (s *tmuxSession) typeLine(keys string) {
	s.tmux("send-keys", "-t", "smtpsh", "-l", keys)
	s.tmux("send-keys", "-t", "smtpsh", "Enter")
}

// tmuxServers numbers the tmux servers of this test process.
var tmuxServers int

// buildSmtpsh builds the binary into a temporary directory and returns
// its path, for the tests that run it as a user would.
func buildSmtpsh(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "smtpsh")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// startDemo builds the binary and runs "smtpsh demo" in a new tmux server
// with the given environment.
func startDemo(t *testing.T, env string) (s *tmuxSession, state string) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed for the terminal test: apt-get install tmux")
	}
	bin := buildSmtpsh(t)
	state = filepath.Join(t.TempDir(), "state")
	tmuxServers++
	s = &tmuxSession{t: t, socket: fmt.Sprintf("smtpsh-test-%d-%d", os.Getpid(), tmuxServers)}
	s.tmux("-f", "/dev/null", "new-session", "-d", "-s", "smtpsh", "-x", "160", "-y", "50",
		fmt.Sprintf("env XDG_STATE_HOME=%s TERM=xterm %s %s demo; echo exit status $?; sleep 30", state, env, bin))
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s, state
}

func TestTerminalColours(t *testing.T) {
	s, _ := startDemo(t, "")
	s.waitFor("smtp EHLO> ")
	painted := s.tmux("capture-pane", "-p", "-e", "-t", "smtpsh")
	assert.Regexp(t, "\x1b\\[32m(\x1b\\[\\d+m)*S: 220", painted, "server lines are green on a terminal")
	s.tmux("send-keys", "-t", "smtpsh", "C-d")
	s.waitFor("exit status 0")

	s, _ = startDemo(t, "NO_COLOR=1")
	s.waitFor("smtp EHLO> ")
	assert.NotContains(t, s.tmux("capture-pane", "-p", "-e", "-t", "smtpsh"), "\x1b[32m", "NO_COLOR turns colours off")
}

func TestTerminalDemo(t *testing.T) {
	s, state := startDemo(t, "NO_COLOR=1")

	s.waitFor("smtp EHLO> ")
	// Tab completion offers what fits next: EHLO with the configured name.
	s.tmux("send-keys", "-t", "smtpsh", "-l", "EH")
	s.tmux("send-keys", "-t", "smtpsh", "Tab")
	s.waitFor("smtp EHLO> EHLO me.example.com")
	s.tmux("send-keys", "-t", "smtpsh", "Enter")
	s.waitFor("smtp STARTTLS> ")

	s.typeLine("STARTTLS")
	s.waitFor("verified: yes, for localhost")
	s.typeLine("EHLO me.example.com")
	s.waitFor("smtp[tls] AUTH> ")

	s.typeLine("/auth login " + demoUser)
	s.waitFor("Password: ")
	s.typeLine(demoPassword)
	scr := s.waitFor("235 2.7.0 Authentication successful")
	afterBanner := scr[strings.Index(scr, "smtp EHLO> "):]
	assert.NotContains(t, afterBanner, demoPassword, "the password is not echoed")
	s.waitFor("smtp[tls auth] MAIL> ")

	s.typeLine("MAIL FROM:<" + demoUser + ">")
	s.typeLine("RCPT TO:<friend@example.com>")
	s.typeLine("DATA")
	s.waitFor("data> ")
	s.typeLine("Subject: from tmux")
	s.typeLine("")
	s.typeLine(".leading dot")
	s.waitFor(`dot-stuffed: sent as "..leading dot"`)
	s.typeLine(".")
	s.waitFor("# message 00000001 received")
	s.typeLine("QUIT")
	s.waitFor("exit status 0")

	history, err := os.ReadFile(filepath.Join(state, "smtpsh", "history"))
	require.NoError(t, err, "the history file is in $XDG_STATE_HOME/smtpsh")
	assert.Contains(t, string(history), "MAIL FROM:<"+demoUser+">")
	assert.Contains(t, string(history), "/auth login "+demoUser)
	for _, secret := range []string{demoPassword, base64.StdEncoding.EncodeToString([]byte(demoPassword)), "Subject: from tmux"} {
		assert.NotContains(t, string(history), secret)
	}
}

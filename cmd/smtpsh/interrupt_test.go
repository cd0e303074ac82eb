package main

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInterruptEndsSendCleanly runs the real binary, as a user would, and
// presses Ctrl-C (SIGINT) once the server has accepted the connection:
// "smtpsh send" is then finishing its dial or waiting for a greeting that
// never comes. Either way the session must end at once with exit status
// 6, say so, and leave its recording on disk. (A Ctrl-C during the dial
// was once reported as a refused connection.)
func TestInterruptEndsSendCleanly(t *testing.T) {
	bin := buildSmtpsh(t)
	dir := t.TempDir()

	// A server that accepts and then says nothing.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()

	record := filepath.Join(dir, "session.txt")
	var stdout, stderr bytes.Buffer // read only once the child has exited
	cmd := exec.Command(bin, "send", "--server", ln.Addr().String(), "--from", "a@example.test",
		"--to", "b@example.test", "--body", "x", "--timeout", "60s", "--record", record)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	select {
	case c := <-accepted:
		defer c.Close()
	case err := <-done:
		t.Fatalf("smtpsh send ended before connecting: %v\n%s%s", err, stdout.String(), stderr.String())
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("smtpsh send did not connect in 30 s\n%s%s", stdout.String(), stderr.String())
	}
	// The dial is under way, so the interrupt handler, which main
	// registers before it runs the command, is in place.
	require.NoError(t, cmd.Process.Signal(os.Interrupt))

	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("smtpsh send did not end within 10 s of Ctrl-C\n%s%s", stdout.String(), stderr.String())
	}
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "want a non-zero exit, got %v", err)
	ws := exit.Sys().(syscall.WaitStatus)
	require.False(t, ws.Signaled(), "killed by %v instead of ending the session\n%s%s", ws.Signal(), stdout.String(), stderr.String())
	assert.Equal(t, repl.ExitAborted, exit.ExitCode(), "%s%s", stdout.String(), stderr.String())
	assert.Contains(t, stdout.String(), "interrupted")
	rec, err := os.ReadFile(record)
	require.NoError(t, err)
	assert.Contains(t, string(rec), "interrupted", "the recording is written on Ctrl-C")
}

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/smtptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBenchBodyIsExactAndSevenBit(t *testing.T) {
	for _, size := range []int64{0, 1, 2, 3, 80, 1000, 64<<10 + 7} {
		b, err := io.ReadAll(&benchBody{size: size})
		require.NoError(t, err)
		require.Len(t, b, int(size))
		if size >= 2 {
			assert.True(t, bytes.HasSuffix(b, []byte("\r\n")), "size %d ends with CRLF", size)
		}
		for i, c := range b {
			require.Less(t, c, byte(0x80), "size %d: octet %d", size, i)
		}
		for _, line := range bytes.Split(b, []byte("\r\n")) {
			assert.LessOrEqual(t, len(line), 998)
		}
	}
	r := &benchBody{size: 300}
	first, _ := io.ReadAll(r)
	r.Reset()
	again, _ := io.ReadAll(r)
	assert.Equal(t, first, again, "Reset starts the same message again")
}

func TestBenchAgainstSink(t *testing.T) {
	sink, err := smtptest.NewSink()
	require.NoError(t, err)
	defer sink.Close()

	code, stdout, stderr := runCmd(t, "", "bench", "--server", sink.Addr(), "--tls", "none", "--count", "50", "--size", "2KiB", "--connections", "3")
	require.Equal(t, repl.ExitOK, code, stdout+stderr)
	assert.Contains(t, stdout, "50 messages of 2.0 KiB over 3 connections to "+sink.Addr()+" (pipelined, BDAT)")
	assert.Contains(t, stdout, "1.00 round trips per message, 0 errors")
	assert.Regexp(t, `\d+ msgs/s, [\d.]+ MB/s`, stdout)
	assert.Regexp(t, `latency per message: p50 [\d.]+ ms, p99 [\d.]+ ms`, stdout)
	assert.Empty(t, stderr, "no progress line when stderr is not a terminal")
	assert.Equal(t, int64(50), sink.Messages.Load())

	code, stdout, stderr = runCmd(t, "", "bench", "--server", sink.Addr(), "--tls", "none", "--count", "1")
	require.Equal(t, repl.ExitOK, code, stdout+stderr)
	assert.Contains(t, stdout, "1 message of 1.0 KiB over 1 connection to ", "singular")

	code, stdout, _ = runCmd(t, "", "bench", "--server", sink.Addr(), "--tls", "none", "--count", "20", "--json",
		"--pipelining", "never", "--chunking", "never")
	require.Equal(t, repl.ExitOK, code, stdout)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	for _, key := range []string{"msgs_per_sec", "mb_per_sec", "p50_ms", "p99_ms", "round_trips_per_msg", "errors"} {
		assert.Contains(t, rep, key)
	}
	assert.Equal(t, 4.0, rep["round_trips_per_msg"], "lockstep: MAIL, RCPT, DATA, the message")
	assert.Equal(t, 20.0, rep["messages"])
	assert.Equal(t, 0.0, rep["errors"])
}

func TestBenchFailures(t *testing.T) {
	for _, args := range [][]string{
		{"bench"},
		{"bench", "--server", "127.0.0.1:1", "--size", "ten"},
		{"bench", "--server", "127.0.0.1:1", "--count", "0"},
		{"bench", "--server", "127.0.0.1:1", "--connections", "0"},
		{"bench", "--server", "127.0.0.1:1", "--from", "a\r\nRSET"},
		{"bench", "--server", "127.0.0.1:1", "extra"},
	} {
		code, _, stderr := runCmd(t, "", args...)
		assert.Equal(t, repl.ExitUsage, code, "%q", args)
		assert.NotEmpty(t, stderr)
	}
	// Nothing listens: exit 3, and the connection error says so.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	code, _, stderr := runCmd(t, "", "bench", "--server", addr, "--tls", "none", "--count", "3")
	assert.Equal(t, repl.ExitConnect, code, stderr)
	assert.True(t, strings.Contains(stderr, "connect"), stderr)
}

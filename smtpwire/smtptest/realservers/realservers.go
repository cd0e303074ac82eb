// Package realservers finds the real SMTP servers that scripts/servers.sh
// starts on 127.0.0.1 (Postfix with Dovecot SASL, aiosmtpd, smtp-sink) and
// the mail they deliver, for integration tests. Load fails the test, never
// skips it, when the servers' env file is missing: a green integration run
// must mean the real servers were exercised.
package realservers

import (
	"bufio"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Servers is what scripts/servers.sh wrote in its env file.
type Servers struct {
	EnvFile, Dir                    string
	Host, ServerName                string
	PostfixSMTP, Submission, SMTPS  string // host:port
	Aiosmtpd, Sink                  string // host:port
	User, Password, OtherRcpt       string
	CAFile, WrongCAFile             string
	Maildir, OtherMaildir, AioSpool string
	PostfixVersion, DovecotVersion  string
	AiosmtpdVersion                 string

	// AuthSubmission is Postfix's port with every SASL mechanism of
	// Dovecot (PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256).
	AuthSubmission string // host:port
	// LMTP is Dovecot's LMTP server (RFC 2033) on host:port and on the
	// Unix socket LMTPSocket; it delivers User's mail to LMTPMaildir.
	LMTP, LMTPSocket, LMTPMaildir string
	// Socks is microsocks, a SOCKS5 proxy (host:port) that wants
	// SocksUser and Password.
	Socks, SocksUser string
}

// EnvPath is the env file: $SMTPSH_SERVERS_ENV, else
// $SMTPSH_SERVERS_DIR/servers.env, else /tmp/smtpsh-servers/servers.env.
func EnvPath() string {
	if p := os.Getenv("SMTPSH_SERVERS_ENV"); p != "" {
		return p
	}
	dir := os.Getenv("SMTPSH_SERVERS_DIR")
	if dir == "" {
		dir = "/tmp/smtpsh-servers"
	}
	return filepath.Join(dir, "servers.env")
}

// Load reads the env file, or fails the test saying how to make it.
func Load(t testing.TB) *Servers {
	t.Helper()
	path := EnvPath()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("integration tests need the real servers: %v\nrun scripts/servers.sh start (it writes %s; SMTPSH_SERVERS_ENV names another env file)", err, path)
	}
	env := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s:%d: not KEY=value: %q", path, i+1, line)
		}
		env[k] = v
	}
	get := func(k string) string {
		v := env[k]
		if v == "" {
			t.Fatalf("%s: no %s; run scripts/servers.sh start again", path, k)
		}
		return v
	}
	host := get("SMTPSH_HOST")
	return &Servers{
		EnvFile:         path,
		Dir:             get("SMTPSH_SERVERS_DIR"),
		Host:            host,
		ServerName:      get("SMTPSH_SERVER_NAME"),
		PostfixSMTP:     net.JoinHostPort(host, get("SMTPSH_POSTFIX_SMTP_PORT")),
		Submission:      net.JoinHostPort(host, get("SMTPSH_POSTFIX_SUBMISSION_PORT")),
		SMTPS:           net.JoinHostPort(host, get("SMTPSH_POSTFIX_SMTPS_PORT")),
		Aiosmtpd:        net.JoinHostPort(host, get("SMTPSH_AIOSMTPD_PORT")),
		Sink:            net.JoinHostPort(host, get("SMTPSH_SINK_PORT")),
		User:            get("SMTPSH_USER"),
		Password:        get("SMTPSH_PASSWORD"),
		OtherRcpt:       get("SMTPSH_OTHER_RCPT"),
		CAFile:          get("SMTPSH_CA_FILE"),
		WrongCAFile:     get("SMTPSH_WRONG_CA_FILE"),
		Maildir:         get("SMTPSH_MAILDIR"),
		OtherMaildir:    get("SMTPSH_OTHER_MAILDIR"),
		AioSpool:        get("SMTPSH_AIOSMTPD_SPOOL"),
		PostfixVersion:  get("SMTPSH_POSTFIX_VERSION"),
		DovecotVersion:  get("SMTPSH_DOVECOT_VERSION"),
		AiosmtpdVersion: get("SMTPSH_AIOSMTPD_VERSION"),
		AuthSubmission:  net.JoinHostPort(host, get("SMTPSH_POSTFIX_AUTH_PORT")),
		LMTP:            net.JoinHostPort(host, get("SMTPSH_LMTP_PORT")),
		LMTPSocket:      get("SMTPSH_LMTP_SOCKET"),
		LMTPMaildir:     get("SMTPSH_LMTP_MAILDIR"),
		Socks:           net.JoinHostPort(host, get("SMTPSH_SOCKS_PORT")),
		SocksUser:       get("SMTPSH_SOCKS_USER"),
	}
}

// WaitFile polls dir/new for a file whose first blocks header sections
// hold needle (a Message-ID, a test header) and returns its path: blocks
// is 1 for a Maildir file, 2 for an aiosmtpd spool file (the envelope,
// then the headers). Postfix delivers asynchronously; aiosmtpd has
// written its file before its 250 but is polled the same way. It fails
// the test after limit.
func WaitFile(t testing.TB, dir, needle string, blocks int, limit time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		if p := FindFile(dir, needle, blocks); p != "" {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message with %q in %s/new within %v (see the servers' logs under $SMTPSH_SERVERS_DIR)", needle, dir, limit)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// FindFile returns the file in dir/new holding needle in its first
// blocks header sections, or "".
func FindFile(dir, needle string, blocks int) string {
	entries, _ := os.ReadDir(filepath.Join(dir, "new"))
	for _, e := range entries {
		p := filepath.Join(dir, "new", e.Name())
		if HeadHas(p, needle, blocks) {
			return p
		}
	}
	return ""
}

// HeadHas reports whether the first blocks sections of the file, each
// ended by an empty line (at most 64 KiB in all), contain needle.
func HeadHas(path, needle string, blocks int) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	r := bufio.NewReader(io.LimitReader(f, 64<<10))
	for range blocks {
		head, err := ReadHead(r)
		if strings.Contains(head, needle) {
			return true
		}
		if err != nil {
			return false
		}
	}
	return false
}

// ReadHead reads lines up to and including the first empty one (CRLF or
// LF) and returns them.
func ReadHead(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		b.WriteString(line)
		if err != nil {
			return b.String(), err
		}
		if line == "\n" || line == "\r\n" {
			return b.String(), nil
		}
	}
}

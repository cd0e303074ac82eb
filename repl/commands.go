package repl

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/smtpsh/smtpsh/smtpwire"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// command is one shell command. The table below drives dispatch, /help
// and tab completion.
type command struct {
	name     string // without the "/"
	args     string // usage of the arguments
	summary  string
	detail   string
	secret   bool // the line may hold a secret: keep it out of history
	run      func(s *Shell, ctx context.Context, arg string)
	complete func(s *Shell, arg string) []string
}

var commands []command

func init() {
	commands = []command{
		{name: "help", args: "[COMMAND]", summary: "list commands, or explain one (SMTP or shell)",
			run: (*Shell).cmdHelp, complete: completeHelp},
		{name: "explain", args: "CODE|TEXT", summary: "what a reply code (535, 5.7.8, \"535 5.7.8\") or text means, what to do",
			run: (*Shell).cmdExplain},
		{name: "lang", args: "[en|zh|zh-Hant]", summary: "show or switch the language of the explanations",
			detail: "en: English; zh: Simplified Chinese; zh-Hant (or zh-TW, zh-HK): Traditional Chinese.\n" +
				"Only the # lines change: what is sent and received (C:, S:) stays as it is.",
			run: (*Shell).cmdLang, complete: completeWords("en", "zh", "zh-Hant")},
		{name: "b64", args: "TEXT", summary: "base64-encode TEXT (\\0 is a NUL byte, for AUTH PLAIN)", secret: true,
			detail: "Like `echo -n TEXT | base64`. Not stored in history, since TEXT may be a password.",
			run:    (*Shell).cmdB64},
		{name: "unb64", args: "TEXT", summary: "decode base64 TEXT", secret: true,
			run: (*Shell).cmdUnb64},
		{name: "auth", args: "MECH [USER]", summary: "authenticate (plain, login, cram-md5, scram-*, xoauth2, oauthbearer, external, auto); the secret without echo",
			detail: authHelp,
			run:    (*Shell).cmdAuth, complete: completeWords(authMechanismNames...)},
		{name: "starttls", summary: "upgrade to TLS (RFC 3207), EHLO again, show the certificate",
			run: (*Shell).cmdStartTLS},
		{name: "tls", summary: "show the TLS version, cipher and certificate again",
			run: (*Shell).cmdTLS},
		{name: "status", summary: "session state, TLS, authentication, server extensions",
			run: (*Shell).cmdStatus},
		{name: "record", args: "FILE", summary: "record the session (from its start) as a replayable transcript",
			detail: "The transcript format of testdata/transcripts; AUTH payloads are written as [redacted].",
			run:    (*Shell).cmdRecord},
		{name: "stop", summary: "stop recording", run: (*Shell).cmdStop},
		{name: "quit", summary: "send QUIT and leave (Ctrl-D does the same)", run: (*Shell).cmdQuit},
		{name: "file", args: "PATH", summary: "in DATA mode: send a file's contents as message lines",
			run: func(s *Shell, _ context.Context, _ string) {
				s.p.fail(explain.M("sh.file_outside_data").Text(s.opts.Lang))
			}},
	}
}

func lookupCommand(name string) (command, bool) {
	name = strings.TrimPrefix(strings.ToLower(name), "/")
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// command runs one "/name args" line.
func (s *Shell) command(ctx context.Context, line string) {
	name, arg, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	cmd, ok := lookupCommand(name)
	if !ok {
		s.p.fail(explain.M("sh.unknown_command", "name", name).Text(s.opts.Lang))
		return
	}
	if !cmd.secret {
		s.in.AddHistory(line)
	}
	if !s.p.interactive {
		s.p.note("> " + redactCommand(cmd, line))
	}
	cmd.run(s, ctx, strings.TrimSpace(arg))
}

// redactCommand hides the argument of commands that may carry secrets.
func redactCommand(cmd command, line string) string {
	if cmd.secret {
		return "/" + cmd.name + " " + smtpwire.Redacted
	}
	return line
}

func (s *Shell) cmdHelp(_ context.Context, arg string) {
	if arg == "" {
		out := []string{explain.M("help.smtp").Text(s.opts.Lang)}
		for _, c := range SMTPCommands {
			out = append(out, fmt.Sprintf("  %-9s %s %s", c.Name, padRight(c.Summary().Text(s.opts.Lang), 48), c.RFC))
		}
		out = append(out, "", explain.M("help.shell").Text(s.opts.Lang))
		for _, c := range commands {
			out = append(out, fmt.Sprintf("  /%-8s %-20s %s", c.name, c.args, s.shellSummary(c)))
		}
		out = append(out, "", explain.M("help.footer").Text(s.opts.Lang))
		s.p.raw(out...)
		return
	}
	if strings.HasPrefix(arg, "/") {
		if c, ok := lookupCommand(arg); ok {
			out := []string{fmt.Sprintf("/%s %s", c.name, c.args), "  " + c.summary}
			if c.detail != "" {
				for _, l := range strings.Split(c.detail, "\n") {
					out = append(out, "  "+l)
				}
			}
			s.p.raw(out...)
			return
		}
	}
	if c, ok := LookupSMTP(arg); ok {
		out := []string{c.Syntax + "   (" + c.RFC + ")", "  " + c.Summary().Text(s.opts.Lang)}
		for _, l := range strings.Split(c.Detail().Text(s.opts.Lang), "\n") {
			out = append(out, "  "+l)
		}
		s.p.raw(out...)
		return
	}
	if c, ok := lookupCommand(arg); ok {
		s.cmdHelp(context.Background(), "/"+c.name)
		return
	}
	s.p.fail(explain.M("sh.no_help", "arg", strconv.Quote(arg)).Text(s.opts.Lang))
}

// shellSummary is what a shell command does: the table's English, or the
// catalog's "shell.NAME" in another language when it has one.
func (s *Shell) shellSummary(c command) string {
	if m := explain.M("shell." + c.name); s.opts.Lang != explain.En && m.Known() {
		return m.Text(s.opts.Lang)
	}
	return c.summary
}

func (s *Shell) cmdExplain(_ context.Context, arg string) {
	lines, err := ExplainInput(s.opts.Lang, arg)
	if err != nil {
		s.p.fail(err.Error())
		return
	}
	s.p.raw(lines...)
}

// cmdLang shows the language of the explanations, or switches it.
func (s *Shell) cmdLang(_ context.Context, arg string) {
	if arg = strings.TrimSpace(arg); arg != "" {
		l, err := explain.ParseLang(arg)
		if err != nil {
			s.p.fail(explain.M("lang.usage").Text(s.opts.Lang))
			return
		}
		s.opts.Lang = l
	}
	s.p.note(explain.M("lang.now", "lang", s.opts.Lang.String()).Text(s.opts.Lang))
}

// unescape turns "\0" into NUL and "\\" into "\", so AUTH PLAIN's
// NUL-separated string can be typed.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '0':
				b.WriteByte(0)
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func (s *Shell) cmdB64(_ context.Context, arg string) {
	if arg == "" {
		s.p.fail(explain.M("sh.b64_usage").Text(s.opts.Lang))
		return
	}
	s.p.private(base64.StdEncoding.EncodeToString([]byte(unescape(arg))))
}

func (s *Shell) cmdUnb64(_ context.Context, arg string) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(arg))
	if err != nil {
		s.p.fail(explain.M("sh.not_base64", "error", err.Error()).Text(s.opts.Lang))
		return
	}
	s.p.private(strings.ReplaceAll(fmt.Sprintf("%q", b), `\x00`, `\0`))
}

func (s *Shell) cmdStartTLS(ctx context.Context, _ string) {
	if s.c.TLS() {
		s.p.fail(explain.M("sh.tls_active").Text(s.opts.Lang))
		return
	}
	if !s.c.Extensions().StartTLS() {
		s.p.warn(explain.M("sh.starttls_unannounced").Text(s.opts.Lang))
	}
	s.startTLS(ctx)
}

func (s *Shell) cmdTLS(context.Context, string) {
	if !s.c.TLS() {
		s.say(explain.M("sh.no_tls"))
		return
	}
	s.showTLS()
}

func (s *Shell) cmdStatus(context.Context, string) {
	c := s.c
	t := func(id string, kv ...string) string { return explain.M(id, kv...).Text(s.opts.Lang) }
	out := []string{t("sh.status.server", "addr", s.opts.Addr, "state", c.State().String())}
	if info, ok := c.TLSInfo(); ok {
		out = append(out, t("sh.status.tls", "version", info.Version(), "cipher", info.CipherSuite()))
	} else {
		out = append(out, t("sh.status.no_tls"))
	}
	if c.Authenticated() {
		out = append(out, t("sh.status.authed"))
	} else {
		out = append(out, t("sh.status.not_authed"))
	}
	if kws := c.Extensions().Keywords(); len(kws) > 0 {
		out = append(out, t("sh.status.extensions"))
		for _, kw := range kws {
			params, _ := c.Extensions().Param(kw)
			out = append(out, "  "+explain.Extension(kw, params).Text(s.opts.Lang))
		}
	} else {
		out = append(out, t("sh.status.no_extensions"))
	}
	if s.recPath != "" {
		out = append(out, t("sh.status.recording", "path", s.recPath))
	}
	out = append(out, t("sh.status.next", "cmds", strings.Join(NextCommands(c.State(), c.TLS(), c.Authenticated(), c.Extensions()), " ")))
	s.p.raw(out...)
}

func (s *Shell) cmdRecord(_ context.Context, arg string) {
	if arg == "" {
		s.p.fail(explain.M("sh.record_usage").Text(s.opts.Lang))
		return
	}
	if s.recFile != nil {
		s.p.fail(explain.M("sh.already_recording", "path", s.recPath).Text(s.opts.Lang))
		return
	}
	if err := s.startRecording(arg); err != nil {
		s.p.fail(err.Error())
		return
	}
	s.say(explain.M("sh.recording", "path", arg))
}

// startRecording opens path and writes the session so far into it.
func (s *Shell) startRecording(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "# smtpsh recording of a session with %s\n", s.opts.Addr)
	if s.p.logFull {
		fmt.Fprintln(f, "# (the session was too long to keep whole: this recording starts mid-session)")
	} else {
		for _, l := range s.p.log {
			fmt.Fprintln(f, l)
		}
	}
	s.recFile, s.recPath, s.p.rec = f, path, f
	return nil
}

func (s *Shell) cmdStop(context.Context, string) {
	if s.recFile == nil {
		s.p.fail(explain.M("sh.not_recording").Text(s.opts.Lang))
		return
	}
	path := s.recPath
	s.stopRecording()
	s.say(explain.M("sh.recording_saved", "path", path))
}

func (s *Shell) stopRecording() {
	if s.recFile == nil {
		return
	}
	s.p.rec = nil
	if err := s.recFile.Close(); err != nil {
		s.p.fail(explain.M("sh.recording_failed", "error", err.Error()).Text(s.opts.Lang))
	}
	s.recFile, s.recPath = nil, ""
}

func (s *Shell) cmdQuit(ctx context.Context, _ string) {
	s.quit = true
	if st := s.c.State(); st != smtpwire.StateClosed && st != smtpwire.StateBroken {
		s.send(ctx, "QUIT")
	}
}

func (s *Shell) cmdAuth(ctx context.Context, arg string) {
	f := strings.Fields(arg)
	if len(f) == 0 || len(f) > 2 {
		s.p.fail(authUsage)
		return
	}
	mech := strings.ToUpper(f[0])
	if mech != "PLAIN" && mech != "LOGIN" {
		if mech != "AUTO" && !slices.Contains(smtpwire.MechanismNames(), mech) {
			s.p.fail(fmt.Sprintf("/auth knows %s and auto; for others type AUTH lines by hand", strings.Join(smtpwire.MechanismNames(), ", ")))
			return
		}
		s.authMech(ctx, mech, f)
		return
	}
	if exts := s.c.Extensions(); len(exts.Keywords()) > 0 && !exts.SupportsAuth(mech) {
		s.p.warn(fmt.Sprintf("the server did not announce AUTH %s (it offers: %s); trying anyway", mech, strings.Join(exts.AuthMechanisms(), " ")))
	}
	user := ""
	if len(f) == 2 {
		user = f[1]
	} else {
		u, err := s.in.ReadLine("Username: ")
		if err != nil {
			return
		}
		user = strings.TrimSpace(u)
	}
	password, err := s.in.ReadPassword("Password: ")
	if err != nil {
		s.p.fail("no password read: " + err.Error())
		return
	}
	var m smtpwire.Mechanism
	if mech == "PLAIN" {
		m = smtpwire.PlainAuth("", user, password)
		s.p.note(fmt.Sprintf("AUTH PLAIN sends base64(\"\\0%s\\0<password>\") on the AUTH line itself (RFC 4616); shown redacted", user))
	} else {
		m = &explainedLogin{Mechanism: smtpwire.LoginAuth(user, password), user: user, p: s.p}
	}
	if err := s.c.Auth(ctx, m); err != nil {
		s.reportError(err)
		return
	}
	s.p.note("authenticated as " + user)
}

// explainedLogin narrates each AUTH LOGIN step without showing the password.
type explainedLogin struct {
	smtpwire.Mechanism
	user string
	p    *printer
}

func (e *explainedLogin) Next(challenge []byte) ([]byte, error) {
	resp, err := e.Mechanism.Next(challenge)
	if err != nil {
		return nil, err
	}
	if string(resp) == e.user {
		e.p.note(fmt.Sprintf("sending the user name: base64(%q) = %s", e.user, base64.StdEncoding.EncodeToString(resp)))
	} else {
		e.p.note(fmt.Sprintf("sending the password: base64 of %d characters, not shown", len([]rune(string(resp)))))
	}
	return resp, nil
}

// completeWords completes the first argument from a fixed list.
func completeWords(words ...string) func(*Shell, string) []string {
	return func(_ *Shell, arg string) []string {
		var out []string
		for _, w := range words {
			if strings.HasPrefix(w, strings.ToLower(arg)) && !strings.Contains(arg, " ") {
				out = append(out, w)
			}
		}
		return out
	}
}

func completeHelp(_ *Shell, arg string) []string {
	var out []string
	for _, c := range SMTPCommands {
		if strings.HasPrefix(c.Name, strings.ToUpper(arg)) {
			out = append(out, c.Name)
		}
	}
	for _, c := range commands {
		if strings.HasPrefix("/"+c.name, arg) {
			out = append(out, "/"+c.name)
		}
	}
	sort.Strings(out)
	return out
}

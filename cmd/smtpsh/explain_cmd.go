package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/smtpsh/smtpsh/repl"
	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

const explainUsage = `usage: smtpsh explain [--lang en|zh|zh-Hant] [--json] CODE|ENHANCED|'REPLY TEXT'|COMMAND|KEYWORD

What a reply code (535), an enhanced status code (5.7.8), both (535 5.7.8)
or a reply as a server sent it ('554 5.7.1 Relay access denied') means,
and what to do: the shell's /explain. A text the provider wrote is
recognised: QQ's and 163's sender rules, greylisting, blocklists...
An SMTP command (RCPT) or an EHLO line (PIPELINING, 'SIZE 35882577') is
explained too.

`

// explainJSON is the --json answer.
type explainJSON struct {
	Input    string            `json:"input"`
	Lang     string            `json:"lang"`
	Kinds    []string          `json:"kinds,omitempty"` // what the reply text says, when there is one
	Messages []explainJSONLine `json:"messages"`
}

type explainJSONLine struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// runExplain answers smtpsh explain: the lines of /explain without the
// shell's "# ", or one JSON document.
func runExplain(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smtpsh explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, explainUsage); fs.PrintDefaults() }
	langFlag := fs.String("lang", "", "`LANG` of the answer: en, zh or zh-Hant (default: from LC_ALL, LC_MESSAGES, LANG)")
	asJSON := fs.Bool("json", false, "print one JSON document")
	pos, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return repl.ExitOK
	case err != nil:
		return repl.ExitUsage
	case len(pos) == 0:
		fs.Usage()
		return repl.ExitUsage
	}
	lang, err := pickLang(*langFlag, getenv)
	if err != nil {
		fmt.Fprintln(stderr, "smtpsh explain: --lang:", err)
		return repl.ExitUsage
	}
	input := strings.Join(pos, " ")
	ms, err := explain.Input(input)
	if err != nil {
		var e *explain.Error
		if errors.As(err, &e) {
			fmt.Fprintln(stderr, "smtpsh explain:", e.Msg.Text(lang))
		} else {
			fmt.Fprintln(stderr, "smtpsh explain:", err)
		}
		return repl.ExitUsage
	}
	if *asJSON {
		out := explainJSON{Input: input, Lang: lang.String(), Kinds: explain.Classify(input).Names()}
		for _, m := range ms {
			out.Messages = append(out.Messages, explainJSONLine{ID: m.ID, Text: m.Text(lang)})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "smtpsh explain:", err)
			return repl.ExitUsage
		}
		return repl.ExitOK
	}
	for _, l := range repl.Notes(ms, lang) {
		fmt.Fprintln(stdout, l)
	}
	return repl.ExitOK
}

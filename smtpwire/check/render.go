package check

import (
	"bufio"
	"encoding/json"
	"io"
)

// WriteText writes the report for humans: a header, each stage with its
// mark, duration, what was seen, the problem and the advice, then the
// verdict.
func WriteText(w io.Writer, r *Report, lang Lang) error {
	bw := bufio.NewWriter(w)
	t := func(m Msg) string { return m.Text(lang) }
	head := msg("render.header", "target", r.Target, "host", r.Host, "port", itoa(r.Port), "mode", r.TLSMode)
	if mode := msg("mode." + r.TLSMode); mode.Known() {
		head = head.WithMsg("mode", mode)
	}
	bw.WriteString(t(head) + "\n")
	if p := r.Provider; p != nil {
		bw.WriteString(t(msg("render.provider").With("provider", p.Name, p.NameZH)) + "\n")
	}
	for _, st := range r.Stages {
		bw.WriteString("\n" + t(msg("status."+string(st.Status))) + " " + t(msg("stage."+st.Name)))
		if st.Status != Skip {
			bw.WriteString(" (" + ms(st.Duration) + ")")
		}
		bw.WriteString("\n")
		for _, m := range st.Seen {
			bw.WriteString("       " + t(m) + "\n")
		}
		if st.Problem != "" {
			bw.WriteString("       " + t(msg("render.problem", "text", t(problemMsg(r, st.Problem)))) + "\n")
		}
		for _, m := range st.Advice {
			bw.WriteString("       → " + t(m) + "\n")
		}
	}
	v := r.Verdict()
	bw.WriteString("\n")
	if v.OK {
		bw.WriteString(t(msg("render.ok", "message", t(v.Message))) + "\n")
		bw.WriteString(t(msg("render.next", "fix", t(v.Fix))) + "\n")
	} else {
		stage := msg("stage." + v.Layer)
		line := msg("render.fail", "message", t(v.Message)).WithMsg("layer", stage)
		bw.WriteString(t(line) + "\n")
		if !v.Fix.IsZero() {
			bw.WriteString(t(msg("render.fix", "fix", t(v.Fix))) + "\n")
		}
	}
	return bw.Flush()
}

// problemMsg is the one-line title of a problem code.
func problemMsg(r *Report, code string) Msg {
	return msg("problem."+code, "host", r.Host, "port", itoa(r.Port))
}

// The JSON report. Field names are stable: scripts and monitoring read
// them. Texts are in the language asked for; problem codes are not.
type jsonReport struct {
	Target   string      `json:"target"`
	Host     string      `json:"host"`
	Port     int         `json:"port"`
	TLSMode  string      `json:"tls_mode"`
	Provider string      `json:"provider"`
	Stages   []jsonStage `json:"stages"`
	Verdict  jsonVerdict `json:"verdict"`
}

type jsonStage struct {
	Name       string   `json:"name"`
	Status     Status   `json:"status"`
	DurationMS int64    `json:"duration_ms"`
	Seen       []string `json:"seen"`
	Problem    string   `json:"problem"`
	Advice     []string `json:"advice"`
}

type jsonVerdict struct {
	Layer   string `json:"layer"`
	OK      bool   `json:"ok"`
	Problem string `json:"problem"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// WriteJSON writes the report as one JSON document.
func WriteJSON(w io.Writer, r *Report, lang Lang) error {
	texts := func(ms []Msg) []string {
		out := make([]string, 0, len(ms))
		for _, m := range ms {
			out = append(out, m.Text(lang))
		}
		return out
	}
	jr := jsonReport{Target: r.Target, Host: r.Host, Port: r.Port, TLSMode: r.TLSMode, Stages: []jsonStage{}}
	if r.Provider != nil {
		jr.Provider = r.Provider.Key
	}
	for _, st := range r.Stages {
		jr.Stages = append(jr.Stages, jsonStage{
			Name: st.Name, Status: st.Status, DurationMS: st.Duration.Milliseconds(),
			Seen: texts(st.Seen), Problem: st.Problem, Advice: texts(st.Advice),
		})
	}
	v := r.Verdict()
	jr.Verdict = jsonVerdict{Layer: v.Layer, OK: v.OK, Problem: v.Problem, Message: v.Message.Text(lang), Fix: v.Fix.Text(lang)}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(jr)
}

package explain

import "github.com/smtpsh/smtpsh/smtpwire"

// SASLNotes renders the notes of an AUTH mechanism's steps.
func SASLNotes(ns []smtpwire.Note, lang Lang) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, M("sasl."+n.ID, n.Args...).Text(lang))
	}
	return out
}

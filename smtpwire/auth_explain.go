package smtpwire

// Explainer is implemented by mechanisms that can say what their last
// step did, for a shell that teaches SASL: the challenge decoded, what was
// computed from it. The notes never hold a password, a token or a key
// derived from one, only what an eavesdropper could see on the wire.
type Explainer interface {
	// Explain returns the notes of the steps since the last call and
	// forgets them.
	Explain() []Note
}

// Note is one explained step: an ID in the "sasl." part of package
// explain's catalog, which has its text in each language, and the
// values of its parameters as key, value pairs.
type Note struct {
	ID   string
	Args []string
}

// notes collects Explain notes; embedded by the mechanisms.
type notes struct{ list []Note }

func (n *notes) note(id string, kv ...string) { n.list = append(n.list, Note{ID: id, Args: kv}) }

// Explain implements Explainer.
func (n *notes) Explain() []Note {
	out := n.list
	n.list = nil
	return out
}

// Verifier is implemented by mechanisms in which the server proves itself
// (SCRAM, RFC 5802 §3: the server signature). Client.Auth calls Verify
// after the 235: a server that authenticated the client without proving
// that it knows the credentials too is an error.
type Verifier interface {
	Verify() error
}

package smtpwire

// DefaultMaxAuthChallenges bounds the 334 challenges of one AUTH exchange
// for a mechanism that does not say how many it needs: a server that
// answers every response with another challenge would otherwise keep the
// client sending for ever, each reply arriving well within the timeout.
const DefaultMaxAuthChallenges = 8

// maxChallenger is implemented by a Mechanism that knows how many
// challenges a correct exchange takes (LOGIN: exactly two; PLAIN with its
// initial response: none). It is optional, so that mechanisms written
// against the Mechanism interface keep compiling.
type maxChallenger interface {
	MaxChallenges() int
}

// maxChallenges is m's bound, or DefaultMaxAuthChallenges.
func maxChallenges(m Mechanism) int {
	if mc, ok := m.(maxChallenger); ok {
		return mc.MaxChallenges()
	}
	return DefaultMaxAuthChallenges
}

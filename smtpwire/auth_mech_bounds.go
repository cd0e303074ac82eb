package smtpwire

// MaxChallenges of the mechanisms of this package (see maxChallenger): a
// server that sends more is cancelled.
func (a *cramMD5) MaxChallenges() int  { return 1 } // the challenge
func (a *scram) MaxChallenges() int    { return 2 } // server-first, server-final
func (a *oauth) MaxChallenges() int    { return 1 } // the JSON error
func (a *external) MaxChallenges() int { return 1 } // an empty 334 asking again

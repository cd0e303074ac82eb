package smtpwire

// SetSCRAMNonce pins the client nonce of a SCRAM mechanism, so golden
// transcripts are stable. Test-only: production nonces are random.
func SetSCRAMNonce(m Mechanism, nonce string) {
	m.(*scram).nonce = nonce
}

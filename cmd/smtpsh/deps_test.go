package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestBinaryDeps keeps packages that cost start-up time and do nothing for
// a user out of the binary: every package linked runs its init at every
// start, and a one-shot "smtpsh send" is mostly start-up (see
// scripts/bench-send.sh). Package testing came in once through
// smtptest.Replay's testing.TB.
func TestBinaryDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/smtpsh/smtpsh/smtpwire") {
		t.Fatalf("go list -deps printed no smtpwire: the check below would pass on anything\n%s", out)
	}
	for _, banned := range []string{"testing", "github.com/stretchr/testify/assert", "go.uber.org/goleak"} {
		if slices.Contains(deps, banned) {
			t.Errorf("smtpsh links %s: a test-only package runs its init at every start", banned)
		}
	}
}

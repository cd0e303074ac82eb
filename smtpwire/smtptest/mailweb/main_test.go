package mailweb_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves a goroutine behind: an
// event stream or a wait call must end with its request.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

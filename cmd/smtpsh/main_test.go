package main

import (
	"os"
	"testing"
)

// TestMain clears what a developer's environment would change in the
// commands' behaviour: the locale (a zh_CN.UTF-8 desktop made every test
// that reads English fail) and smtpsh's own variables (a password or a
// proxy left exported would reach every session). A test that wants one
// sets it with t.Setenv.
func TestMain(m *testing.M) {
	for _, k := range []string{
		"LC_ALL", "LC_MESSAGES", "LANG",
		"SMTPSH_PASSWORD", "SMTPSH_OAUTH2_TOKEN", "SMTPSH_PROXY", "SMTPSH_PROXY_PASSWORD", "SMTPSH_HTTP_PASSWORD",
	} {
		os.Unsetenv(k)
	}
	os.Exit(m.Run())
}

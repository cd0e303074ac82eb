// Package explain is the one place that knows what SMTP replies mean, in
// English, Simplified Chinese and Traditional Chinese: reply codes (RFC
// 5321 §4.2), enhanced status codes (RFC 3463 and the IANA "SMTP Enhanced
// Status Codes" registry), EHLO extension keywords, commands, AUTH steps
// (RFC 4954), the reply texts of particular providers (QQ, 163, Postfix,
// Microsoft...), and what to do about each.
//
// Knowledge is returned as [Msg] values: a catalog ID and its parameters.
// [Msg.Text] renders one in a [Lang]; the shell, send, check, mx,
// providers and the built-in server's log all render from here. Wire lines
// are never translated: only the explanations are.
//
// The files: lang.go (languages and locale matching, golang.org/x/text),
// msg.go and catalog.go (messages and their rendering), classify.go (the
// one file that knows how providers word their replies), reply.go and
// advice.go (a reply, a code or a pasted text explained), extension.go
// and commands.go (EHLO keywords, SMTP commands), and cat_*.go, the
// catalog itself. Its Traditional Chinese column was made from the
// Simplified one with OpenCC s2tw and is kept by hand.
package explain

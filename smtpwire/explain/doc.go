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
package explain

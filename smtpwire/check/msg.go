package check

import (
	"strconv"

	"github.com/smtpsh/smtpsh/smtpwire/explain"
)

// Lang is a language of the report: the catalog is smtpwire/explain's.
type Lang = explain.Lang

// The languages of the report.
const (
	English            = explain.En
	Chinese            = explain.ZhHans
	TraditionalChinese = explain.ZhHant
)

// Msg is one human message of the report: an ID in smtpwire/explain's
// catalog and the values of its {placeholders}.
type Msg = explain.Msg

// msg builds a message from an ID and key, value pairs.
func msg(id string, kv ...string) Msg { return explain.M(id, kv...) }

// extMsg explains one extension line of an EHLO reply.
func extMsg(line string) Msg { return explain.ExtensionLine(line) }

func itoa(n int) string { return strconv.Itoa(n) }

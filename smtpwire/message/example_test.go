package message_test

import (
	"fmt"
	"io"
	"log"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/smtpsh/smtpsh/smtpwire/message"
)

// Build a message in Chinese with an attachment. Date, MessageID and
// Boundary are pinned here so that the output is stable; left empty they
// are made up. In a program, w is the *smtpwire.DataWriter that Data
// returns, and the attachment is message.FileAttachment(path), read
// while it is written.
func ExampleMessage_WriteTo() {
	from, _ := mail.ParseAddress("张三 <zhang@example.cn>")
	to, _ := mail.ParseAddressList("李四 <li@example.cn>")
	m := &message.Message{
		From:    from,
		To:      to,
		Subject: "测试邮件",
		Text:    "你好！\n",
		Attachments: []message.Attachment{{
			Filename: "notes.txt",
			Open:     func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("hello\n")), nil },
		}},
		Date:      time.Date(2025, 3, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600)),
		MessageID: "<example.1@example.cn>",
		Boundary:  "EXAMPLE",
	}
	var out strings.Builder
	if _, err := m.WriteTo(&out); err != nil {
		log.Fatal(err)
	}
	os.Stdout.WriteString(strings.ReplaceAll(out.String(), "\r\n", "\n"))
	// Output:
	// Date: Sat, 01 Mar 2025 09:30:00 +0800
	// From: =?UTF-8?b?5byg5LiJ?= <zhang@example.cn>
	// To: =?UTF-8?b?5p2O5Zub?= <li@example.cn>
	// Subject: =?UTF-8?b?5rWL6K+V6YKu5Lu2?=
	// Message-ID: <example.1@example.cn>
	// MIME-Version: 1.0
	// Content-Type: multipart/mixed; boundary="=_m_EXAMPLE"
	//
	// --=_m_EXAMPLE
	// Content-Transfer-Encoding: base64
	// Content-Type: text/plain; charset=utf-8
	//
	// 5L2g5aW977yBDQo=
	//
	// --=_m_EXAMPLE
	// Content-Disposition: attachment; filename=notes.txt
	// Content-Transfer-Encoding: base64
	// Content-Type: text/plain; charset=utf-8; name=notes.txt
	//
	// aGVsbG8K
	//
	// --=_m_EXAMPLE--
}

// Check a header field typed by a user: a line break in the value is
// refused, so it cannot smuggle in a Bcc.
func ExampleParseField() {
	_, err := message.ParseField("X-Note: hi\r\nBcc: evil@example.com")
	fmt.Println(err)
	f, _ := message.ParseField("Reply-To: 客服 <support@example.cn>")
	fmt.Printf("%s = %s\n", f.Name, f.Value)
	// Output:
	// header field "X-Note": contains CR or LF, which would start another header field
	// Reply-To = 客服 <support@example.cn>
}

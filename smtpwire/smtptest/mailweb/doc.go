// Package mailweb serves a web page and a JSON REST API over a
// smtptest.MailServer, so that "smtpsh serve --http" can stand in for mail
// catchers such as Mailpit or MailHog in a test setup.
//
// The page (files embedded, no build step, no network) lists sessions and
// messages live through server-sent events (the HTML5 EventSource
// protocol); a session shows its whole C:/S: conversation with the
// shell's explanation of every reply, its TLS and AUTH details and
// timings, and can be downloaded as a transcript that "smtpsh replay"
// serves again; a message shows its headers, text, HTML (sanitised, in a
// sandboxed iframe), attachments and raw source.
//
// The API lives under /api/v1 and is documented in the README ("Replacing
// Mailpit"): messages (list, wait, get, raw, HTML, attachments, delete),
// sessions (list, get, transcript, delete), fault rules (get, set, add,
// clear) and /api/v1/events (the event stream).
package mailweb

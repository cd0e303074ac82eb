#!/usr/bin/python3
"""aiosmtpd test server for smtpsh's integration tests.

Run with Debian's /usr/bin/python3 and its python3-aiosmtpd package (not a
pyenv or virtualenv python). scripts/servers.sh starts it as:

    /usr/bin/python3 server.py --host 127.0.0.1 --port PORT \
        --cert server.pem --key server.key --user USER --password-file FILE \
        --spool DIR --pid-file FILE

It offers STARTTLS and AUTH PLAIN and LOGIN. AUTH is offered only after
STARTTLS (auth_require_tls) and required before MAIL (auth_required), so a
send exercises the whole submission path.

Each accepted message is written to SPOOL/new/NNNNNN.eml (first into
SPOOL/tmp, then renamed, so a file in new/ is always complete):

    MAIL FROM:<sender> PARAM...
    RCPT TO:<rcpt> PARAM...        (one line per recipient)
    X-Smtpsh-Auth: <user>          (the authenticated user)
    X-Smtpsh-TLS: yes|no
    <empty line>
    <the message content: every byte as received after the server removed
     the dot-stuffing, with its CRLF line endings>
"""

import argparse
import asyncio
import itertools
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class SpoolHandler:
    def __init__(self, spool):
        self.spool = spool
        self.seq = itertools.count(1)
        for sub in ("tmp", "new"):
            os.makedirs(os.path.join(spool, sub), exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        head = ["MAIL FROM:<%s>%s" % (envelope.mail_from, "".join(" " + o for o in envelope.mail_options))]
        for rcpt, opts in itertools.zip_longest(envelope.rcpt_tos, envelope.rcpt_options, fillvalue=[]):
            head.append("RCPT TO:<%s>%s" % (rcpt, "".join(" " + o for o in opts)))
        user = session.auth_data.login.decode("utf-8", "replace") if session.authenticated else ""
        head.append("X-Smtpsh-Auth: " + user)
        head.append("X-Smtpsh-TLS: " + ("yes" if session.ssl else "no"))
        name = "%06d-%d.eml" % (next(self.seq), os.getpid())
        tmp = os.path.join(self.spool, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(("\r\n".join(head) + "\r\n\r\n").encode("utf-8"))
            f.write(envelope.original_content)
        os.rename(tmp, os.path.join(self.spool, "new", name))
        return "250 2.0.0 OK saved as " + name


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode("utf-8")
        self.password = password.encode("utf-8")

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user
            and auth_data.password == self.password
        )
        return AuthResult(success=ok, auth_data=auth_data if ok else None, handled=False)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--hostname", default="aiosmtpd.smtpsh.test")
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password-file", required=True)
    p.add_argument("--spool", required=True)
    p.add_argument("--pid-file")
    args = p.parse_args()

    with open(args.password_file, encoding="utf-8") as f:
        password = f.read().strip()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)

    handler = SpoolHandler(args.spool)
    auth = Authenticator(args.user, password)

    def factory():
        return SMTP(
            handler,
            hostname=args.hostname,
            tls_context=ctx,
            require_starttls=False,
            auth_require_tls=True,
            auth_required=True,
            authenticator=auth,
            data_size_limit=64 << 20,
            enable_SMTPUTF8=True,
            loop=loop,
        )

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(factory, host=args.host, port=args.port))
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write("%d\n" % os.getpid())
    print("aiosmtpd listening on %s:%d" % (args.host, args.port), file=sys.stderr, flush=True)
    loop.run_until_complete(stop.wait())
    server.close()
    loop.run_until_complete(server.wait_closed())
    if args.pid_file:
        try:
            os.remove(args.pid_file)
        except FileNotFoundError:
            pass


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# scripts/servers.sh start|stop|status|env
#
# Real SMTP servers on 127.0.0.1 for smtpsh's integration tests
# (go test -tags integration ./...), also for trying smtpsh by hand:
#
#   Postfix (a private instance, "postfix -c", nothing in /etc/postfix used)
#     SMTPSH_POSTFIX_SMTP_PORT        default 10025  STARTTLS offered; AUTH
#                                     offered after TLS, optional: mail for
#                                     example.test is accepted without it
#     SMTPSH_POSTFIX_SUBMISSION_PORT  default 10587  STARTTLS required; AUTH
#                                     only after TLS and required to send
#     SMTPSH_POSTFIX_SMTPS_PORT       default 10465  implicit TLS; AUTH
#                                     required to send
#     SMTPSH_POSTFIX_AUTH_PORT        default 10588  as submission, with every
#                                     mechanism: PLAIN LOGIN CRAM-MD5
#                                     SCRAM-SHA-1 SCRAM-SHA-256
#     AUTH through a private Dovecot (its auth service, on a Unix socket in
#     Postfix's private queue directory); the other ports announce PLAIN and
#     LOGIN only. Mail for
#     example.test goes to Maildirs under the runtime directory; any other
#     domain bounces through the error transport, DNS is off: nothing is
#     ever relayed.
#   aiosmtpd (Debian's python3-aiosmtpd, run with /usr/bin/python3)
#     SMTPSH_AIOSMTPD_PORT            default 10026  STARTTLS; AUTH PLAIN and
#                                     LOGIN after TLS, required to send; each
#                                     message saved with its envelope
#   smtp-sink (from Postfix), a fast discard server
#     SMTPSH_SINK_PORT                default 10027
#   Dovecot LMTP (RFC 2033, the same Dovecot), users of the passwd-file only
#     SMTPSH_LMTP_PORT                default 10024, and the Unix socket
#                                     $SMTPSH_SERVERS_DIR/dovecot/lmtp.sock
#   microsocks, a SOCKS5 proxy (RFC 1928) with a user and password (RFC 1929)
#     SMTPSH_SOCKS_PORT               default 10080
#
# Every server runs as a separate process with its pid file in
# $SMTPSH_SERVERS_DIR/pids (default /tmp/smtpsh-servers). Configuration
# templates are in testdata/servers/; certificates (a test CA, a server
# certificate for localhost and 127.0.0.1, and an unrelated "wrong" CA) are
# made with openssl at every start. When every port answers, start writes
# $SMTPSH_SERVERS_DIR/servers.env (KEY=value lines, see write_env) and
# prints it. start when already started stops everything and starts afresh
# (runtime directory wiped: mail, queue, certificates, password).
#
#   scripts/servers.sh start    # 3 to 5 s (Postfix makes its queue the first time)
#   scripts/servers.sh status   # what runs, exit 1 if something is down
#   scripts/servers.sh env      # print the env file
#   scripts/servers.sh stop     # stop all, keep the runtime directory
#
# Needs root (Postfix's master runs as root and drops privileges) and the
# Debian packages postfix, dovecot-core, dovecot-lmtpd, python3-aiosmtpd,
# microsocks and openssl (.ci/run installs them).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEMPLATES=$ROOT/testdata/servers
RUNDIR=${SMTPSH_SERVERS_DIR:-/tmp/smtpsh-servers}
HOST=127.0.0.1
POSTFIX_SMTP_PORT=${SMTPSH_POSTFIX_SMTP_PORT:-10025}
POSTFIX_SUBMISSION_PORT=${SMTPSH_POSTFIX_SUBMISSION_PORT:-10587}
POSTFIX_SMTPS_PORT=${SMTPSH_POSTFIX_SMTPS_PORT:-10465}
AIOSMTPD_PORT=${SMTPSH_AIOSMTPD_PORT:-10026}
SINK_PORT=${SMTPSH_SINK_PORT:-10027}
POSTFIX_AUTH_PORT=${SMTPSH_POSTFIX_AUTH_PORT:-10588}
LMTP_PORT=${SMTPSH_LMTP_PORT:-10024}
SOCKS_PORT=${SMTPSH_SOCKS_PORT:-10080}
SOCKS_USER=proxyuser
TEST_USER=tester@example.test
OTHER_USER=other@example.test
MAIL_USER=nobody # owner of the delivered Maildirs
PYTHON=/usr/bin/python3
MARKER=.smtpsh-servers # only a directory holding it is ever wiped
SERVICES=(dovecot postfix aiosmtpd smtp-sink microsocks)

PFDIR=$RUNDIR/postfix/etc

say() { printf 'servers.sh: %s\n' "$*" >&2; }
STARTING= # set while start runs: a failure then stops what was started
die() {
	say "$*"
	if [ -n "$STARTING" ]; then
		STARTING=
		say "start failed: stopping what was started (logs kept in $RUNDIR)"
		cmd_stop || true
	fi
	exit 1
}

# alive PID: the process exists and is not a zombie waiting to be reaped
# (kill -0 succeeds on zombies, whose parent may be slow to reap them).
alive() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	[ "${s%% *}" != Z ]
}

# pid_of NAME prints the live pid recorded for NAME, or fails.
pid_of() {
	local f=$RUNDIR/pids/$1.pid pid
	# Postfix's own pid file wins: "postfix start" run by hand on this
	# instance makes a master the script did not record.
	[ "$1" = postfix ] && [ -s "$RUNDIR/postfix/spool/pid/master.pid" ] && f=$RUNDIR/postfix/spool/pid/master.pid
	[ -r "$f" ] || return 1
	pid=$(tr -dc '0-9' <"$f")
	[ -n "$pid" ] && alive "$pid" || return 1
	echo "$pid"
}

# port_answers PORT [tls]: a 220 greeting arrives within 3 s.
port_answers() {
	local port=$1 line
	if [ "${2:-}" = tls ]; then
		line=$(printf 'QUIT\r\n' | timeout 5 openssl s_client -connect "$HOST:$port" -quiet \
			-CAfile "$RUNDIR/tls/ca.pem" -verify_return_error 2>/dev/null | head -n 1) || true
	else
		line=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && IFS= read -r -t 3 l <&3 && printf "QUIT\r\n" >&3 && echo "$l"' \
			"$HOST" "$port" 2>/dev/null) || true
	fi
	[[ $line == 220* ]]
}

port_in_use() { ss -Hltn "sport = :$1" | grep -q .; }

# listener_pid PORT: the pid of the process listening on PORT.
listener_pid() { ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2; }

ports() { echo "$POSTFIX_SMTP_PORT $POSTFIX_SUBMISSION_PORT $POSTFIX_SMTPS_PORT $AIOSMTPD_PORT $SINK_PORT $POSTFIX_AUTH_PORT $LMTP_PORT $SOCKS_PORT"; }

wait_for() { # DESCRIPTION SECONDS COMMAND...
	local what=$1 secs=$2 i
	shift 2
	for ((i = 0; i < secs * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	die "$what did not come up within ${secs}s; logs are in $RUNDIR (*.log, postfix/postfix.log, dovecot/dovecot.log)"
}

render() { # TEMPLATE OUTPUT
	sed -e "s|@RUNDIR@|$RUNDIR|g" -e "s|@HOST@|$HOST|g" \
		-e "s|@POSTFIX_SMTP_PORT@|$POSTFIX_SMTP_PORT|g" \
		-e "s|@POSTFIX_SUBMISSION_PORT@|$POSTFIX_SUBMISSION_PORT|g" \
		-e "s|@POSTFIX_SMTPS_PORT@|$POSTFIX_SMTPS_PORT|g" \
		-e "s|@POSTFIX_AUTH_PORT@|$POSTFIX_AUTH_PORT|g" -e "s|@LMTP_PORT@|$LMTP_PORT|g" \
		-e "s|@MAILUID@|$(id -u "$MAIL_USER")|g" -e "s|@MAILGID@|$(id -g "$MAIL_USER")|g" \
		"$1" >"$2"
}

check_tools() {
	[ "$(id -u)" = 0 ] || die "must run as root: Postfix's master starts as root"
	local missing=()
	for c in postfix postconf smtp-sink dovecot openssl ss microsocks; do
		command -v "$c" >/dev/null || missing+=("$c")
	done
	[ -x /usr/lib/dovecot/lmtp ] || missing+=("dovecot-lmtpd")
	[ -x "$PYTHON" ] && "$PYTHON" -c 'import aiosmtpd' 2>/dev/null || missing+=("python3-aiosmtpd for $PYTHON")
	[ ${#missing[@]} -eq 0 ] || die "missing: ${missing[*]} (apt-get install postfix dovecot-core dovecot-lmtpd python3-aiosmtpd microsocks openssl iproute2)"
	[[ $RUNDIR == /* && $RUNDIR != *[[:space:]\'\"\$\`\\\|]* ]] ||
		die "SMTPSH_SERVERS_DIR must be an absolute path without spaces, quotes or | ($RUNDIR)"
}

# make_certs: a test CA, the server certificate for localhost and
# 127.0.0.1 signed by it, and a second CA that signed nothing.
make_certs() {
	local d=$RUNDIR/tls
	mkdir -p "$d"
	(
		cd "$d"
		ossl() { openssl "$@" 2>>openssl.log; }
		ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
			-subj "/O=smtpsh tests/CN=smtpsh test CA" -keyout ca.key -out ca.pem \
			-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
		ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
			-subj "/O=smtpsh tests/CN=unrelated CA" -keyout wrong-ca.key -out wrong-ca.pem \
			-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
		ossl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-subj "/O=smtpsh tests/CN=localhost" -keyout server.key -out server.csr
		printf '%s\n' 'subjectAltName=DNS:localhost,IP:127.0.0.1' 'basicConstraints=critical,CA:FALSE' \
			'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth' >server.ext
		ossl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
			-extfile server.ext -out server.pem
		rm -f server.csr server.ext ca.srl
		chmod 0644 ./*.pem
		chmod 0600 ./*.key
	) || die "openssl failed: see $d/openssl.log"
}

start_dovecot() {
	mkdir -p "$RUNDIR/dovecot/run" "$RUNDIR/dovecot/state"
	install -d -o "$MAIL_USER" -g "$(id -gn "$MAIL_USER")" "$RUNDIR/lmtp-mail"
	render "$TEMPLATES/dovecot/dovecot.conf" "$RUNDIR/dovecot/dovecot.conf"
	printf '%s:{PLAIN}%s::::::\n' "$TEST_USER" "$PASSWORD" >"$RUNDIR/dovecot/users"
	chown root:dovecot "$RUNDIR/dovecot/users"
	chmod 0640 "$RUNDIR/dovecot/users"
	dovecot -c "$RUNDIR/dovecot/dovecot.conf" </dev/null >>"$RUNDIR/dovecot/start.log" 2>&1 ||
		die "dovecot failed to start: see $RUNDIR/dovecot/dovecot.log"
	wait_for "dovecot's master.pid" 10 test -s "$RUNDIR/dovecot/run/master.pid"
	cp "$RUNDIR/dovecot/run/master.pid" "$RUNDIR/pids/dovecot.pid"
	wait_for "dovecot's auth socket" 10 test -S "$RUNDIR/postfix/spool/private/auth"
}

start_postfix() {
	mkdir -p "$PFDIR" "$RUNDIR/postfix/data"
	render "$TEMPLATES/postfix/main.cf" "$PFDIR/main.cf"
	render "$TEMPLATES/postfix/master.cf" "$PFDIR/master.cf"
	render "$TEMPLATES/postfix/vmailbox" "$PFDIR/vmailbox"
	touch "$RUNDIR/postfix/postfix.log"
	chown postfix "$RUNDIR/postfix/data"
	install -d -o "$MAIL_USER" -g "$(id -gn "$MAIL_USER")" "$RUNDIR/mail"
	# "postfix start" also runs "postfix check", which creates the queue
	# directories with their owners.
	postfix -c "$PFDIR" start >>"$RUNDIR/postfix/start.log" 2>&1 ||
		die "postfix failed to start: see $RUNDIR/postfix/start.log and postfix.log"
	wait_for "postfix's master.pid" 10 test -s "$RUNDIR/postfix/spool/pid/master.pid"
	tr -dc '0-9\n' <"$RUNDIR/postfix/spool/pid/master.pid" >"$RUNDIR/pids/postfix.pid"
}

start_aiosmtpd() {
	local d=$RUNDIR/aiosmtpd
	mkdir -p "$d/spool"
	printf '%s\n' "$PASSWORD" >"$d/password"
	chmod 0600 "$d/password"
	setsid "$PYTHON" "$TEMPLATES/aiosmtpd/server.py" --host "$HOST" --port "$AIOSMTPD_PORT" \
		--cert "$RUNDIR/tls/server.pem" --key "$RUNDIR/tls/server.key" \
		--user "$TEST_USER" --password-file "$d/password" --spool "$d/spool" \
		--pid-file "$RUNDIR/pids/aiosmtpd.pid" </dev/null >>"$d/aiosmtpd.log" 2>&1 &
	wait_for "aiosmtpd's pid file" 10 test -s "$RUNDIR/pids/aiosmtpd.pid"
}

start_sink() {
	# -u postfix: smtp-sink drops root after binding. -h: the name in its
	# greeting and EHLO reply.
	setsid smtp-sink -u postfix -h sink.smtpsh.test "$HOST:$SINK_PORT" 64 \
		</dev/null >>"$RUNDIR/smtp-sink.log" 2>&1 &
	echo $! >"$RUNDIR/pids/smtp-sink.pid" # corrected from the listener once it answers
}

start_socks() {
	# -1: once a client has logged in, its address may connect without
	# the password; off here, so every test sends it.
	setsid microsocks -i "$HOST" -p "$SOCKS_PORT" -u "$SOCKS_USER" -P "$PASSWORD" \
		</dev/null >>"$RUNDIR/microsocks.log" 2>&1 &
	echo $! >"$RUNDIR/pids/microsocks.pid"
}

write_env() {
	local f=$RUNDIR/servers.env
	cat >"$f.tmp" <<EOF
# Written by scripts/servers.sh start at $(date -u +%Y-%m-%dT%H:%M:%SZ). Shell KEY=value lines.
SMTPSH_SERVERS_DIR=$RUNDIR
SMTPSH_HOST=$HOST
SMTPSH_SERVER_NAME=localhost
SMTPSH_POSTFIX_SMTP_PORT=$POSTFIX_SMTP_PORT
SMTPSH_POSTFIX_SUBMISSION_PORT=$POSTFIX_SUBMISSION_PORT
SMTPSH_POSTFIX_SMTPS_PORT=$POSTFIX_SMTPS_PORT
SMTPSH_AIOSMTPD_PORT=$AIOSMTPD_PORT
SMTPSH_SINK_PORT=$SINK_PORT
SMTPSH_POSTFIX_AUTH_PORT=$POSTFIX_AUTH_PORT
SMTPSH_LMTP_PORT=$LMTP_PORT
SMTPSH_LMTP_SOCKET=$RUNDIR/dovecot/lmtp.sock
SMTPSH_LMTP_MAILDIR=$RUNDIR/lmtp-mail/example.test/tester
SMTPSH_SOCKS_PORT=$SOCKS_PORT
SMTPSH_SOCKS_USER=$SOCKS_USER
SMTPSH_USER=$TEST_USER
SMTPSH_PASSWORD=$PASSWORD
SMTPSH_OTHER_RCPT=$OTHER_USER
SMTPSH_CA_FILE=$RUNDIR/tls/ca.pem
SMTPSH_WRONG_CA_FILE=$RUNDIR/tls/wrong-ca.pem
SMTPSH_MAILDIR=$RUNDIR/mail/example.test/tester
SMTPSH_OTHER_MAILDIR=$RUNDIR/mail/example.test/other
SMTPSH_AIOSMTPD_SPOOL=$RUNDIR/aiosmtpd/spool
SMTPSH_POSTFIX_VERSION=$(postconf -c "$PFDIR" -h mail_version)
SMTPSH_DOVECOT_VERSION=$(dovecot --version | cut -d' ' -f1)
SMTPSH_AIOSMTPD_VERSION=$("$PYTHON" -c 'import aiosmtpd; print(aiosmtpd.__version__)')
EOF
	mv "$f.tmp" "$f"
}

stop_one() { # NAME
	local name=$1 pid i
	pid=$(pid_of "$name") || {
		rm -f "$RUNDIR/pids/$name.pid"
		return 0
	}
	if [ "$name" = postfix ] && [ -f "$PFDIR/main.cf" ]; then
		postfix -c "$PFDIR" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
	else
		kill "$pid" 2>/dev/null || true
	fi
	for ((i = 0; i < 100; i++)); do
		alive "$pid" || break
		sleep 0.05
	done
	if alive "$pid"; then
		say "$name (pid $pid) did not stop within 10 s: killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$RUNDIR/pids/$name.pid"
	say "stopped $name (pid $pid)"
}

cmd_stop() {
	[ -d "$RUNDIR/pids" ] || return 0
	# Postfix first: it holds connections to Dovecot's auth socket.
	for name in microsocks smtp-sink aiosmtpd postfix dovecot; do
		stop_one "$name"
	done
	# Postfix's smtpd children may hold a listening socket a moment after
	# their master left: wait until the ports are free.
	local i port busy
	for ((i = 0; i < 100; i++)); do
		busy=
		for port in $(ports); do
			port_in_use "$port" && busy=$port
		done
		[ -z "$busy" ] && break
		sleep 0.1
	done
	[ -z "$busy" ] || say "port $busy is still in use after stop"
	rm -f "$RUNDIR/servers.env"
}

cmd_start() {
	check_tools
	cmd_stop
	if [ -e "$RUNDIR" ] && [ ! -e "$RUNDIR/$MARKER" ] && [ -n "$(ls -A "$RUNDIR")" ]; then
		die "$RUNDIR exists and was not made by this script: refusing to wipe it (set SMTPSH_SERVERS_DIR)"
	fi
	local port
	for port in $(ports); do
		port_in_use "$port" && die "port $port is already in use: $(ss -Hltnp "sport = :$port" | head -n 1)"
	done
	local t0=$SECONDS
	STARTING=1
	rm -rf "$RUNDIR"
	mkdir -p "$RUNDIR/pids"
	chmod 0755 "$RUNDIR"
	touch "$RUNDIR/$MARKER"
	PASSWORD=$(openssl rand -hex 12)
	make_certs
	install -d -m 0755 "$RUNDIR/postfix/spool"
	install -d -o postfix -m 0700 "$RUNDIR/postfix/spool/private"
	start_dovecot
	start_postfix
	start_aiosmtpd
	start_sink
	start_socks
	wait_for "postfix on $POSTFIX_SMTP_PORT" 20 port_answers "$POSTFIX_SMTP_PORT"
	wait_for "postfix on $POSTFIX_SUBMISSION_PORT" 20 port_answers "$POSTFIX_SUBMISSION_PORT"
	wait_for "postfix on $POSTFIX_SMTPS_PORT (TLS)" 20 port_answers "$POSTFIX_SMTPS_PORT" tls
	wait_for "aiosmtpd on $AIOSMTPD_PORT" 20 port_answers "$AIOSMTPD_PORT"
	wait_for "smtp-sink on $SINK_PORT" 20 port_answers "$SINK_PORT"
	wait_for "postfix on $POSTFIX_AUTH_PORT" 20 port_answers "$POSTFIX_AUTH_PORT"
	wait_for "dovecot LMTP on $LMTP_PORT" 20 port_answers "$LMTP_PORT"
	wait_for "microsocks on $SOCKS_PORT" 20 port_in_use "$SOCKS_PORT"
	listener_pid "$SINK_PORT" >"$RUNDIR/pids/smtp-sink.pid"
	write_env
	STARTING=
	say "all servers up in $((SECONDS - t0)) s; env file: $RUNDIR/servers.env (the password: scripts/servers.sh env)"
	sed 's/^SMTPSH_PASSWORD=.*/SMTPSH_PASSWORD=(in the env file)/' "$RUNDIR/servers.env"
}

cmd_status() {
	local name pid rc=0
	for name in "${SERVICES[@]}"; do
		if pid=$(pid_of "$name"); then
			printf '%-10s running, pid %s\n' "$name" "$pid"
		else
			printf '%-10s not running\n' "$name"
			rc=1
		fi
	done
	if [ -f "$RUNDIR/servers.env" ]; then
		# shellcheck disable=SC1091
		. "$RUNDIR/servers.env"
		printf 'ports on %s: postfix smtp %s, submission %s, smtps %s, auth %s; aiosmtpd %s; smtp-sink %s; lmtp %s; socks5 %s\n' \
			"$SMTPSH_HOST" "$SMTPSH_POSTFIX_SMTP_PORT" "$SMTPSH_POSTFIX_SUBMISSION_PORT" \
			"$SMTPSH_POSTFIX_SMTPS_PORT" "$SMTPSH_POSTFIX_AUTH_PORT" "$SMTPSH_AIOSMTPD_PORT" "$SMTPSH_SINK_PORT" \
			"$SMTPSH_LMTP_PORT" "$SMTPSH_SOCKS_PORT"
		echo "env file: $RUNDIR/servers.env"
	else
		echo "no env file at $RUNDIR/servers.env"
		rc=1
	fi
	return $rc
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
env) cat "$RUNDIR/servers.env" ;;
*)
	echo "usage: $0 start|stop|status|env   (runtime directory: $RUNDIR)" >&2
	exit 2
	;;
esac

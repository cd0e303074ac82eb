# sink.sh: sourced by the benchmark scripts. start_sink NAME TMPDIR starts
# Postfix's smtp-sink on a free loopback port and sets sink_pid and port;
# stop_sink ends it. smtp-sink answers everything with success, pipelines
# (RFC 2920) and keeps nothing: the server costs as little as a server can.
# Needs smtp-sink (Debian: apt-get install postfix; /usr/sbin/smtp-sink).

sink_pid=
port=

# listening PORT: something accepts connections on 127.0.0.1:PORT.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_sink() {
	local name=$1 tmp=$2 sink p
	sink=$(command -v smtp-sink || true)
	[ -n "$sink" ] || [ ! -x /usr/sbin/smtp-sink ] || sink=/usr/sbin/smtp-sink
	if [ -z "$sink" ]; then
		echo "$name: smtp-sink not found: apt-get install postfix (it provides /usr/sbin/smtp-sink)" >&2
		exit 1
	fi
	local user_opt=()
	[ "$(id -u)" -ne 0 ] || user_opt=(-u nobody) # smtp-sink refuses to run as root without -u
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		p=$((20000 + RANDOM % 40000))
		listening "$p" && continue
		"$sink" "${user_opt[@]}" "127.0.0.1:$p" 256 2>"$tmp/sink.err" &
		sink_pid=$!
		for _ in $(seq 50); do
			listening "$p" && break
			kill -0 "$sink_pid" 2>/dev/null || break
			sleep 0.1
		done
		if listening "$p"; then
			port=$p
			echo "# smtp-sink (pid $sink_pid) on 127.0.0.1:$port"
			return 0
		fi
		stop_sink
	done
	echo "$name: could not start smtp-sink:" >&2
	cat "$tmp/sink.err" >&2
	exit 1
}

stop_sink() {
	if [ -n "$sink_pid" ]; then
		kill "$sink_pid" 2>/dev/null || true
		wait "$sink_pid" 2>/dev/null || true
		sink_pid=
	fi
}

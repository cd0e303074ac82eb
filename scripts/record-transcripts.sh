#!/usr/bin/env bash
# scripts/record-transcripts.sh: re-record testdata/transcripts/real-*.txt
# from the real servers (Postfix submission and implicit TLS, aiosmtpd,
# smtp-sink), normalised so they replay offline.
#
# It starts the servers if their env file is missing, runs
# TestRecordRealTranscripts (smtpwire/integration_record_test.go) with
# -record, and shows the diff. Read it before committing: the offline
# replays (smtpwire/real_transcript_test.go) must still pass, which this
# script checks too. Without -record the same test, part of the integration
# run, fails when a server's dialect no longer matches its transcript.
set -euo pipefail
cd "$(dirname "$0")/.."
env_file=${SMTPSH_SERVERS_ENV:-${SMTPSH_SERVERS_DIR:-/tmp/smtpsh-servers}/servers.env}
[ -f "$env_file" ] || scripts/servers.sh start >/dev/null
go test -tags integration -count=1 ./smtpwire/ -run '^TestRecordRealTranscripts$' -record -v | grep -E '^(---|ok|FAIL)|wrote'
go test -count=1 ./smtpwire/ -run '^TestRealTranscript'
git diff --stat -- testdata/transcripts/ || true

#!/bin/bash
# iperf3.sh: a 5 s iperf3 SCTP test (--sctp), server and client both under
# the shim; JSON results must report protocol SCTP and a positive rate.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-7140}

NAME=iperf3
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"

P=$TEST_PORT
srv_log=$tmp/server.log

echo "starting iperf3 server (one test) on 127.0.0.1:$P"
timeout -k 5 50 "$SCTPSHIM" iperf3 -s -1 -B 127.0.0.1 -p "$P" >"$srv_log" 2>&1 &
srv_pid=$!
bg_pids+=("$srv_pid")
ready=0
for ((i = 0; i < 100; i++)); do
    # iperf3's control connection is TCP.
    if [ -n "$(ss -ltnH "sport = :$P")" ]; then ready=1; break; fi
    is_running "$srv_pid" || { show "$srv_log"; fail "server died"; }
    sleep 0.1
done
[ "$ready" -eq 1 ] || { show "$srv_log"; fail "server not listening after 10 s"; }
ok "server listening"

echo "running iperf3 --sctp client for 5 s"
rc=0
timeout -k 5 20 "$SCTPSHIM" iperf3 --sctp -c 127.0.0.1 -p "$P" -t 5 -J \
    >"$tmp/client.json" 2>"$tmp/client.err" || rc=$?
[ "$rc" -eq 0 ] || { show "$tmp/client.json"; show "$tmp/client.err"; fail "client exited with status $rc"; }
ok "client exit status 0"

rc=0
timeout 10 python3 - "$tmp/client.json" <<'PY' || rc=$?
import json, sys

with open(sys.argv[1]) as f:
    d = json.load(f)

def check(cond, what):
    if not cond:
        print("FAIL: " + what, file=sys.stderr)
        sys.exit(1)
    print("ok: " + what)

check("error" not in d, "no 'error' in the JSON (%r)" % d.get("error"))
ts = d["start"]["test_start"]
check(ts["protocol"] == "SCTP", "start.test_start.protocol == 'SCTP' (%r)" % ts["protocol"])
check(ts["num_streams"] == 1, "start.test_start.num_streams == 1 (%r)" % ts["num_streams"])
sent = d["end"]["sum_sent"]
recv = d["end"]["sum_received"]
check(sent["bytes"] > 0, "end.sum_sent.bytes > 0 (%d)" % sent["bytes"])
check(recv["bytes"] > 0, "end.sum_received.bytes > 0 (%d)" % recv["bytes"])
check(recv["bytes"] <= sent["bytes"], "received bytes <= sent bytes")
check(recv["bits_per_second"] > 0,
      "end.sum_received.bits_per_second > 0 (%.0f)" % recv["bits_per_second"])
check(4.5 <= recv["seconds"] <= 6.5, "test lasted ~5 s (%.3f)" % recv["seconds"])
print("rate: sent %.1f Mbit/s, received %.1f Mbit/s (%d bytes)"
      % (sent["bits_per_second"] / 1e6, recv["bits_per_second"] / 1e6, recv["bytes"]))
PY
[ "$rc" -eq 0 ] || { show "$tmp/client.json"; fail "JSON checks failed"; }

# -1: the server serves one test, then exits by itself with status 0.
wait_exit "$srv_pid" 10 || { show "$srv_log"; fail "server still running 10 s after the test"; }
[ "$exit_rc" -eq 0 ] || { show "$srv_log"; fail "server exited with status $exit_rc"; }
grep -q '^Accepted connection from 127\.0\.0\.1, port ' "$srv_log" \
    || { show "$srv_log"; fail "server log lacks 'Accepted connection from 127.0.0.1'"; }
grep -qE '^\[ *[0-9]+\] +0\.00-[0-9.]+ +sec .* receiver$' "$srv_log" \
    || { show "$srv_log"; fail "server log lacks the receiver summary"; }
ok "server accepted 127.0.0.1, printed a receiver summary and exited with status 0"

echo "PASS: iperf3.sh"

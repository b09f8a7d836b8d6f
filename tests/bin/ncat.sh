#!/bin/bash
# ncat.sh: 3 MB through nmap's ncat over SCTP (--sctp), both ends under the
# shim; the listener must end by itself when the association closes and have
# written exactly the bytes sent.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-7130}

NAME=ncat
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"

P=$TEST_PORT
SIZE=3000000
head -c "$SIZE" /dev/urandom >"$tmp/in"
lst_log=$tmp/listener.err

# ncat ends when its stdin reaches EOF even with --recv-only, so the
# listener's stdin is a FIFO held open by a sleep for the whole test (a FIFO
# rather than `sleep | ncat` so that both PIDs are known and can be stopped).
mkfifo "$tmp/stdin"
echo "starting ncat --sctp listener on 127.0.0.1:$P"
timeout -k 5 50 "$SCTPSHIM" ncat -v --sctp --recv-only -l 127.0.0.1 "$P" \
    <"$tmp/stdin" >"$tmp/out" 2>"$lst_log" &
lst_pid=$!
bg_pids+=("$lst_pid")
timeout 50 sleep 45 >"$tmp/stdin" &
bg_pids+=("$!")

ready=0
for ((i = 0; i < 100; i++)); do
    # ncat prints "Listening on" after listen() returned.
    if port_bound "$P" && grep -qxF "Ncat: Listening on 127.0.0.1:$P" "$lst_log"; then
        ready=1
        break
    fi
    is_running "$lst_pid" || { show "$lst_log"; fail "listener died"; }
    sleep 0.1
done
[ "$ready" -eq 1 ] || { show "$lst_log"; fail "listener not ready after 10 s"; }
ok "listener ready"

echo "sending $SIZE bytes with ncat --sctp --send-only"
rc=0
timeout -k 5 20 "$SCTPSHIM" ncat --sctp --send-only 127.0.0.1 "$P" \
    <"$tmp/in" 2>"$tmp/sender.err" || rc=$?
[ "$rc" -eq 0 ] || { show "$tmp/sender.err"; fail "sender exited with status $rc"; }
ok "sender exit status 0"

# The listener must end by itself (the association closed), status 0.
wait_exit "$lst_pid" 10 || { show "$lst_log"; fail "listener still running 10 s after the sender ended"; }
[ "$exit_rc" -eq 0 ] || { show "$lst_log"; fail "listener exited with status $exit_rc"; }
grep -q '^Ncat: Connection from 127\.0\.0\.1' "$lst_log" \
    || { show "$lst_log"; fail "listener did not log the connection from 127.0.0.1"; }
ok "listener accepted a connection from 127.0.0.1 and exited by itself with status 0"

same_file "listener output" "$tmp/in" "$tmp/out" "$SIZE"

echo "PASS: ncat.sh"

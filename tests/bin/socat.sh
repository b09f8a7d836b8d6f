#!/bin/bash
# socat.sh: bulk transfers through socat's SCTP addresses, both ends under
# the shim:
#   1. 10 MiB, connector -> listener (listener writes a file);
#   2. 10 MiB, listener -> connector (the other direction);
#   3. 1 MiB echoed back by the listener (data both ways on one association).
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-7120}

NAME=socat
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"

# start_listener NAME PORT SOCAT-ARGS...: run socat in the background under
# the shim and wait (bounded) until it listens.  Sets lst_pid.
start_listener() {
    local name=$1 port=$2 i log=$tmp/$1.err
    shift 2
    timeout -k 5 50 "$SCTPSHIM" socat -d -d "$@" 2>"$log" &
    lst_pid=$!
    bg_pids+=("$lst_pid")
    for ((i = 0; i < 100; i++)); do
        # socat logs "listening on" after listen() returned.
        if port_bound "$port" && grep -q ' N listening on ' "$log"; then
            echo "$name: listener ready on port $port"
            return 0
        fi
        is_running "$lst_pid" || { show "$log"; fail "$name: listener died"; }
        sleep 0.1
    done
    show "$log"
    fail "$name: listener not ready after 10 s"
}

# finish_listener NAME: the listener must exit by itself, with status 0.
finish_listener() {
    wait_exit "$lst_pid" 10 || { show "$tmp/$1.err"; fail "$1: listener still running 10 s after the transfer"; }
    [ "$exit_rc" -eq 0 ] || { show "$tmp/$1.err"; fail "$1: listener exited with status $exit_rc"; }
    ok "$1: listener exited by itself with status 0"
}

head -c 10485760 /dev/urandom >"$tmp/in10"
head -c 1048576 /dev/urandom >"$tmp/in1"

# 1. connector -> listener, 10 MiB.
P=$TEST_PORT
echo "case 1: 10 MiB from SCTP-CONNECT to SCTP-LISTEN:$P"
start_listener case1 "$P" -u "SCTP-LISTEN:$P,bind=127.0.0.1,reuseaddr" \
    "OPEN:$tmp/out1,creat,trunc"
rc=0
timeout -k 5 20 "$SCTPSHIM" socat -u "OPEN:$tmp/in10" "SCTP-CONNECT:127.0.0.1:$P" \
    2>"$tmp/case1-client.err" || rc=$?
[ "$rc" -eq 0 ] || { show "$tmp/case1-client.err"; fail "case1: sender exited with status $rc"; }
ok "case1: sender exit status 0"
finish_listener case1
same_file "case1 (connector -> listener)" "$tmp/in10" "$tmp/out1" 10485760

# 2. listener -> connector, 10 MiB.
P=$((TEST_PORT + 1))
echo "case 2: 10 MiB from SCTP-LISTEN:$P to SCTP-CONNECT"
start_listener case2 "$P" -u "OPEN:$tmp/in10" "SCTP-LISTEN:$P,bind=127.0.0.1,reuseaddr"
rc=0
timeout -k 5 20 "$SCTPSHIM" socat -u "SCTP-CONNECT:127.0.0.1:$P" \
    "CREATE:$tmp/out2" 2>"$tmp/case2-client.err" || rc=$?
[ "$rc" -eq 0 ] || { show "$tmp/case2-client.err"; fail "case2: receiver exited with status $rc"; }
ok "case2: receiver exit status 0"
finish_listener case2
same_file "case2 (listener -> connector)" "$tmp/in10" "$tmp/out2" 10485760

# 3. Echo: the listener pipes the association through `head -c 1 MiB`, which
# returns every byte and then ends, so the listener closes the association.
# SCTP has no half-close (SHUT_WR starts the SHUTDOWN procedure, after which
# the peer may not send), so the client must not shut down on stdin EOF
# (shut-none); it ends when the listener closes.
P=$((TEST_PORT + 2))
echo "case 3: 1 MiB echoed by SCTP-LISTEN:$P"
start_listener case3 "$P" "SCTP-LISTEN:$P,bind=127.0.0.1,reuseaddr" \
    "EXEC:head -c 1048576"
rc=0
timeout -k 5 20 "$SCTPSHIM" socat -t 10 STDIO "SCTP-CONNECT:127.0.0.1:$P,shut-none" \
    <"$tmp/in1" >"$tmp/back1" 2>"$tmp/case3-client.err" || rc=$?
[ "$rc" -eq 0 ] || { show "$tmp/case3-client.err"; fail "case3: client exited with status $rc"; }
ok "case3: client exit status 0"
finish_listener case3
same_file "case3 (echo round trip)" "$tmp/in1" "$tmp/back1" 1048576

echo "PASS: socat.sh"

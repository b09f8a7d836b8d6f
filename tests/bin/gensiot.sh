#!/bin/bash
# gensiot.sh: gensio's gensiot (gensio-bin), an SCTP accepter and an SCTP
# connector, both under the shim, move 2 MiB byte-exact.  gensio sets
# SCTP_INITMSG, SCTP_DELAYED_SACK and SCTP_EVENTS on its sockets; it
# resolves addresses with AI_ADDRCONFIG, which refuses a host with
# loopback addresses only, so the namespace gets a veth pair.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-23200}

NAME=gensiot
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

command -v gensiot >/dev/null || { echo "SKIP: gensiot not installed (gensio-bin)" >&2; exit 77; }
netns_up
in_ns ip link add v0 type veth peer name v1
in_ns ip addr add 10.231.0.1/24 dev v0
in_ns ip addr add 10.231.0.2/24 dev v1
in_ns ip link set v0 up
in_ns ip link set v1 up

head -c 2097152 /dev/urandom >"$tmp/in"
# gensiot polls its standard input and output with epoll, which a
# regular file refuses: both are pipes.  The accepter's input is a FIFO
# this script holds open until the end.
mkfifo "$tmp/acc.in"
exec 3<>"$tmp/acc.in"
in_ns bash -c "exec timeout -k 5 60 '$SCTPSHIM' gensiot -a 'sctp,10.231.0.1,$TEST_PORT' \
    <'$tmp/acc.in' 2>'$tmp/acc.err' | cat >'$tmp/out'" &
acc_pid=$!
bg_pids+=("$acc_pid")
# The shim's port name lives in the namespace's /proc/net/unix.
for ((i = 0; i < 100; i++)); do
    in_ns grep -q " @sctpshim/port/$TEST_PORT\$" /proc/net/unix && break
    is_running "$acc_pid" || { show "$tmp/acc.err"; fail "accepter died"; }
    sleep 0.1
done
ok "accepter listening on 10.231.0.1:$TEST_PORT"

rc=0
(cat "$tmp/in"; sleep 2) | in_ns timeout -k 5 60 "$SCTPSHIM" gensiot \
    "sctp,10.231.0.1,$TEST_PORT" 2>"$tmp/con.err" | cat >/dev/null || rc=$?
[ "$rc" -eq 0 ] || { show "$tmp/con.err"; fail "connector exited with status $rc"; }
ok "connector exit status 0"
for ((i = 0; i < 100; i++)); do
    [ "$(stat -c %s "$tmp/out")" -ge 2097152 ] && break
    sleep 0.1
done
exec 3>&-
wait_exit "$acc_pid" 15 || { show "$tmp/acc.err"; fail "accepter still running"; }
same_file "gensiot sctp, connector -> accepter" "$tmp/in" "$tmp/out" 2097152
echo "PASS: gensiot.sh"

#!/bin/bash
# rsplib.sh: RSerPool (rsplib) under the shim: a registrar (rspregistrar),
# a pool element (rspserver -echo) that registers with it, and a pool user
# (rspterminal) whose line comes back from the pool element.  The pool
# element and the registrar's hunt socket use sctp_peeloff; rsplib
# refuses loopback addresses, so the namespace gets a veth pair.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-23230}

NAME=rsplib
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

for p in rspregistrar rspserver rspterminal; do
    command -v "$p" >/dev/null ||
        { echo "SKIP: $p not installed (rsplib-registrar, rsplib-tools)" >&2; exit 77; }
done
netns_up
in_ns ip link add v0 type veth peer name v1
in_ns ip addr add 10.231.0.1/24 dev v0
in_ns ip addr add 10.231.0.2/24 dev v1
in_ns ip link set v0 up
in_ns ip link set v1 up

reg=10.231.0.1:$TEST_PORT
common=(-logcolor=off -loglevel=3)
ip netns exec "$ns" timeout -k 5 60 "$SCTPSHIM" rspregistrar -asap="$reg" \
    -enrp="10.231.0.1:$((TEST_PORT + 1))" "${common[@]}" >"$tmp/reg.log" 2>&1 &
reg_pid=$!
bg_pids+=("$reg_pid")
ip netns exec "$ns" timeout -k 5 60 "$SCTPSHIM" rspserver -echo -registrar="$reg" \
    -poolhandle=EchoPool "${common[@]}" >"$tmp/pe.log" 2>&1 &
pe_pid=$!
bg_pids+=("$pe_pid")

# The pool user sends a line a second until one comes back from a pool
# element (the registrar takes registrations after its start-up phase).
(for i in $(seq 1 25); do echo "hello-rsp-$i"; sleep 1; done) |
    ip netns exec "$ns" timeout -k 5 60 "$SCTPSHIM" rspterminal -registrar="$reg" \
        -poolhandle=EchoPool "${common[@]}" >"$tmp/pu.out" 2>"$tmp/pu.log" &
pu_pid=$!
bg_pids+=("$pu_pid")
echoed() { grep -q "from PE .*> hello-rsp-" "$tmp/pu.out"; }
for ((i = 0; i < 300; i++)); do
    echoed && break
    is_running "$pe_pid" || break
    is_running "$reg_pid" || { show "$tmp/reg.log"; fail "the registrar died"; }
    sleep 0.1
done
if ! echoed; then
    show "$tmp/reg.log"
    show "$tmp/pe.log"
    show "$tmp/pu.log"
    show "$tmp/pu.out"
    fail "no echo from the pool element"
fi
ok "pool element registered; the pool user's line came back: $(grep -o 'hello-rsp-[0-9]*' "$tmp/pu.out" | head -n1)"
echo "PASS: rsplib.sh"

#!/bin/bash
# freediameter.sh: two freeDiameterd peers (freediameter) over SCTP, both
# under the shim, TLS off: each reaches the OPEN state with the other and
# receives answers to its watchdog requests (DWR/DWA, every Tw = 6 s).
# freeDiameter sets SCTP_EVENTS, SCTP_PEER_ADDR_PARAMS,
# SCTP_FRAGMENT_INTERLEAVE, SCTP_AUTO_ASCONF and more on its sockets;
# each peer listens on its own address of a veth pair.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-23210}

NAME=freediameter
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

command -v freeDiameterd >/dev/null ||
    { echo "SKIP: freeDiameterd not installed (freediameter)" >&2; exit 77; }
command -v openssl >/dev/null || { echo "SKIP: openssl not installed" >&2; exit 77; }
netns_up
in_ns ip link add v0 type veth peer name v1
in_ns ip addr add 10.231.0.1/24 dev v0
in_ns ip addr add 10.231.0.2/24 dev v1
in_ns ip link set v0 up
in_ns ip link set v1 up

# freeDiameter wants a certificate even with TLS off.
for i in 1 2; do
    o=$((3 - i))
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key$i.pem" \
        -out "$tmp/cert$i.pem" -days 2 -subj "/CN=peer$i.localdomain" 2>/dev/null
    cat >"$tmp/peer$i.conf" <<CONF
Identity = "peer$i.localdomain";
Realm = "localdomain";
Port = $((TEST_PORT + i));
SecPort = $((TEST_PORT + 10 + i));
No_TCP;
No_IPv6;
ListenOn = "10.231.0.$i";
TwTimer = 6;
TLS_Cred = "$tmp/cert$i.pem", "$tmp/key$i.pem";
TLS_CA = "$tmp/cert$i.pem";
LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x0080";
ConnectPeer = "peer$o.localdomain" { ConnectTo = "10.231.0.$o"; No_TLS; Port = $((TEST_PORT + o)); No_TCP; };
CONF
done
pids=()
for i in 1 2; do
    ip netns exec "$ns" timeout -k 5 60 "$SCTPSHIM" freeDiameterd -c "$tmp/peer$i.conf" \
        >"$tmp/peer$i.log" 2>&1 &
    pids+=($!)
    bg_pids+=($!)
done

# peer I's log shows a watchdog answer received from its peer.
got_dwa() {
    grep -A1 "RCV from 'peer$2.localdomain'" "$tmp/peer$1.log" |
        grep -q "'Device-Watchdog-Answer'"
}
for i in 1 2; do
    o=$((3 - i))
    wait_until 30 "${pids[$((i - 1))]}" "$tmp/peer$i.log" "peer$i to reach OPEN" \
        grep -q -e "-> 'STATE_OPEN'.*'peer$o.localdomain'" "$tmp/peer$i.log"
    ok "peer$i: OPEN with peer$o"
done
for i in 1 2; do
    o=$((3 - i))
    wait_until 30 "${pids[$((i - 1))]}" "$tmp/peer$i.log" "a DWA at peer$i" got_dwa "$i" "$o"
    ok "peer$i: sent a Device-Watchdog-Request, received its answer"
done
# Errors, but for the dump of a CEA discarded after a lost election: both
# peers connect at once, and RFC 6733's election (section 5.6.4) closes
# one connection, which freeDiameter logs as an error whatever carries
# its SCTP.
errors() {
    python3 - "$@" <<'PY'
import re, sys
for path in sys.argv[1:]:
    block = []
    def flush():
        if block and not any("ELECTION_LOST" in l for l in block):
            sys.stdout.write("".join(block))
    for line in open(path, errors="replace"):
        m = re.search(r"\b(FATAL|ERROR)( +)(.*)", line)
        if not m:
            continue
        if m.group(1) == "ERROR" and len(m.group(2)) > 2 and block:
            block.append(f"{path}: {line}")  # a line of the dump above
            continue
        flush()
        block = [f"{path}: {line}"]
    flush()
PY
}
! errors "$tmp/peer1.log" "$tmp/peer2.log" | grep . || fail "freeDiameter reported errors"
# SIGTERM: each peer says goodbye (DPR) and exits.
kill -TERM "${pids[@]}"
for i in 1 2; do
    wait_exit "${pids[$((i - 1))]}" 25 || { show "$tmp/peer$i.log"; fail "peer$i did not stop"; }
done
ok "both peers stopped"
echo "PASS: freediameter.sh"

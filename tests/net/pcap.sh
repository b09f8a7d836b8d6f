#!/bin/bash
# pcap.sh PROGRAM: SCTPSHIM_PCAP writes every SCTP packet a process sends
# and receives to a pcap file that tshark reads with no option, as SCTP
# over IPv4 and IPv6 between the real addresses.  Two network namespaces
# joined by a veth pair: PROGRAM (tests/net/pcap_peer.c) echoes a known
# exchange; the client runs as an unprivileged user (no root, no
# tcpdump).  tshark on the veth records the same packets as SCTP over
# UDP; tests/net/pcap_check.py compares them chunk by chunk and checks
# the chunk types, stream ids, PPIDs and TSNs.  A program that forks
# writes one file per process, the child's with its pid in the name.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-25540}
prog=$1
check=$(dirname -- "${BASH_SOURCE[0]}")/pcap_check.py

NAME=pcap
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

netns_pair 10.25.40.1 10.25.40.2 fd25:40::1 fd25:40::2 # the client in $ns
srvns=$ns_b

# The client runs as nobody, from copies it can read.
chmod 755 "$tmp"
mkdir -m 777 "$tmp/out"
lib=$(dirname -- "$SCTPSHIM")/../shim/libsctpshim.so
install -m 755 "$SCTPSHIM" "$tmp/sctpshim"
install -m 755 "$lib" "$tmp/libsctpshim.so"
install -m 755 "$prog" "$tmp/pcap_peer"
as_nobody() { # CMD...: in the client's namespace, as nobody
    ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
        env SCTPSHIM_LIB="$tmp/libsctpshim.so" HOME=/ "$@"
}

serve() { # ADDR N: the echo server for N associations, writing srv.pcap
    : >"$tmp/srv.log" # before the job starts: no earlier run's "listening"
    ip netns exec "$srvns" env SCTPSHIM_PCAP="$tmp/srv-$1.pcap" timeout -k 5 60 \
        "$SCTPSHIM" "$prog" server "$1" "$TEST_PORT" "$2" >"$tmp/srv.log" 2>&1 &
    srv=$!
    bg_pids+=("$srv")
    wait_until 10 "$srv" "$tmp/srv.log" "the server" grep -q listening "$tmp/srv.log"
}

for fam in 4 6; do
    if [ $fam = 4 ]; then cli=10.25.40.1 srvaddr=10.25.40.2; else cli=fd25:40::1 srvaddr=fd25:40::2; fi
    echo "check: IPv$fam, the client as nobody"
    serve "$srvaddr" 1
    capture_start "$tmp/wire$fam.pcap" "$veth_a" 1
    as_nobody SCTPSHIM_PCAP="$tmp/out/cli$fam.pcap" timeout -k 5 30 "$tmp/sctpshim" \
        "$tmp/pcap_peer" client "$srvaddr" "$TEST_PORT" >"$tmp/cli.log" 2>&1 ||
        { show "$tmp/cli.log"; fail "the client (as nobody)"; }
    wait_exit "$srv" 20 || fail "the server did not finish"
    [ "$exit_rc" -eq 0 ] || { show "$tmp/srv.log"; fail "the server exited with $exit_rc"; }
    capture_stop
    [ "$(stat -c %U "$tmp/out/cli$fam.pcap")" = nobody ] || fail "the file is not nobody's"
    ok "written by nobody: $(tshark -r "$tmp/out/cli$fam.pcap" 2>/dev/null | wc -l) packets in cli$fam.pcap"
    python3 "$check" exchange "$tmp/out/cli$fam.pcap" "$cli" "$srvaddr" "$tmp/wire$fam.pcap"
    # The receiving side's file has the same real addresses (the local
    # one from IP_PKTINFO).
    python3 "$check" exchange "$tmp/srv-$srvaddr.pcap" "$cli" "$srvaddr" "$tmp/wire$fam.pcap"
    ok "the server's file: the same packets, the same addresses"
done

echo "check: a program that forks writes one file per process"
serve 10.25.40.2 2
as_nobody SCTPSHIM_PCAP="$tmp/out/fork.pcap" timeout -k 5 30 "$tmp/sctpshim" \
    "$tmp/pcap_peer" forker 10.25.40.2 "$TEST_PORT" >"$tmp/fork.log" 2>&1 ||
    { show "$tmp/fork.log"; fail "forker"; }
child=$(sed -n 's/^child //p' "$tmp/fork.log")
[ -n "$child" ] || { show "$tmp/fork.log"; fail "no child pid"; }
ls "$tmp/out" >"$tmp/files"
grep -qx fork.pcap "$tmp/files" && grep -qx "fork.$child.pcap" "$tmp/files" ||
    { show "$tmp/files"; fail "expected fork.pcap and fork.$child.pcap"; }
python3 "$check" payloads "$tmp/out/fork.pcap" FROM-PARENT FROM-PARENT
python3 "$check" payloads "$tmp/out/fork.$child.pcap" FROM-CHILD FROM-CHILD
ok "fork.pcap is the parent's, fork.$child.pcap the child's"
wait_exit "$srv" 20 || fail "the server did not finish"
echo "PASS: pcap.sh"

#!/bin/bash
# tcp_mode.sh: `sctpshim --tcp` runs TCP-only programs over SCTP.
# `python3 -m http.server` and curl, both under --tcp, fetch a file over
# an SCTP association: the file arrives whole, and tshark on the
# namespace's loopback shows the request and the response in SCTP DATA
# chunks (UDP port 9899) and not one TCP packet.  (Under AddressSanitizer
# curl hangs by itself, so python3's urllib fetches instead.)  Then ssh,
# under --tcp, logs in through an SCTP-to-TCP socat relay to an ordinary
# sshd: sshd itself cannot run under --tcp (see README).
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-25620}
P=$TEST_PORT

NAME=tcp_mode
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

netns_up
mkdir "$tmp/www"
head -c 200000 /dev/urandom >"$tmp/www/blob"
capture_start "$tmp/wire.pcap"
(cd "$tmp/www" && exec ip netns exec "$ns" timeout -k 5 60 "$SCTPSHIM" --tcp \
    python3 -m http.server "$P" --bind 127.0.0.1) >"$tmp/server.log" 2>&1 &
srv=$!
bg_pids+=("$srv")
wait_until 20 "$srv" "$tmp/server.log" "http.server to listen" \
    in_ns grep -q " @sctpshim/port/$P\$" /proc/net/unix
if [ -n "${SCTPSHIM_PRELOAD_FIRST:-}" ]; then
    client=python3
    in_ns timeout -k 5 30 "$SCTPSHIM" --tcp python3 -c \
        'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())' \
        "http://127.0.0.1:$P/blob" >"$tmp/got" 2>"$tmp/client.log" || { show "$tmp/client.log"; fail "urllib"; }
else
    client=curl
    in_ns timeout -k 5 30 "$SCTPSHIM" --tcp curl -sS -o "$tmp/got" "http://127.0.0.1:$P/blob" \
        >"$tmp/client.log" 2>&1 || { show "$tmp/client.log"; fail "curl"; }
fi
same_file "$client (--tcp) fetched from python3 -m http.server (--tcp)" "$tmp/www/blob" "$tmp/got" 200000
capture_stop
chunks "$tmp/wire.pcap" "$tmp/chunks.txt"
expect_chunk "$tmp/chunks.txt" "the HTTP request in an SCTP DATA chunk, to port $P" \
    "dport=$P .*chunk=DATA .*payload=hex:474554202f626c6f6220485454502f312e31"
expect_chunk "$tmp/chunks.txt" "the HTTP response in an SCTP DATA chunk, from port $P" \
    "sport=$P .*chunk=DATA .*payload=hex:485454502f312e3020323030204f4b"
# Either side may close first (HTTP/1.0: the server, after the body).
expect_chunk "$tmp/chunks.txt" "a graceful end" "chunk=SHUTDOWN_COMPLETE"
! grep -q "chunk=ABORT" "$tmp/chunks.txt" || { show "$tmp/chunks.txt"; fail "an ABORT on the wire"; }
ntcp=$(tshark -r "$tmp/wire.pcap" -Y tcp 2>/dev/null | wc -l)
[ "$ntcp" -eq 0 ] || { tshark -r "$tmp/wire.pcap" -Y tcp 2>/dev/null | head >&2; fail "$ntcp TCP packets on the wire"; }
ok "on the wire: $(grep -c . "$tmp/chunks.txt") SCTP chunks, no TCP packet"
kill "$srv" 2>/dev/null || true

echo "check: ssh under --tcp, through an SCTP-to-TCP relay"
if [ "$(id -u)" -ne 0 ] || [ ! -x /usr/sbin/sshd ]; then
    echo "SKIP (this part): needs root and openssh-server"
    echo "PASS: tcp_mode.sh"
    exit 0
fi
mkdir -m 700 "$tmp/ssh"
mkdir -p /run/sshd # sshd's privilege separation directory
ssh-keygen -q -t ed25519 -N '' -f "$tmp/ssh/host" && ssh-keygen -q -t ed25519 -N '' -f "$tmp/ssh/user"
cp "$tmp/ssh/user.pub" "$tmp/ssh/authorized_keys"
in_ns timeout -k 5 60 /usr/sbin/sshd -D -e -p $((P + 1)) -f /dev/null -o ListenAddress=127.0.0.1 \
    -o HostKey="$tmp/ssh/host" -o AuthorizedKeysFile="$tmp/ssh/authorized_keys" -o StrictModes=no \
    -o UsePAM=no -o PidFile=none -o PermitRootLogin=yes >"$tmp/sshd.log" 2>&1 &
bg_pids+=("$!")
in_ns timeout -k 5 60 "$SCTPSHIM" socat SCTP-LISTEN:$((P + 2)),reuseaddr TCP:127.0.0.1:$((P + 1)) \
    >"$tmp/relay.log" 2>&1 &
relay=$!
bg_pids+=("$relay")
wait_until 20 "$relay" "$tmp/relay.log" "the relay to listen" \
    in_ns grep -q " @sctpshim/port/$((P + 2))\$" /proc/net/unix
out=$(in_ns timeout -k 5 30 "$SCTPSHIM" --tcp ssh -i "$tmp/ssh/user" -p $((P + 2)) \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR \
    root@127.0.0.1 echo logged-in-over-sctp 2>"$tmp/ssh.log") || { show "$tmp/ssh.log"; show "$tmp/sshd.log"; fail "ssh"; }
[ "$out" = logged-in-over-sctp ] || { show "$tmp/ssh.log"; fail "ssh said '$out'"; }
ok "ssh (--tcp) ran a command on sshd through the relay: '$out'"
echo "PASS: tcp_mode.sh"

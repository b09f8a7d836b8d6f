#!/bin/bash
# source.sh NET_XFER: over UDP encapsulation, the packets of an endpoint
# bound to an address of its own leave from that address, which need not
# be the one the kernel's routing would pick (a secondary address of the
# interface).  Host B listens bound to its secondary address only, host A
# connects to it from an endpoint bound to its own secondary address; a
# 1 MiB transfer must arrive (sha256), and every packet on the wire must
# carry the bound address as its source.  IPv4 and IPv6.
set -euo pipefail

TEST_PORT=${TEST_PORT:-25200}
xfer=$1

NAME=source
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/hosts.sh"

hosts_up 1
# Secondary addresses, which the kernel would not choose as sources.
ip -n "$nsa" addr add 10.0.1.44/24 dev a1
ip -n "$nsb" addr add 10.0.1.33/24 dev b1
ip -n "$nsa" addr add fd00:0:0:1::44/64 dev a1 nodad
ip -n "$nsb" addr add fd00:0:0:1::33/64 dev b1 nodad
head -c 1048576 /dev/urandom >"$tmp/in"

# case V A_ADDR B_ADDR A_OTHER B_OTHER PORT
case_() {
    local v=$1 aa=$2 ba=$3 ao=$4 bo=$5 port=$6 src from_a from_b bad
    cap_start "$nsa" a1 "$tmp/$port.pcap"
    shim_bg "$nsb" "$tmp/l.log" "$xfer" listen "-$v" -p "$port" -b "$ba" -o "$tmp/out"
    local l=$bg
    wait_log 10 "$l" "$tmp/l.log" LISTENING
    in_a timeout -k 5 30 "$SCTPSHIM" "$xfer" connect "-$v" -b "$aa" -c "$ba" -p "$port" \
        -i "$tmp/in" >"$tmp/c.log" 2>&1 || { show "$tmp/c.log"; show "$tmp/l.log"; fail "IPv$v: the transfer failed"; }
    finish "$l" "$tmp/l.log" "IPv$v listener"
    cap_stop "$cap_pid"
    same_file "IPv$v, between bound secondary addresses" "$tmp/in" "$tmp/out" 1048576
    if [ "$v" = 4 ]; then src=ip.src; else src=ipv6.src; fi
    from_a=$(count "$tmp/$port.pcap" "udp && $src==$aa")
    from_b=$(count "$tmp/$port.pcap" "udp && $src==$ba")
    bad=$(count "$tmp/$port.pcap" "udp && ($src==$ao || $src==$bo)")
    [ "$bad" -eq 0 ] || fail "IPv$v: $bad packets left from the primary address ($ao or $bo)"
    [ "$from_a" -gt 100 ] && [ "$from_b" -gt 100 ] ||
        fail "IPv$v: too few packets from the bound addresses ($from_a from $aa, $from_b from $ba)"
    ok "IPv$v: all packets from the bound addresses ($from_a from $aa, $from_b from $ba)"
}

case_ 4 10.0.1.44 10.0.1.33 10.0.1.1 10.0.1.2 $((TEST_PORT + 1))
case_ 6 fd00:0:0:1::44 fd00:0:0:1::33 fd00:0:0:1::1 fd00:0:0:1::2 $((TEST_PORT + 2))

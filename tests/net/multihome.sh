#!/bin/bash
# multihome.sh NET_XFER NET_PATHS: multi-homing for real, between two
# hosts (network namespaces) joined by two veth pairs, IPv4 then IPv6,
# with tshark on each of host A's two links:
#   1. an association spans both paths: sctp_getladdrs/sctp_getpaddrs list
#      both addresses on each side, and the INIT and INIT ACK carry both;
#   2. SCTP_PRIMARY_ADDR, SCTP_ADDR_OVER and SCTP_SET_PEER_PRIMARY_ADDR
#      choose the link each message (or its echo) takes;
#   3. sctp_bindx ADD and REM on a live association: with ASCONF on, the
#      peer learns the address (ASCONF ADD IP / DELETE IP on the wire);
#      off, both succeed as on Linux and the peer's view stays, and the
#      last address cannot be removed (EBUSY).
set -euo pipefail

TEST_PORT=${TEST_PORT:-25250}
xfer=$1
paths=$2

NAME=multihome
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/hosts.sh"

hosts_up 2
udp=9899

caps_start() { # TAG: tshark on a1 and a2
    cap_start "$nsa" a1 "$tmp/$1-a1.pcap"; c1=$cap_pid
    cap_start "$nsa" a2 "$tmp/$1-a2.pcap"; c2=$cap_pid
}
caps_stop() { cap_stop "$c1"; cap_stop "$c2"; }
# sctp_count TAG FILTER: SCTP packets matching FILTER on both links.
sctp_count() {
    local n=0 f
    for f in "$tmp/$1-a1.pcap" "$tmp/$1-a2.pcap"; do
        n=$((n + $(tshark -r "$f" -d udp.port==$udp,sctp -Y "$2" 2>/dev/null | wc -l)))
    done
    echo $n
}
# chunk lines of a capture (tests/lib/sctp_chunks.py)
lines() { python3 "$(dirname -- "${BASH_SOURCE[0]}")/../lib/sctp_chunks.py" "$1" $udp; }
# on LINK PCAP-TAG DESC REGEX: some chunk of link LINK's capture matches,
# none of the other link's does.
only_on() {
    local link=$1 tag=$2 desc=$3 re=$4 other
    if [ "$link" = a1 ]; then other=a2; else other=a1; fi
    lines "$tmp/$tag-$link.pcap" >"$tmp/$tag-$link.txt"
    lines "$tmp/$tag-$other.pcap" >"$tmp/$tag-$other.txt"
    grep -Eq -- "$re" "$tmp/$tag-$link.txt" || { show "$tmp/$tag-$link.txt"; fail "$desc: not on $link"; }
    ! grep -Eq -- "$re" "$tmp/$tag-$other.txt" || { show "$tmp/$tag-$other.txt"; fail "$desc: also on $other"; }
    ok "$desc: on $link only"
}

for v in 4 6; do
    if [ $v = 4 ]; then
        a1=10.0.1.1 a2=10.0.2.1 b1=10.0.1.2 b2=10.0.2.2 src=ip.src
    else
        a1=fd00:0:0:1::1 a2=fd00:0:0:2::1 b1=fd00:0:0:1::2 b2=fd00:0:0:2::2 src=ipv6.src
    fi
    base=$((TEST_PORT + 10 * v))

    # 1. Both paths in one association.
    caps_start span$v
    shim_bg "$nsb" "$tmp/l.log" "$xfer" listen "-$v" -p $((base + 1)) -a
    l=$bg
    wait_log 10 "$l" "$tmp/l.log" LISTENING
    in_a timeout -k 5 20 "$SCTPSHIM" "$xfer" connect "-$v" -c $b1 -p $((base + 1)) -a -s 1000 -x \
        >"$tmp/c.log" 2>&1 || { show "$tmp/c.log"; fail "IPv$v: connect failed"; }
    finish "$l" "$tmp/l.log" "IPv$v listener"
    caps_stop
    for side in c l; do
        line=$(grep ADDRS "$tmp/$side.log") || { show "$tmp/$side.log"; fail "IPv$v: no ADDRS line"; }
        for x in $a1 $a2 $b1 $b2; do
            grep -q -- "[=,]$x\(,\| \|\$\)" <<<"$line" || fail "IPv$v: $x missing from '$line'"
        done
    done
    ok "IPv$v: sctp_getladdrs/sctp_getpaddrs list both paths' addresses on each side"
    if [ $v = 4 ]; then p=sctp.parameter_ipv4_address; else p=sctp.parameter_ipv6_address; fi
    for chunk in "1 $a1 $a2" "2 $b1 $b2"; do
        # shellcheck disable=SC2086
        set -- $chunk
        got=$(tshark -r "$tmp/span$v-a1.pcap" -d udp.port==$udp,sctp \
            -Y "sctp.chunk_type==$1" -T fields -e $p 2>/dev/null | head -n1)
        grep -q -- "$2" <<<"$got" && grep -q -- "$3" <<<"$got" ||
            fail "IPv$v: chunk type $1 lists '$got', not both $2 and $3"
    done
    ok "IPv$v: the INIT lists $a1 and $a2, the INIT ACK $b1 and $b2"

    # 2. Which link each message takes.
    caps_start prim$v
    shim_bg "$nsb" "$tmp/s.log" "$paths" server $((base + 2)) "-$v"
    s=$bg
    wait_log 10 "$s" "$tmp/s.log" LISTENING
    in_a timeout -k 5 30 "$SCTPSHIM" "$paths" client $b1 $b2 $a2 $((base + 2)) \
        >"$tmp/p.log" 2>&1 || { show "$tmp/p.log"; fail "IPv$v: net_paths client failed"; }
    finish "$s" "$tmp/s.log" "IPv$v net_paths server"
    caps_stop
    only_on a2 prim$v "IPv$v SCTP_PRIMARY_ADDR $b2: P2-* DATA" "dport=$((base + 2)) .*chunk=DATA .*payload=P2-"
    only_on a1 prim$v "IPv$v SCTP_PRIMARY_ADDR $b1: P1-* DATA" "dport=$((base + 2)) .*chunk=DATA .*payload=P1-"
    only_on a2 prim$v "IPv$v SCTP_ADDR_OVER $b2: OV2-* DATA" "dport=$((base + 2)) .*chunk=DATA .*payload=OV2-"
    only_on a2 prim$v "IPv$v SCTP_SET_PEER_PRIMARY_ADDR $a2: the peer's PP-* echoes" "sport=$((base + 2)) .*chunk=DATA .*payload=PP-"
    n=$(sctp_count prim$v "sctp.parameter_type==0xc004")
    [ "$n" -ge 1 ] || fail "IPv$v: no ASCONF with a Set Primary Address parameter on the wire"
    ok "IPv$v: SCTP_SET_PEER_PRIMARY_ADDR went out as ASCONF Set Primary Address"

    # 3. sctp_bindx on a live association, ASCONF on and off.
    for mode in on off; do
        port=$((base + 3))
        [ $mode = off ] && port=$((base + 4))
        caps_start bindx$mode$v
        shim_bg "$nsb" "$tmp/s.log" "$paths" server $port "-$v"
        s=$bg
        wait_log 10 "$s" "$tmp/s.log" LISTENING
        in_a env SCTPSHIM_DEBUG=1 timeout -k 5 30 "$SCTPSHIM" "$paths" bindx $a1 $a2 $b1 $port $mode \
            >"$tmp/x.log" 2>&1 || { show "$tmp/x.log"; fail "IPv$v: bindx with ASCONF $mode failed"; }
        finish "$s" "$tmp/s.log" "IPv$v net_paths server"
        caps_stop
        cat "$tmp/x.log"
        add=$(sctp_count bindx$mode$v "sctp.parameter_type==0xc001")
        del=$(sctp_count bindx$mode$v "sctp.parameter_type==0xc002")
        if [ $mode = on ]; then
            [ "$add" -ge 1 ] && [ "$del" -ge 1 ] || fail "IPv$v: ASCONF on: $add ADD IP, $del DELETE IP parameters on the wire"
            ok "IPv$v: ASCONF on: bindx ADD/REM reached the peer (ASCONF ADD IP, DELETE IP)"
        else
            [ "$add" -eq 0 ] && [ "$del" -eq 0 ] || fail "IPv$v: ASCONF off, yet $add ADD IP, $del DELETE IP on the wire"
            ok "IPv$v: ASCONF off: bindx ADD/REM succeed, the peer's view unchanged, last address EBUSY"
        fi
    done
done

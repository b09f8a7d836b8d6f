#!/bin/bash
# kamailio.sh: Debian's kamailio, a pre-fork SIP server, listening on SCTP
# only: its main process makes and binds one one-to-many socket, and its
# SCTP workers (forked children) all read it (issue 13).  sipp, also under
# the shim, sends 100 OPTIONS over SCTP (-t s1); every one must be
# answered 200.  Before the shim served inherited sockets, each worker's
# recvmsg failed with EBADFD and nothing was answered.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-26600}

NAME=kamailio
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

command -v kamailio >/dev/null || { echo "SKIP: kamailio not installed" >&2; exit 77; }
command -v sipp >/dev/null || { echo "SKIP: sipp (sip-tester) not installed" >&2; exit 77; }
mods=$(dirname "$(dpkg -L kamailio-sctp-modules 2>/dev/null | grep '/sctp\.so$' | head -1)")
[ -f "$mods/sctp.so" ] || { echo "SKIP: kamailio-sctp-modules not installed" >&2; exit 77; }
netns_up
netns_reap
cd "$tmp"
mkdir rt

cat >kamailio.cfg <<CFG
#!KAMAILIO
debug=2
log_stderror=yes
children=2
sctp_children=4
disable_tcp=yes
enable_sctp=yes
auto_aliases=no
listen=sctp:127.0.0.1:$TEST_PORT
mpath="$mods/"
loadmodule "sctp.so"
loadmodule "sl.so"
request_route {
    if (method == "OPTIONS") {
        sl_send_reply("200", "OK");
        exit;
    }
    sl_send_reply("404", "Not here");
}
CFG

cat >options.xml <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="options">
  <send>
    <![CDATA[
      OPTIONS sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
      To: <sip:[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 OPTIONS
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
</scenario>
XML

# -DD: no daemon, but the workers are forked as usual; -E: log to stderr.
in_ns timeout -k 5 120 "$SCTPSHIM" kamailio -f kamailio.cfg -DD -E -Y "$tmp/rt" \
    </dev/null >kamailio.log 2>&1 &
kam=$!
bg_pids+=("$kam")
wait_until 20 "$kam" kamailio.log "kamailio on SCTP port $TEST_PORT" ns_port_bound "$TEST_PORT"
ok "kamailio listening on SCTP port $TEST_PORT"

rc=0
in_ns timeout -k 5 60 "$SCTPSHIM" sipp -sf options.xml -t s1 -m 100 -r 50 \
    -i 127.0.0.1 -p $((TEST_PORT + 1)) "127.0.0.1:$TEST_PORT" -nostdin \
    -trace_screen </dev/null >sipp.log 2>&1 || rc=$?
screen=$(ls options_*_screen.log 2>/dev/null | head -1)
calls() { # WHAT: the cumulative count sipp's final screen shows
    awk -v w="$1" -F'|' 'index($1, w) { gsub(/ /, "", $3); v = $3 } END { print v }' "$screen"
}
[ -n "$screen" ] || { show sipp.log; show kamailio.log; fail "sipp left no screen log (status $rc)"; }
good=$(calls "Successful call")
bad=$(calls "Failed call")
if [ "$rc" -ne 0 ] || [ "$good" != 100 ] || [ "$bad" != 0 ]; then
    show "$screen"
    show kamailio.log
    fail "sipp: status $rc, $good answered, $bad failed (of 100)"
fi
ok "100 OPTIONS over SCTP, 100 answered 200, none failed"
if grep -q "ERROR" kamailio.log; then
    show kamailio.log
    fail "kamailio logged an error"
fi
ok "kamailio logged no error"

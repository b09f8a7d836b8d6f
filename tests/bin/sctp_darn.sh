#!/bin/bash
# sctp_darn.sh: lksctp-tools' sctp_darn, listener and sender both under the
# shim.  Two lines sent from stdin must arrive as two messages with the right
# SNDRCV ancillary data, between COMM_UP and a graceful SHUTDOWN_COMP.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-7110}
LPORT=$TEST_PORT            # listener
SPORT=$((TEST_PORT + 1))    # sender

NAME=sctp_darn
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"


lst_log=$tmp/listener.log
snd_log=$tmp/sender.log

echo "starting sctp_darn listener on 127.0.0.1:$LPORT"
timeout -k 5 50 stdbuf -oL "$SCTPSHIM" sctp_darn -H 127.0.0.1 -P "$LPORT" -l \
    >"$lst_log" 2>&1 &
lst_pid=$!
bg_pids+=("$lst_pid")
wait_until 10 "$lst_pid" "$lst_log" "SCTP port $LPORT to be bound" port_bound "$LPORT"
wait_until 10 "$lst_pid" "$lst_log" "listener to be ready" grep -qxF 'sctp_darn listening...' "$lst_log"
ok "listener ready"

echo "sending two lines from 127.0.0.1:$SPORT"
# sctp_darn's exit status at EOF on stdin is not meaningful: not checked.
printf 'hello-darn-1\nsecond line\n' | timeout -k 5 20 "$SCTPSHIM" sctp_darn \
    -H 127.0.0.1 -P "$SPORT" -h 127.0.0.1 -p "$LPORT" -s >"$snd_log" 2>&1 || true
grep -qxF 'sctp_darn ready to send...' "$snd_log" \
    || { show "$snd_log"; fail "sender did not start"; }
grep -qF "127.0.0.1:$SPORT-127.0.0.1:$LPORT> Received SCTP_COMM_UP" "$snd_log" \
    || { show "$snd_log"; fail "sender did not see SCTP_COMM_UP"; }
ok "sender: association came up"

wait_until 10 "$lst_pid" "$lst_log" "SHUTDOWN_COMP on the listener" \
    grep -qxF 'NOTIFICATION: ASSOC_CHANGE - SHUTDOWN_COMP' "$lst_log"

# The whole listener log up to the SHUTDOWN_COMP notification, with only the
# TSNs and the association id replaced by N, must be exactly this.
cat >"$tmp/expected" <<'EXP'
sctp_darn listening...
Received SCTP_COMM_UP
NOTIFICATION: ASSOC_CHANGE - COMM_UP
SNDRCV
   sinfo_stream 0
   sinfo_ssn 0
   sinfo_flags 0x0
   sinfo_ppid 0
   sinfo_context 0
   sinfo_tsn     N
   sinfo_cumtsn  N
   sinfo_assoc_id  N
DATA(14):  hello-darn-1.
SNDRCV
   sinfo_stream 0
   sinfo_ssn 1
   sinfo_flags 0x0
   sinfo_ppid 0
   sinfo_context 0
   sinfo_tsn     N
   sinfo_cumtsn  N
   sinfo_assoc_id  N
DATA(13):  second line.
Received SCTP_SHUTDOWN_COMP
NOTIFICATION: ASSOC_CHANGE - SHUTDOWN_COMP
EXP
n=$(wc -l <"$tmp/expected")
head -n "$n" "$lst_log" \
    | sed -E 's/^(   sinfo_(tsn|cumtsn|assoc_id) +)[0-9]+$/\1N/' >"$tmp/got"
if ! cmp -s "$tmp/expected" "$tmp/got"; then
    diff -u "$tmp/expected" "$tmp/got" >&2 || true
    fail "listener log differs from the expected sequence"
fi
ok "listener log: COMM_UP, 'DATA(14):  hello-darn-1.' (ssn 0), 'DATA(13):  second line.' (ssn 1), SHUTDOWN_COMP"

if grep -q 'COMM_LOST\|COMMUNICATION_LOST\|ABORT' "$lst_log"; then
    show "$lst_log"; fail "listener saw the association lost/aborted"
fi
ok "listener: no COMM_LOST/abort"

# Field relations: TSNs consecutive, cumulative TSN not behind the TSN, both
# messages on the same association.
mapfile -t tsn < <(sed -nE 's/^   sinfo_tsn +([0-9]+)$/\1/p' "$lst_log")
mapfile -t cum < <(sed -nE 's/^   sinfo_cumtsn +([0-9]+)$/\1/p' "$lst_log")
mapfile -t aid < <(sed -nE 's/^   sinfo_assoc_id +([0-9]+)$/\1/p' "$lst_log")
[ "${#tsn[@]}" -eq 2 ] && [ "${#cum[@]}" -eq 2 ] && [ "${#aid[@]}" -eq 2 ] \
    || fail "expected exactly 2 SNDRCV blocks"
M=4294967296
[ $(( (tsn[1] - tsn[0] + M) % M )) -eq 1 ] || fail "TSNs not consecutive: ${tsn[*]}"
for i in 0 1; do
    [ $(( (cum[i] - tsn[i] + M) % M )) -lt 2 ] || fail "cumtsn ${cum[i]} vs tsn ${tsn[i]}"
done
[ "${aid[0]}" = "${aid[1]}" ] || fail "assoc ids differ: ${aid[*]}"
ok "SNDRCV: consecutive TSNs (${tsn[*]}), cumtsn in range, same assoc id ${aid[0]}"

echo "PASS: sctp_darn.sh"

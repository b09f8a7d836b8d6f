#!/bin/bash
# netns_run.sh PROGRAM: runs a self-checking C program (tests/net/wire_*.c)
# under the shim in a private network namespace, where it may change the
# packet filter (iptables) without touching anyone else's traffic.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-22100}
prog=$1

NAME=$(basename -- "$prog")
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/netns.sh"

netns_up
rc=0
in_ns env TEST_PORT="$TEST_PORT" timeout -k 5 50 "$SCTPSHIM" "$prog" || rc=$?
[ "$rc" -eq 77 ] && exit 77 # the program reported a known gap
[ "$rc" -eq 0 ] || fail "$prog failed (status $rc)"

#!/bin/bash
# launcher.sh: the sctpshim launcher's own interface: --version, --help, a
# missing program, and that it preloads the library for the program it runs.
set -euo pipefail

SCTPSHIM=${SCTPSHIM:-/work/main/build/scripts/sctpshim}
TEST_PORT=${TEST_PORT:-7900}   # unused

NAME=launcher
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"

out=$("$SCTPSHIM" --version)
[ "$out" = "sctpshim 0.1.0" ] || fail "--version printed '$out'"
ok "--version: $out"

"$SCTPSHIM" --help > "$tmp/help"
grep -q '^Usage: sctpshim \[--tcp\] PROGRAM \[ARGS...\]' "$tmp/help" || { show "$tmp/help"; fail "--help"; }
grep -q 'SCTPSHIM_DEBUG' "$tmp/help" || { show "$tmp/help"; fail "--help lacks the environment"; }
ok "--help"

rc=0
"$SCTPSHIM" > "$tmp/none" 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "no program: exit $rc, expected 2"
grep -q '^Usage:' "$tmp/none" || { show "$tmp/none"; fail "no program: no usage"; }
ok "no program: usage, exit 2"

# The program runs with the library preloaded, arguments intact.
maps=$("$SCTPSHIM" sh -c 'cat /proc/$$/maps; echo "args:$1,$2"' sh "a b" c)
grep -q 'libsctpshim.so' <<<"$maps" || fail "library not preloaded"
grep -q '^args:a b,c$' <<<"$maps" || fail "arguments not passed intact"
ok "runs the program with libsctpshim.so preloaded, arguments intact"

# --tcp sets SCTPSHIM_TCP for the library and is not passed on.
out=$(env -u SCTPSHIM_TCP "$SCTPSHIM" --tcp sh -c 'echo "tcp=$SCTPSHIM_TCP args=$*"' sh --tcp x)
[ "$out" = "tcp=1 args=--tcp x" ] || fail "--tcp: '$out'"
out=$(env -u SCTPSHIM_TCP "$SCTPSHIM" sh -c 'echo "tcp=${SCTPSHIM_TCP:-}"')
[ "$out" = "tcp=" ] || fail "without --tcp: '$out'"
ok "--tcp sets SCTPSHIM_TCP=1 for the program, and only the first argument counts"

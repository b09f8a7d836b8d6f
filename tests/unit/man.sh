#!/bin/bash
# man.sh BUILD_MAN1 SOURCE_MAN7 SOURCE_ROOT: the manual pages are clean
# mdoc (mandoc -T lint reports nothing at warning level or above), render
# with man -l without a warning from groff, and sctpshim(1) documents every
# SCTPSHIM_* variable the library reads (getenv in shim/) or the launcher
# uses, as does the launcher's --help.
set -euo pipefail

man1=$1 man7=$2 src=$3
NAME=man
. "$(dirname -- "${BASH_SOURCE[0]}")/../lib/lib.sh"

for page in "$man1" "$man7"; do
    base=$(basename -- "$page")
    if ! mandoc -T lint -W warning "$page" >"$tmp/lint" 2>&1 || [ -s "$tmp/lint" ]; then
        show "$tmp/lint"; fail "mandoc -T lint: $base"
    fi
    MANWIDTH=80 man --warnings -E UTF-8 -l "$page" >"$tmp/$base.txt" 2>"$tmp/warn" ||
        { show "$tmp/warn"; fail "man -l $base"; }
    [ ! -s "$tmp/warn" ] || { show "$tmp/warn"; fail "man -l $base: warnings"; }
    grep -q '^NAME' "$tmp/$base.txt" || fail "man -l $base rendered no NAME section"
    ok "$base: mandoc -T lint clean, man -l renders $(wc -l <"$tmp/$base.txt") lines without warnings"
done

# Every variable, from the code: getenv("SCTPSHIM_...") in the library and
# ${SCTPSHIM_...} in the launcher.
vars=$( (grep -rhoE 'getenv\("SCTPSHIM_[A-Z_]+"\)' "$src/shim" | sed -E 's/getenv\("(.*)"\)/\1/'
         grep -hoE '\$\{?SCTPSHIM_[A-Z_]+' "$src/scripts/sctpshim.in" | tr -d '${') | sort -u)
[ "$(wc -l <<<"$vars")" -ge 5 ] || fail "found only: $vars"
help=$(sh "$src/scripts/sctpshim.in" --help)
for v in $vars; do
    grep -q "^\.It Ev $v\$" "$man1" || fail "sctpshim(1) ENVIRONMENT lacks $v"
    grep -q "$v" <<<"$help" || fail "sctpshim --help lacks $v"
done
ok "sctpshim(1) and --help document every variable: $(echo $vars)"
echo "PASS: man.sh"

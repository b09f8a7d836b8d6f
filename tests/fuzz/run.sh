#!/bin/sh
# run.sh FUZZER CORPUS SECONDS REGRESS ARTIFACTS
#   Runs each input of REGRESS once (the inputs that once crashed FUZZER),
#   then fuzzes for SECONDS from a copy of the seed CORPUS (the corpus in
#   the source tree stays as it is).  A crash fails the test and leaves
#   its input in ARTIFACTS, to be added to REGRESS once fixed.
set -eu
fuzzer=$1 corpus=$2 secs=$3 regress=$4 artifacts=$5
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
if [ -d "$regress" ] && [ -n "$(ls -A "$regress")" ]; then
    "$fuzzer" -artifact_prefix="$artifacts/" "$regress"/*
fi
cp -r "$corpus" "$work/corpus"
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "$work/corpus"

#!/bin/sh
# ProbCons 1.12 (Debian `probcons`) on a two-sequence FASTA, for bench/pair-hmm.ts: prints one JSON line
# {"probcons": version, "default_s": [...], "pairwise_s": [...]} with wall seconds per run of
# `probcons FILE` and of `probcons -c 0 -ir 0 FILE` (no consistency, no refinement: the pairwise
# posterior + MEA run). Usage: sh bench/pair_hmm_probcons.sh FILE REPS. Exit 3 if probcons is absent.
set -eu
file=$1
reps=${2:-3}
command -v probcons >/dev/null 2>&1 || { echo '{"error": "probcons not found"}'; exit 3; }
version=$(probcons 2>&1 | sed -n 's/.*PROBCONS version \([0-9.]*\).*/\1/p' | head -1)
run_times() {
  out=""
  i=0
  while [ "$i" -lt "$reps" ]; do
    t0=$(date +%s.%N)
    probcons "$@" "$file" >/dev/null 2>&1
    t1=$(date +%s.%N)
    out="$out${out:+, }$(echo "$t1 - $t0" | awk '{print $1 - $3}')"
    i=$((i + 1))
  done
  echo "$out"
}
default=$(run_times)
pairwise=$(run_times -c 0 -ir 0)
echo "{\"probcons\": \"$version\", \"default_s\": [$default], \"pairwise_s\": [$pairwise]}"

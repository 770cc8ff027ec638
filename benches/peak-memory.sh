#!/usr/bin/env bash
# Peak memory and time of each command the growth benchmark measures, at 1x, 10x and 100x,
# on the inputs `cargo bench --bench growth` writes to target/growth/ (run it first, or
# `cargo bench --bench growth -- --test` to write them without timing). Needs GNU time.
# Prints one line per run: what, size, seconds, peak resident memory in MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
assure=target/release/assure
cargo build --release --quiet
growth=target/growth
run() {
  local what=$1 size=$2
  shift 2
  local report
  report=$(mktemp)
  # `check` exits 1 on findings: that is an answer, not a failure of the run.
  /usr/bin/time -f '%e %M' -o "$report" "$assure" "$@" > /dev/null 2> /dev/null || true
  read -r seconds kib < "$report"
  rm -f "$report"
  printf '%-34s %7s %8s s %8.1f MiB\n' "$what" "$size" "$seconds" "$(echo "$kib / 1024" | bc -l)"
}
for n in 100 1000 10000; do run "test inline cases" "$n" test "$growth/cases-$n"; done
for n in 200 2000 20000; do run "check one-line rules" "$n" check "$growth/check-one-line-rules-$n.yaml"; done
for n in 6 60 600; do run "check rules of 20 ors" "$n" check "$growth/check-rules-of-20-ors-$n.yaml"; done
for n in 200 2000 20000; do run "score unknown-metric warnings" "$n" score "$growth/warnings-$n.yaml"; done
for n in 30 300 3000; do run "score --format json, files" "$n" score --format json "$growth/files-$n"; done

#!/usr/bin/env bash
# bench-ingest: evidence ingest throughput and memory against cp && sync.
#
#   scripts/bench-ingest.sh [SIZE_MIB] [ROUNDS]     (default 2048 MiB, 5 rounds)
#
# Makes a file of random bytes, then on the same disk, ROUNDS times and
# interleaved (so that the disk's and the machine's moods fall on all of
# them alike): copies it with "cp && sync" (cp copies inside the kernel,
# copy_file_range), with "dd bs=1M conv=fsync" (a copy through a program's
# memory, as any program that reads and writes must), and ingests it with
# "sanctuary evidence add" (stream → SHA-256 → age encryption → write →
# fsync → rename → custody log). With OTHER=path/to/another/sanctuary it
# ingests with that binary too, in the same rounds (to compare versions).
# Prints each round's seconds and MiB/s, the ingest's peak RSS (GNU time),
# and the median of ingest / (cp + sync). Needs about 3 × SIZE of free disk.
set -euo pipefail
size_mib=${1:-2048}
rounds=${2:-5}
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/sanctuary-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$(dirname "$0")/.."
go build -o "$work/sanctuary" ./cmd/sanctuary

echo "== making a ${size_mib} MiB file of random bytes"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/doc.bin"
sync

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
mibs() { awk -v s="$1" -v n="$size_mib" 'BEGIN { printf "%.0f", n / s }'; }
dropcache() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }

# setup BIN DIR: a data directory with an account and a case; prints the case.
setup() {
  SANCTUARY_DATA_DIR="$2" "$1" user add --role caseworker bench@ngo.example >/dev/null 2>&1
  SANCTUARY_DATA_DIR="$2" SANCTUARY_ACTOR=bench@ngo.example "$1" case new --given Bench --assignee bench@ngo.example 2>/dev/null
}

# ingest BIN DIR REF: prints "seconds rss_mib".
ingest() {
  dropcache
  local t0 t1
  t0=$(now)
  SANCTUARY_DATA_DIR="$2" SANCTUARY_ACTOR=bench@ngo.example SANCTUARY_LOG_LEVEL=warn \
    /usr/bin/time -f "%M" -o "$work/rss" "$1" evidence add --case "$3" --title "bench (fictional)" "$work/doc.bin" >/dev/null
  t1=$(now)
  echo "$(secs "$t0" "$t1") $(( $(cat "$work/rss") / 1024 ))"
}

export SANCTUARY_LOG_LEVEL=warn
ref=$(setup "$work/sanctuary" "$work/data")
[ -n "${OTHER:-}" ] && other_ref=$(setup "$OTHER" "$work/other")

ratios=()
dd_ratios=()
other_ratios=()
for r in $(seq 1 "$rounds"); do
  dropcache
  t0=$(now); cp "$work/doc.bin" "$work/copy.bin"; sync; t1=$(now)
  cps=$(secs "$t0" "$t1"); rm "$work/copy.bin"; sync
  dropcache
  t0=$(now); dd if="$work/doc.bin" of="$work/copy.bin" bs=1M conv=fsync status=none; t1=$(now)
  dds=$(secs "$t0" "$t1"); rm "$work/copy.bin"; sync
  read -r ins rss < <(ingest "$work/sanctuary" "$work/data" "$ref")
  ratio=$(awk -v a="$cps" -v b="$ins" 'BEGIN { printf "%.0f", 100 * a / b }')
  ddratio=$(awk -v a="$dds" -v b="$ins" 'BEGIN { printf "%.0f", 100 * a / b }')
  ratios+=("$ratio")
  dd_ratios+=("$ddratio")
  line="round $r: cp+sync ${cps}s ($(mibs "$cps") MiB/s); dd ${dds}s ($(mibs "$dds") MiB/s); ingest ${ins}s ($(mibs "$ins") MiB/s, RSS ${rss} MiB) = ${ratio}% of cp+sync, ${ddratio}% of dd"
  if [ -n "${OTHER:-}" ]; then
    read -r ons orss < <(ingest "$OTHER" "$work/other" "$other_ref")
    oratio=$(awk -v a="$cps" -v b="$ons" 'BEGIN { printf "%.0f", 100 * a / b }')
    other_ratios+=("$oratio")
    line="$line; OTHER ${ons}s ($(mibs "$ons") MiB/s, RSS ${orss} MiB) = ${oratio}%"
  fi
  echo "$line"
  rm -rf "$work"/data/vault/objects/* "$work"/other/vault/objects/* 2>/dev/null || true
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "median ingest / (cp + sync): $(median "${ratios[@]}")%"
echo "median ingest / dd: $(median "${dd_ratios[@]}")%"
[ -n "${OTHER:-}" ] && echo "median OTHER / (cp + sync): $(median "${other_ratios[@]}")%"
exit 0

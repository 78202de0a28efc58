#!/usr/bin/env bash
# bench-ingest: evidence ingest throughput and memory against a plain cp.
#
#   scripts/bench-ingest.sh [SIZE_MIB]     (default 4096: a 4 GiB file)
#
# Makes a file of random bytes, then on the same disk: copies it with cp
# (and with cp followed by sync, since an ingest fsyncs), and ingests it
# with "sanctuary evidence add" (stream → SHA-256 → age encryption →
# SHA-256 → fsync → rename). Prints seconds, MiB/s and the ingest's peak
# RSS (GNU time). Needs about 3 × SIZE of free disk.
set -euo pipefail
size_mib=${1:-4096}
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/sanctuary-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$(dirname "$0")/.."
go build -o "$work/sanctuary" ./cmd/sanctuary

echo "== making a ${size_mib} MiB file of random bytes"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/doc.bin"
sync

mibs() { awk -v s="$1" -v n="$size_mib" 'BEGIN { printf "%.0f MiB/s", n / s }'; }
now() { date +%s.%N; }

echo "== cp"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t0=$(now); cp "$work/doc.bin" "$work/copy.bin"; t1=$(now)
cp_s=$(echo "$t1 - $t0" | bc); echo "cp: ${cp_s}s, $(mibs "$cp_s")"
t0=$(now); sync; t1=$(now)
sync_s=$(echo "$t1 - $t0" | bc); echo "the sync after it: ${sync_s}s (cp + sync: $(mibs "$(echo "$cp_s + $sync_s" | bc)"))"
rm "$work/copy.bin"; sync

echo "== sanctuary evidence add"
export SANCTUARY_DATA_DIR="$work/data" SANCTUARY_LOG_LEVEL=warn SANCTUARY_ACTOR=bench
ref=$("$work/sanctuary" case new --given Bench 2>/dev/null)
"$work/sanctuary" fsck >/dev/null 2>&1
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t0=$(now)
/usr/bin/time -f "%M" -o "$work/rss" "$work/sanctuary" evidence add --case "$ref" --title "bench (fictional)" "$work/doc.bin" >/dev/null
t1=$(now)
ing_s=$(echo "$t1 - $t0" | bc)
echo "ingest: ${ing_s}s, $(mibs "$ing_s"), peak RSS $(( $(cat "$work/rss") / 1024 )) MiB"
echo "ingest / cp: $(awk -v a="$cp_s" -v b="$ing_s" 'BEGIN { printf "%.0f%%", 100 * a / b }')," \
     "ingest / (cp + sync): $(awk -v a="$cp_s" -v s="$sync_s" -v b="$ing_s" 'BEGIN { printf "%.0f%%", 100 * (a + s) / b }')"

#!/usr/bin/env bash
# sample-bundle: make the genuine evidence bundle that the independent
# verifier's tests (internal/bundle/specverify) start from, with fictional
# documents: a summons (downloaded, then described again), its
# translation, and an export of the case key.
#
#   scripts/sample-bundle.sh [OUT_DIR]   (default internal/bundle/specverify/testdata)
#
# Writes OUT_DIR/sample-bundle/ and OUT_DIR/sample.vkey (the log's key).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-internal/bundle/specverify/testdata}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/sanctuary" ./cmd/sanctuary
export SANCTUARY_DATA_DIR="$work/data" SANCTUARY_LOG_LEVEL=error
s="$work/sanctuary"
$s user add --role lawyer lena@ngo.example >/dev/null 2>&1
export SANCTUARY_ACTOR=lena@ngo.example
ref=$($s case new --family Morozov --given Kirill --family-cyr Морозов --given-cyr Кирилл \
  --citizenship RU --language ru --destination DE --assignee lena@ngo.example 2>/dev/null)
printf 'ПОВЕСТКА (fictional): явиться в военный комиссариат 14 октября 2025 г.\n' > "$work/summons.txt"
printf 'LADUNG (fiktiv): Erscheinen beim Militärkommissariat am 14. Oktober 2025.\n' > "$work/ladung.txt"
$s evidence add --case "$ref" --title "Повестка военкомата (fictional)" --kind summons --document-date 2025-10-07 \
  --obtained-from "the person, by Signal" --obtained-at 2025-10-08 --language ru "$work/summons.txt" >/dev/null
$s evidence add --case "$ref" --title "Translation of the summons (fictional)" --kind other --language de \
  --translation-of 1 "$work/ladung.txt" >/dev/null
$s evidence get --case "$ref" 1 --out "$work/copy.txt" >/dev/null 2>&1
$s evidence edit --case "$ref" 1 --title "Повестка военкомата, 7 октября (fictional)" --kind summons \
  --document-date 2025-10-07 --obtained-from "the person, by Signal" --obtained-at 2025-10-08 --language ru >/dev/null
$s case export-key "$ref" --out "$work/case.key" >/dev/null 2>&1
rm -rf "$out/sample-bundle"
mkdir -p "$out"
$s evidence export --case "$ref" --out "$out/sample-bundle" >/dev/null 2>&1
tail -n 1 "$work/data/custody.key" > "$out/sample.vkey"
echo "wrote $out/sample-bundle and $out/sample.vkey"

#!/usr/bin/env bash
# The CI recipe of examples/ci/github-actions.yml on one machine: build the
# sources in N shards as N parallel processes (`build --shard i/N`), each into
# its own folder (<output>.shards/<i>, kept for the next run's incremental
# build) as each CI job has its own, gather them into the output folder, merge
# the shard manifests (which also writes the volume files, the catalogue and
# the review page), validate the output, bag it and verify the bag.
#
#   scripts/ci-local.sh N [--input DIR] [--output DIR] [--bag DIR]
#
# Defaults: --input sources, --output out, --bag bag (replaced if it exists).
# Exit status: 0 when every step passed, 1 when one failed (it is named), 2 for bad usage.
set -euo pipefail

usage() {
  echo "usage: scripts/ci-local.sh N [--input DIR] [--output DIR] [--bag DIR]" >&2
  exit 2
}

[ $# -ge 1 ] || usage
N="$1"
shift
[[ "$N" =~ ^[1-9][0-9]*$ ]] || usage
INPUT=sources
OUTPUT=out
BAG=bag
while [ $# -gt 0 ]; do
  case "$1" in
    --input) [ $# -ge 2 ] || usage; INPUT="$2"; shift 2 ;;
    --output) [ $# -ge 2 ] || usage; OUTPUT="$2"; shift 2 ;;
    --bag) [ $# -ge 2 ] || usage; BAG="$2"; shift 2 ;;
    *) usage ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLI="$ROOT/dist/pipeline/cli/main.js"
if [ ! -f "$CLI" ]; then
  (cd "$ROOT" && npm run -s compile)
fi
run() { node "$CLI" "$@"; }
step() { printf '\n==> %s\n' "$*"; }

SHARDS="${OUTPUT%/}.shards"
step "Build $INPUT in $N shards, $N processes, into $SHARDS/<i>"
mkdir -p "$SHARDS"
pids=()
for i in $(seq 1 "$N"); do
  # One worker thread each: the N processes share the machine's cores.
  run build --input "$INPUT" --output "$SHARDS/$i" --shard "$i/$N" --jobs 1 --progress none --quiet > "$SHARDS/$i.log" 2>&1 &
  pids+=("$!")
done
failed=0
for i in $(seq 1 "$N"); do
  if ! wait "${pids[$((i - 1))]}"; then
    echo "shard $i/$N FAILED:" >&2
    failed=1
  fi
  cat "$SHARDS/$i.log" >&2
  rm -f "$SHARDS/$i.log"
done
[ "$failed" -eq 0 ] || exit 1

step "Gather the shards' exports and manifests into $OUTPUT"
mkdir -p "$OUTPUT"
manifests=()
for i in $(seq 1 "$N"); do
  # (cp -a keeps the exports' fixed modification time, which the manifests record.)
  cp -a "$SHARDS/$i/." "$OUTPUT/"
  manifests+=("$OUTPUT/manifest.shard-$i-of-$N.json")
done

step "Merge the shard manifests; the volume files, catalogue and review page"
run merge --input "$INPUT" --output "$OUTPUT" "${manifests[@]}"

step "Validate $OUTPUT"
run validate "$OUTPUT" --quiet

step "Bag $OUTPUT → $BAG and verify the bag"
run bag --output "$OUTPUT" --bag "$BAG" --input "$INPUT" --force
run verify-bag "$BAG"

step "Done: the review page is $OUTPUT/review/index.html, the bag $BAG"

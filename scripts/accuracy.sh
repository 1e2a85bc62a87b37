#!/usr/bin/env bash
# adlint's ecosystem check: run adlint on the real-post corpus and score its verdicts
# against the hand-made ones in corpus/posts.tsv, beside a plain word-list linter and
# beside the last recorded run (corpus/last-run.tsv).
#
#   scripts/accuracy.sh [CORPUS_DIR]          # CORPUS_DIR made by scripts/corpus.sh
#   scripts/accuracy.sh --record [CORPUS_DIR] # also record this run as the new "last run"
#   ADLINT=/tmp/adlint-before scripts/accuracy.sh  # score another build
#
# Prints precision / recall / F1 per market (US and DE on every post, each post's own
# market on nl/da/sv/no/it/fr/es/pl posts), per language and per kind of endorsement,
# the hard negatives flagged, and every wrong verdict with its post.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
record=""
if [ "${1:-}" = "--record" ]; then record="--record"; shift; fi
corpus="${1:-/tmp/adlint-corpus}"
[ -f "$corpus/index.tsv" ] || { echo "accuracy.sh: $corpus/index.tsv missing: run scripts/corpus.sh MIRRORS_DIR $corpus first" >&2; exit 2; }

# ADLINT=path/to/adlint scores another build (the one before a change, say).
if [ -n "${ADLINT:-}" ]; then
  bin="$ADLINT"
else
  cargo build --release --quiet --manifest-path "$here/Cargo.toml"
  bin="$here/target/release/adlint"
fi
runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT

# The posts are named on the command line, as a user names files: every one is checked
# (a list given with --files-from keeps only what a walk would take, and a walk takes an
# .html page only when it opens with front matter).
mapfile -t all < <(cut -f4 "$corpus/index.tsv")
for market in us de; do
  "$bin" check --no-config --format json -j "$market" -- "${all[@]}" > "$runs/$market.json" 2>/dev/null || true
done
for market in $(cut -f3 "$corpus/index.tsv" | sort -u); do
  case "$market" in us|de) continue ;; esac
  mapfile -t own < <(awk -F'\t' -v m="$market" '$3 == m { print $4 }' "$corpus/index.tsv")
  "$bin" check --no-config --format json -j "$market" -- "${own[@]}" > "$runs/own-$market.json" 2>/dev/null || true
done

python3 "$here/scripts/accuracy.py" $record --posts "$here/corpus/posts.tsv" \
  --index "$corpus/index.tsv" --runs "$runs" --last "$here/corpus/last-run.tsv" \
  --wordlist "$here/corpus/wordlist.toml"

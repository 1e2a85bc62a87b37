#!/usr/bin/env bash
# Materialise the real-post corpus (corpus/posts.tsv) from fetched snapshots of the
# blogs' repositories into a folder OUTSIDE this repository: the posts are other
# people's writing and are never copied into adlint's tree.
#
#   scripts/corpus.sh MIRRORS_DIR [OUT_DIR]
#
# MIRRORS_DIR holds one snapshot per blog as `<owner>+<name>/repo/.git` (the layout the
# `fetch` tool gives, or `<owner>+<name>/repo` bare; `<owner>+<name>.git` is read too).
# OUT_DIR (default: /tmp/adlint-corpus) gets `<id>/<file name>` per post and `index.tsv`
# (id, language, market, materialised path). Blogs kept for judging
# (../shared/eval/held-out-repos.sha256) are refused.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
mirrors="${1:?usage: scripts/corpus.sh MIRRORS_DIR [OUT_DIR]}"
out="${2:-/tmp/adlint-corpus}"
tsv="$here/corpus/posts.tsv"
held_out="${ADLINT_HELD_OUT:-$here/../shared/eval/held-out-repos.sha256}"

case "$(cd "$(dirname "$out")" 2>/dev/null && pwd)/" in
  "$here"/*) echo "corpus.sh: OUT_DIR must be outside the repository ($out)" >&2; exit 2 ;;
esac
[ -f "$tsv" ] || { echo "corpus.sh: $tsv not found" >&2; exit 2; }

rm -rf "$out"
mkdir -p "$out"
: > "$out/index.tsv"

# Snapshot folders keep GitHub's spelling of the name, which a row may not: match
# without regard to case.
declare -A mirror_of
for d in "$mirrors"/*; do
  name="$(basename "$d")"
  mirror_of["$(printf %s "${name%.git}" | tr 'A-Z' 'a-z')"]="$d"
done

git_dir_of() {
  local key
  key="$(printf %s "${1/\//+}" | tr 'A-Z' 'a-z')"
  local base="${mirror_of[$key]:-}"
  [ -n "$base" ] || return 1
  for d in "$base/repo/.git" "$base/repo" "$base/.git" "$base"; do
    if [ -d "$d" ] && git -C "$d" rev-parse --git-dir >/dev/null 2>&1; then echo "$d"; return 0; fi
  done
  return 1
}

ok=0 missing=0 refused=0
declare -A checked_repo
while IFS=$'\t' read -r id repo commit path lang _class _kind _label _pos _us _de market _own _why; do
  case "$id" in ''|'#'*|id) continue ;; esac
  lower="$(printf %s "$repo" | tr 'A-Z' 'a-z')"
  if [ -z "${checked_repo[$lower]:-}" ]; then
    hash="$(printf %s "$lower" | sha256sum | cut -d' ' -f1)"
    if [ -f "$held_out" ] && grep -q "$hash" "$held_out"; then
      checked_repo[$lower]=held
    else
      checked_repo[$lower]=ok
    fi
  fi
  if [ "${checked_repo[$lower]}" = held ]; then
    echo "corpus.sh: $id: $repo is kept for judging (held out); not materialised" >&2
    refused=$((refused + 1)); continue
  fi
  if ! dir="$(git_dir_of "$repo")"; then
    echo "corpus.sh: $id: no snapshot of $repo in $mirrors (fetch github:$repo)" >&2
    missing=$((missing + 1)); continue
  fi
  mkdir -p "$out/$id"
  dest="$out/$id/$(basename "$path")"
  if ! git -C "$dir" show "$commit:$path" > "$dest" 2>/dev/null; then
    echo "corpus.sh: $id: $repo has no $path at ${commit:0:12}" >&2
    rm -rf "${out:?}/$id"; missing=$((missing + 1)); continue
  fi
  printf '%s\t%s\t%s\t%s\n' "$id" "$lang" "$market" "$dest" >> "$out/index.tsv"
  ok=$((ok + 1))
done < "$tsv"

echo "corpus.sh: $ok posts in $out ($missing missing, $refused held out)" >&2
[ "$ok" -gt 0 ]

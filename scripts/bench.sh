#!/usr/bin/env bash
# adlint beside its floors, in one run: `cat` (I/O), ripgrep with the 325 phrases of
# ../shared/perf/phrases.txt, adlint with two jurisdictions and with every shipped
# pack, on generated corpora; then one 5 KB post (the pre-commit case), adlint against
# rg on the same file. Writes the measured table between the markers
# `<!-- bench:start -->` and `<!-- bench:end -->` of docs/performance.md.
#
#   scripts/bench.sh            # small (1,000 posts) and medium (10,000 posts)
#   LARGE=1 scripts/bench.sh    # also large (100,000 posts, ~600 MB; slow)
#
# Knobs (environment):
#   LARGE=1           also the large corpus (its rows of the target table need it)
#   RUNS=5            hyperfine runs per command on small and medium
#   LARGE_RUNS=3      hyperfine runs per command on large
#   START_RUNS=100    hyperfine runs for the single-post (pre-commit) case
#   CORPORA=DIR       generate the corpora here and keep them (default: a temporary
#                     folder, removed at exit); corpora already there are reused
#   PERF_DIR=DIR      where gen_corpus.py and phrases.txt are (default ../shared/perf)
#   DOC=FILE          the Markdown file to write the table into (default docs/performance.md)
#   QUIET_LOAD=0.5    wait until the 1-minute load average is at most this before timing
#   QUIET_WAIT=600    ... but at most this many seconds each time (then measure anyway,
#                     with a warning in the table); checked before each hyperfine run
#   INSTALL=0         install nothing (default: apt-get hyperfine, ripgrep, time if missing)
#   REV=TEXT          the adlint version to print (default: git rev-parse of this checkout)
#   CARGO_TARGET_DIR  respected for the release build
#
# Fails loudly: any step that goes wrong stops the run with a message.
set -euo pipefail

die() { echo "bench.sh: error: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
say() { echo "== $*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PERF_DIR=${PERF_DIR:-$ROOT/../shared/perf}
[ -d "$PERF_DIR" ] || die "PERF_DIR $PERF_DIR does not exist (set PERF_DIR to the folder of gen_corpus.py)"
PERF_DIR=$(cd "$PERF_DIR" && pwd)
GEN=$PERF_DIR/gen_corpus.py
PHRASES=$PERF_DIR/phrases.txt
[ -f "$GEN" ] || die "$GEN is missing"
[ -f "$PHRASES" ] || die "$PHRASES is missing"
DOC=${DOC:-$ROOT/docs/performance.md}
LARGE=${LARGE:-0}
RUNS=${RUNS:-5}
LARGE_RUNS=${LARGE_RUNS:-3}
START_RUNS=${START_RUNS:-100}
INSTALL=${INSTALL:-1}
have python3 || die "python3 is required (it runs gen_corpus.py and writes the table)"

# ------------------------------------------------------------------ tools
if [ "$INSTALL" = 1 ]; then
  missing=()
  have hyperfine || missing+=(hyperfine)
  have rg || missing+=(ripgrep)
  [ -x /usr/bin/time ] || missing+=(time)
  if [ ${#missing[@]} -gt 0 ]; then
    have apt-get || die "missing ${missing[*]} and no apt-get to install them"
    say "installing ${missing[*]} (apt-get)"
    apt-get update >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2 ||
      die "apt-get install ${missing[*]} failed"
  fi
fi
have hyperfine || die "hyperfine is required (apt-get install hyperfine)"
have rg || die "ripgrep is required (apt-get install ripgrep)"
[ -x /usr/bin/time ] || die "/usr/bin/time is required (apt-get install time)"
RG=$(command -v rg)

# ------------------------------------------------------------------ build
say "building adlint (release)"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
(cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
ADLINT=$TARGET/release/adlint
[ -x "$ADLINT" ] || die "no binary at $ADLINT"
ALL_CODES=$("$ADLINT" jurisdictions | awk 'NR > 0 && $1 ~ /^[a-z][a-z]$/ {print $1}' | paste -sd, -)
[ -n "$ALL_CODES" ] || die "\`adlint jurisdictions\` listed no pack codes"
N_PACKS=$(echo "$ALL_CODES" | tr ',' '\n' | wc -l)

# ------------------------------------------------------------------ corpora
if [ -n "${CORPORA:-}" ]; then
  mkdir -p "$CORPORA"
  CORPORA=$(cd "$CORPORA" && pwd)
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/adlint-bench.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/adlint-bench.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  CORPORA=$WORK/corpora
  mkdir -p "$CORPORA"
fi
RESULTS=$WORK/results
mkdir -p "$RESULTS"

declare -A FILES_OF=([small]=1000 [medium]=10000 [large]=100000)
NAMES=(small medium)
[ "$LARGE" = 1 ] && NAMES+=(large)
for name in "${NAMES[@]}"; do
  dir=$CORPORA/$name
  want=${FILES_OF[$name]}
  if [ -d "$dir" ] && [ "$(find "$dir" -type f -name '*.md' | wc -l)" -eq "$want" ]; then
    say "corpus $name: reusing $dir"
    continue
  fi
  rm -rf "$dir"
  say "corpus $name: generating $want posts"
  python3 "$GEN" "$dir" --files "$want" --seed 1 >&2 || die "gen_corpus.py failed for $name"
done

# ------------------------------------------------------------------ timing
# Timings on a busy machine are not comparable with anything: wait for the 1-minute
# load average to drop (another build, a test suite), and record it either way.
QUIET_LOAD=${QUIET_LOAD:-0.5}
QUIET_WAIT=${QUIET_WAIT:-600}
load1() { cut -d' ' -f1 /proc/loadavg; }
LOADS=()
# Called before each hyperfine run: waits, then records the load it starts at.
wait_quiet() {
  local waited=0
  while awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN{exit !(l > q)}'; do
    if [ "$waited" -ge "$QUIET_WAIT" ]; then
      echo "bench.sh: warning: load average still $(load1) after ${QUIET_WAIT}s; measuring anyway (noted in the table)" >&2
      break
    fi
    [ "$waited" -eq 0 ] && say "waiting for the machine to be quiet (load $(load1) > $QUIET_LOAD, at most ${QUIET_WAIT}s)"
    sleep 10
    waited=$((waited + 10))
  done
  LOADS+=("$1 $(load1)")
}

q() { printf '%q' "$1"; }
qA=$(q "$ADLINT"); qRG=$(q "$RG"); qP=$(q "$PHRASES")

# A broken run (exit 2) must not be timed as if it were work: hyperfine -i would hide it.
check_runs() {
  local status=0
  "$@" >/dev/null 2>"$RESULTS/last.err" || status=$?
  [ "$status" -le 1 ] || { cat "$RESULTS/last.err" >&2; die "exit $status from: $*"; }
}

# rss SLUG COMMAND: peak RSS in KB of one more run (the largest process of the command).
rss() {
  /usr/bin/time -o "$RESULTS/$1.rss" -f %M sh -c "$2" >/dev/null 2>&1 || true
  tail -n 1 "$RESULTS/$1.rss" | grep -Eq '^[0-9]+$' || die "no peak RSS for $1"
}

for name in "${NAMES[@]}"; do
  C=$CORPORA/$name
  qC=$(q "$C")
  runs=$RUNS
  [ "$name" = large ] && runs=$LARGE_RUNS
  find "$C" -type f -name '*.md' -printf '%s\n' | awk '{s+=$1; n++} END{print n, s+0}' >"$RESULTS/$name.size"
  check_runs "$ADLINT" check "$C" --jurisdiction us,de --format json --no-config
  check_runs "$ADLINT" check "$C" --jurisdiction "$ALL_CODES" --format json --no-config
  say "timing on $name ($(cat "$RESULTS/$name.size") files/bytes), $runs runs each"
  wait_quiet "$name"
  hyperfine --warmup 1 --runs "$runs" -i --style basic \
    --export-json "$RESULTS/$name.json" \
    -n cat "find $qC -name '*.md' -print0 | xargs -0 cat > /dev/null" \
    -n rg "$qRG -i -c -f $qP $qC" \
    -n adlint "$qA check $qC --jurisdiction us,de --format json --no-config" \
    -n adlint-all "$qA check $qC --jurisdiction $ALL_CODES --format json --no-config" \
    >&2 || die "hyperfine failed on $name"
  LOADS+=("after-$name $(load1)")
  rss "$name-rg" "$qRG -i -c -f $qP $qC"
  rss "$name-adlint" "$qA check $qC --jurisdiction us,de --format json --no-config"
  rss "$name-adlint-all" "$qA check $qC --jurisdiction $ALL_CODES --format json --no-config"
done

# The pre-commit case: one post of about 5 KB.
ONE=$(find "$CORPORA/small" -type f -name '*.md' -size +4800c -size -5300c | sort | awk 'NR == 1')
[ -n "$ONE" ] || die "no post of about 5 KB in the small corpus"
check_runs "$ADLINT" check "$ONE" --jurisdiction us,de --format json --no-config
say "timing one post ($(stat -c %s "$ONE") bytes), $START_RUNS runs each"
wait_quiet one-post
hyperfine -N --warmup 5 --runs "$START_RUNS" -i --style basic \
  --export-json "$RESULTS/one.json" \
  -n rg "$qRG -i -c -f $qP $(q "$ONE")" \
  -n adlint "$qA check $(q "$ONE") --jurisdiction us,de --format json --no-config" \
  >&2 || die "hyperfine failed on the single post"
LOADS+=("after-one-post $(load1)")
rss one-rg "$qRG -i -c -f $qP $(q "$ONE")"
rss one-adlint "$qA check $(q "$ONE") --jurisdiction us,de --format json --no-config"

LOAD_LOG=$(printf '%s; ' "${LOADS[@]}")

# ------------------------------------------------------------------ report
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM"
if [ -z "${REV:-}" ]; then
  REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'unknown commit')
  git -C "$ROOT" diff --quiet HEAD -- src rules Cargo.toml 2>/dev/null || REV="$REV with uncommitted changes"
fi
VERSIONS="adlint $REV, $("$RG" --version | awk 'NR == 1'), $(hyperfine --version), $(rustc --version)"

python3 - "$RESULTS" "$DOC" "$ONE" "$LARGE" "$MACHINE" "$VERSIONS" "$N_PACKS" "$ALL_CODES" "$LOAD_LOG" "$QUIET_LOAD" <<'PY' || die "writing $DOC failed"
import json, os, sys, datetime

results, doc, one, large, machine, versions, n_packs, all_codes, load_log, quiet = sys.argv[1:11]
loads = [(p.split()[0], float(p.split()[1])) for p in load_log.split(";") if p.strip()]
large = large == "1"
names = ["small", "medium"] + (["large"] if large else [])

def load(name):
    with open(os.path.join(results, name + ".json")) as f:
        return {r["command"]: r for r in json.load(f)["results"]}

def rss_mb(slug):
    with open(os.path.join(results, slug + ".rss")) as f:
        return int(f.read().split()[-1]) / 1024

def size(name):
    with open(os.path.join(results, name + ".size")) as f:
        n, b = f.read().split()
    return int(n), int(b)

runs = {n: load(n) for n in names}
one_runs = load("one")

def fmt_s(x):
    return f"{x:.3f}" if x >= 0.1 else f"{x * 1000:.1f} ms"

lines = []
w = lines.append
w(f"Measured {datetime.date.today().isoformat()} by `scripts/bench.sh`"
  f"{' with `LARGE=1`' if large else ''} on {machine}; {versions}. "
  "1-minute load average before and after each timing (after includes the benchmark's own "
  "threads): " + ", ".join(f"{k} {v:.2f}" for k, v in loads) + ".")
# The loads "after-…" include the benchmark's own threads; only the loads at the start
# of each timing tell whether something else was running.
if max(v for k, v in loads if not k.startswith("after-")) > float(quiet):
    w("")
    w(f"**Warning: the machine was not quiet when a timing started (load above {quiet}); "
      "wall times are inflated. The CPU-time columns are less affected.**")
w("")
w("### Targets")
w("")
w("| target | measured | limit | goal | result | same ratio in CPU time |")
w("|---|---:|---:|---:|---|---:|")
cpu = lambda x: x["user"] + x["system"]

def row(what, value, limit, goal=None, unit="×", cpu_ratio=None):
    if value is None:
        w(f"| {what} | not measured (`LARGE=1`) | ≤ {limit}{unit} | {goal + unit if goal else '–'} | not run | – |")
        return
    passed = value <= limit
    res = "**pass**" if passed else "**FAIL**"
    if goal is not None and passed:
        res += " (goal met)" if value <= goal else " (goal missed)"
    v = f"{value:.2f}{unit}" if unit == "×" else f"{value:.1f} {unit}"
    lim = f"{limit}{unit}" if unit == "×" else f"{limit} {unit}"
    g = "–" if goal is None else (f"{goal}{unit}" if unit == "×" else f"{goal} {unit}")
    c = "–" if cpu_ratio is None else f"{cpu_ratio:.2f}×"
    w(f"| {what} | {v} | ≤ {lim} | {g} | {res} | {c} |")

med = runs["medium"]
row("adlint ÷ rg, medium corpus", med["adlint"]["median"] / med["rg"]["median"], 2.0, 1.3,
    cpu_ratio=cpu(med["adlint"]) / cpu(med["rg"]))
if large:
    lg = runs["large"]
    per_mb = lambda r, n: r["adlint"]["median"] / (size(n)[1] / 1e6)
    row("adlint time per MB, large ÷ medium", per_mb(lg, "large") / per_mb(med, "medium"), 1.2,
        cpu_ratio=(cpu(lg["adlint"]) / size("large")[1]) / (cpu(med["adlint"]) / size("medium")[1]))
else:
    row("adlint time per MB, large ÷ medium", None, 1.2)
row(f"all {n_packs} packs ÷ one run of `us,de`, medium", med["adlint-all"]["median"] / med["adlint"]["median"], 1.5,
    cpu_ratio=cpu(med["adlint-all"]) / cpu(med["adlint"]))
row("one 5 KB post: adlint ÷ rg", one_runs["adlint"]["median"] / one_runs["rg"]["median"], 2.0,
    cpu_ratio=cpu(one_runs["adlint"]) / cpu(one_runs["rg"]))
if large:
    row("peak RSS, large", rss_mb("large-adlint"), 150, unit="MB")
    row("peak RSS, large ÷ medium", rss_mb("large-adlint") / rss_mb("medium-adlint"), 1.3)
else:
    row("peak RSS, large", None, 150, unit=" MB")
    row("peak RSS, large ÷ medium", None, 1.3)
w("")
w("“adlint” is `--jurisdiction us,de`; “all packs” is every code of `adlint jurisdictions`. "
  "Ratios are of hyperfine medians (wall time) from the same run; pass/fail is judged on them. "
  "The last column divides mean CPU time (user + system) instead: it shows whether a ratio "
  "is real work or noise from a busy machine (with 2 threads, CPU time is about twice the wall time).")
w("")
w("### Every timing")
w("")
w("| corpus | command | median s | min–max s | MB/s | × rg | CPU s (user+sys, mean) | peak RSS MB |")
w("|---|---|---:|---:|---:|---:|---:|---:|")
labels = {"cat": "cat (I/O floor)", "rg": "rg -i -f phrases", "adlint": "adlint us,de",
          "adlint-all": f"adlint, all {n_packs} packs"}
for n in names:
    files, b = size(n)
    r = runs[n]
    for cmd in ["cat", "rg", "adlint", "adlint-all"]:
        x = r[cmd]
        mbps = b / 1e6 / x["median"]
        rel = x["median"] / r["rg"]["median"]
        rss = "–" if cmd == "cat" else f"{rss_mb(n + '-' + cmd):.1f}"
        w(f"| {n} ({files:,} files, {b / 1e6:.1f} MB) | {labels[cmd]} | {x['median']:.3f} | "
          f"{x['min']:.3f}–{x['max']:.3f} | {mbps:.1f} | {rel:.2f} | {cpu(x):.3f} | {rss} |")
one_size = os.path.getsize(one)
for cmd in ["rg", "adlint"]:
    x = one_runs[cmd]
    rel = x["median"] / one_runs["rg"]["median"]
    w(f"| 1 post ({one_size:,} B) | {labels[cmd]} | {x['median'] * 1000:.1f} ms | "
      f"{x['min'] * 1000:.1f}–{x['max'] * 1000:.1f} ms | – | {rel:.2f} | {cpu(x) * 1000:.1f} ms | {rss_mb('one-' + cmd):.1f} |")
w("")
w("### Commands")
w("")
w("`C` is the corpus folder, `P` is `../shared/perf/phrases.txt`, `F` the single post "
  "(the first post of 4,800–5,300 bytes in small, by sorted path).")
w("")
w("```sh")
w("python3 ../shared/perf/gen_corpus.py C --files 1000|10000|100000 --seed 1")
w("hyperfine --warmup 1 --runs N -i \\")
w("  -n cat \"find C -name '*.md' -print0 | xargs -0 cat > /dev/null\" \\")
w("  -n rg \"rg -i -c -f P C\" \\")
w("  -n adlint \"adlint check C --jurisdiction us,de --format json --no-config\" \\")
w(f"  -n adlint-all \"adlint check C --jurisdiction {all_codes} --format json --no-config\"")
w("hyperfine -N --warmup 5 --runs 100 -i \\")
w("  -n rg \"rg -i -c -f P F\" \\")
w("  -n adlint \"adlint check F --jurisdiction us,de --format json --no-config\"")
w("/usr/bin/time -f %M sh -c CMD   # peak RSS: one more run of each command")
w("```")
w("")
w("`-i` because adlint exits 1 when it finds something; the script first checks that no "
  "run exits 2. Warm page cache (hyperfine's warm-up run reads every file first).")

block = "\n".join(lines)
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
text = open(doc).read() if os.path.exists(doc) else ""
if start in text and end in text:
    pre, rest = text.split(start, 1)
    _, post = rest.split(end, 1)
    text = pre + start + "\n" + block + "\n" + end + post
else:
    text = text + ("\n" if text and not text.endswith("\n") else "") + start + "\n" + block + "\n" + end + "\n"
with open(doc, "w") as f:
    f.write(text)
print(block)
PY
say "wrote $DOC"

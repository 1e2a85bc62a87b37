#!/usr/bin/env python3
"""Score adlint's verdicts on the real-post corpus (called by scripts/accuracy.sh)."""
import argparse
import collections
import json
import os
import sys
import tomllib

MARKET_OF_LANG = {"en": "us", "de": "de", "nl": "nl", "da": "dk", "sv": "se", "no": "no",
                  "it": "it", "fr": "fr", "es": "es", "pl": "pl"}


def read_posts(path):
    cols = ["id", "repo", "commit", "path", "lang", "class", "endorsement", "label",
            "position", "us", "de", "market", "own", "why"]
    posts = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("id\t"):
                continue
            fields = line.split("\t")
            if len(fields) != len(cols):
                sys.exit(f"accuracy.py: {path}:{n}: {len(fields)} columns, expected {len(cols)}")
            post = dict(zip(cols, fields))
            posts[post["id"]] = post
    return posts


def flagged_files(run_json):
    """Files with at least one error, with the codes; None when the run gave no report."""
    try:
        with open(run_json, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, json.JSONDecodeError):
        return None
    flagged = collections.defaultdict(set)
    for d in report.get("diagnostics", []):
        if d.get("severity") == "error":
            flagged[os.path.realpath(d["path"])].add(d["code"])
    # Problems (a broken front matter, an unreadable file) are not verdicts on the
    # disclosure: they are left out here and show in adlint's own output.
    return flagged


def wordlist_flags(text, words, market):
    low = text.lower()
    if not any(w in low for w in words["endorsement"]):
        return False
    return not any(w in low for w in words["labels"].get(market, []))


class Score:
    def __init__(self):
        self.tp = self.fp = self.fn = self.tn = 0

    def add(self, expected_fail, flagged):
        if expected_fail and flagged:
            self.tp += 1
        elif expected_fail:
            self.fn += 1
        elif flagged:
            self.fp += 1
        else:
            self.tn += 1

    def prf(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def cell(self):
        if self.tp + self.fn == 0:
            # Nothing to find here (hard negatives): only false alarms can happen.
            return f"{self.fp} of {self.n()} flagged"
        p, r, f = self.prf()
        return f"{p:.2f} / {r:.2f} / {f:.2f}"

    def n(self):
        return self.tp + self.fp + self.fn + self.tn


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--runs", required=True)
    ap.add_argument("--last", required=True)
    ap.add_argument("--wordlist", required=True)
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()

    posts = read_posts(args.posts)
    with open(args.wordlist, "rb") as f:
        words = tomllib.load(f)
    where = {}
    with open(args.index, encoding="utf-8") as f:
        for line in f:
            pid, _lang, _market, path = line.rstrip("\n").split("\t")
            where[pid] = os.path.realpath(path)

    runs = {"us": flagged_files(os.path.join(args.runs, "us.json")),
            "de": flagged_files(os.path.join(args.runs, "de.json"))}
    for market in set(p["market"] for p in posts.values()) - {"us", "de"}:
        runs["own:" + market] = flagged_files(os.path.join(args.runs, f"own-{market}.json"))

    last = {}
    if os.path.exists(args.last):
        with open(args.last, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                pid, column, verdict = line.rstrip("\n").split("\t")
                last[(pid, column)] = verdict

    # (table, row) -> Score, for adlint, the word list and the last run
    scores = collections.defaultdict(Score)
    wrong, flips, this_run = [], [], []
    hard_neg, hard_neg_flagged, hard_neg_words = 0, set(), set()
    for pid, post in sorted(posts.items()):
        if pid not in where:
            continue
        with open(where[pid], encoding="utf-8", errors="replace") as f:
            text = f.read()
        judged = [("us", "us", post["us"]), ("de", "de", post["de"])]
        if post["market"] not in ("us", "de"):
            judged.append(("own", "own:" + post["market"], post["own"]))
        if post["class"] == "C":
            hard_neg += 1
        for column, run_key, expected in judged:
            if expected not in ("pass", "fail"):
                continue
            run = runs.get(run_key)
            if run is None:
                continue
            codes = run.get(where[pid], set())
            flagged = bool(codes)
            market = run_key.split(":")[-1]
            by_words = wordlist_flags(text, words, market)
            exp_fail = expected == "fail"
            table = {"us": "US (every post)", "de": "DE (every post)",
                     "own": "own market (nl/da/sv/no/it/fr/es/pl posts)"}[column]
            for key in [("market", table), ("lang", f"{post['lang']} under {column}"),
                        ("kind", f"{post['endorsement']} under {column}")]:
                scores[key + ("adlint",)].add(exp_fail, flagged)
                scores[key + ("words",)].add(exp_fail, by_words)
                if (pid, column) in last:
                    scores[key + ("last",)].add(exp_fail, last[(pid, column)] == "flag")
            this_run.append((pid, column, "flag" if flagged else "pass"))
            if post["class"] == "C" and flagged:
                hard_neg_flagged.add(pid)
            if post["class"] == "C" and by_words:
                hard_neg_words.add(pid)
            if flagged != exp_fail:
                wrong.append((pid, column if column != "own" else market, expected,
                              ",".join(sorted(codes)) or "-", post["why"], where[pid]))
            before = last.get((pid, column))
            if before is not None and before != ("flag" if flagged else "pass"):
                flips.append((pid, column, before, "flag" if flagged else "pass",
                              "right" if flagged == exp_fail else "WRONG"))

    def table(kind, title):
        rows = sorted({k[1] for k in scores if k[0] == kind})
        print(f"\n### {title}\n")
        print("| | posts | adlint P / R / F1 | last run P / R / F1 | word list P / R / F1 |")
        print("|---|---|---|---|---|")
        for row in rows:
            a = scores[(kind, row, "adlint")]
            l = scores.get((kind, row, "last"))
            w = scores[(kind, row, "words")]
            print(f"| {row} | {a.n()} | {a.cell()} | {l.cell() if l and l.n() else '-'} | {w.cell()} |")

    print(f"adlint on {len(where)} real posts from "
          f"{len({posts[p]['repo'] for p in where})} blogs (a post is flagged when adlint reports an error)")
    table("market", "Per market")
    print(f"\nHard negatives flagged: adlint {len(hard_neg_flagged)} of {hard_neg}"
          f" ({100 * len(hard_neg_flagged) / max(hard_neg, 1):.1f}%), word list {len(hard_neg_words)}")
    table("lang", "Per language")
    table("kind", "Per kind of endorsement")
    if flips:
        print(f"\n### Changed since the last recorded run ({len(flips)})\n")
        for f in flips:
            print(f"- {f[0]} [{f[1]}]: {f[2]} -> {f[3]} ({f[4]})")
    print(f"\n### Wrong verdicts ({len(wrong)})\n")
    for pid, column, expected, codes, why, path in wrong:
        got = "flagged " + codes if expected == "pass" else "not flagged"
        print(f"- {pid} [{column}] expected {expected}, {got}: {why}  ({path})")
    if args.record:
        with open(args.last, "w", encoding="utf-8") as f:
            f.write("# id\tcolumn\tverdict (written by scripts/accuracy.sh --record)\n")
            for row in this_run:
                f.write("\t".join(row) + "\n")
        print(f"\nrecorded as the last run: {args.last}")


if __name__ == "__main__":
    main()

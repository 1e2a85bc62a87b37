//! Properties of the library on generated Markdown-ish posts: labels, endorsement
//! phrases, affiliate links, front matter, CRLF, multi-byte text, emphasis, comments
//! and code fences, glued together at random.
//!
//! `PROPTEST_CASES=5000 cargo test --test properties` runs longer searches; failures
//! are shrunk and saved in `tests/properties.proptest-regressions`.

use adlint::config::Settings;
use adlint::diagnostic::{Applicability, Edit, Finding, Span};
use adlint::{Checked, Engine};
use proptest::prelude::*;
use std::path::Path;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> =
    LazyLock::new(|| Engine::new(&Default::default()).expect("the shipped packs load"));

fn settings(jurisdictions: &[&str]) -> Settings {
    Settings::resolve(
        None,
        Some(jurisdictions.iter().map(|s| s.to_string()).collect()),
        &adlint::is_rule_code,
    )
    .expect("settings")
}

// ---------- the generator ----------

const FRONT_MATTER: &[&str] = &[
    "",
    "",
    "---\nlang: de\n---\n",
    "---\nlang: en\n---\n\n",
    "---\ntitle: Werbung: Kamera im Test\nlang: de\n---\n",
    "---\ntitle: Sponsored by Acme\n---\n",
    "---\ntitle: \"Gesponsert von Nivea\"\ntags: [werbung, test]\nsponsored: true\n---\n",
    "---\nlang: nl\njurisdiction: [nl, de]\n---\n",
    "---\nadlint:\n  ignore: [AD102]\n---\n",
    "---\ntitle: 中文 🚀 Grüße\ndescription: Anzeige\n---\n",
    "---\nlang: de\n---",
    "---\ntitle: Gesponsert von Nivea\nlang: de\n---",
    "---\ntitle: [oops\n---\n",
    "---\ntitle: x\n",
    "+++\ntitle = \"Anzeige: Test\"\nlang = \"de\"\n+++\n",
    "\u{feff}---\nlang: de\n---\n",
    "\u{feff}",
    "---\nlang: de\n...\n",
];

const FRAGMENTS: &[&str] = &[
    // labels
    "Werbung",
    "**Werbung**",
    "*Anzeige*",
    "[Anzeige]",
    "Anzeige:",
    "#ad",
    "#Werbung",
    "Ad:",
    "Sponsored",
    "(Werbelink)",
    "This post contains affiliate links.",
    // endorsement phrases
    "sponsored by Acme",
    "In Kooperation mit Samsung",
    "in Zusammenarbeit mit Nivea",
    "use code ANNA20",
    "Rabattcode ANNA20",
    "Thanks to Acme for sending me this",
    "If a post is sponsored by a brand,",
    // links
    "[Anker](https://www.amazon.de/dp/B0?tag=x-21)",
    "[deal](https://www.amazon.com/dp/B1?tag=y-20 \"Anzeige\")",
    "https://amzn.to/abc",
    "https://www.amazon.de/dp/B0?tag=x-21&amp;ref=y",
    "<https://www.amazon.com/dp/B2?tag=z-20>",
    "<a href=\"https://www.amazon.de/dp/B3?tag=q-21\">Shop</a>",
    "[ref link][a]",
    "\n[a]: https://www.amazon.de/dp/B4?tag=r-21\n",
    "![Werbung](https://example.com/x.png)",
    "https://example.com/plain",
    "*",
    // shortcodes and components (rules/shortcodes.toml)
    "{{< amazon B0ABC >}}",
    "{{< werbung >}}",
    "{{% affiliate-link url=\"https://amzn.to/x\" %}}",
    "{% include ad-disclosure.html %}",
    "{% amazon B0 %}",
    "<AffiliateLink href=\"https://www.amazon.de/dp/B0?tag=x-21\" />",
    "<Disclosure />",
    "{{<",
    ">}}",
    // multi-byte text and plain words
    "ä",
    "Grüße aus Köln",
    "🚀",
    "中文",
    "e\u{301}",
    "the camera is great",
    "Ich mag diese Kamera und die Akkus",
    " ",
    " ",
    // emphasis
    "**",
    "_",
    "__",
    "~~",
    // HTML and comments
    "<!--",
    "-->",
    "<!-- Werbung -->",
    "<!--more-->",
    "<!-- adlint-disable-next-line AD102 -- checked -->",
    "<!-- adlint-disable AD101 -->",
    "<!-- adlint-enable -->",
    "<small>",
    "</small>",
    "<div>",
    "</div>",
    "&amp;",
    "&nbsp;",
    "\\*",
    // code
    "```",
    "```\n",
    "~~~",
    "`",
    "`use code ANNA20`",
    "    indented code",
    // structure
    "\n",
    "\n",
    "\n\n",
    "\n\n",
    "# ",
    "## ",
    "- ",
    "1. ",
    "> ",
    "| a | b |\n|---|---|\n| ",
    " |",
    "\n---\n",
    "  \n",
    "\t",
    "\r",
];

/// One piece of a post: a fragment, or (rarely) an arbitrary character, followed by
/// a space, nothing, or a line break.
fn piece() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        12 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    let separator = prop_oneof![6 => Just(" "), 3 => Just(""), 2 => Just("\n"), 2 => Just("\n\n")];
    (text, separator).prop_map(|(t, s)| t + s)
}

/// A post: optional front matter, pieces, and LF or CRLF line ends.
fn post() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(FRONT_MATTER),
        prop_oneof![
            3 => proptest::collection::vec(piece(), 0..8),
            1 => proptest::collection::vec(piece(), 0..40),
        ],
        any::<bool>(),
    )
        .prop_map(|(fm, pieces, crlf)| {
            let text = format!("{fm}{}", pieces.concat());
            if crlf {
                text.replace("\r\n", "\n").replace('\n', "\r\n")
            } else {
                text
            }
        })
}

const PATHS: &[&str] = &[
    "post.md",
    "content/de/post.md",
    "post.da.md",
    "blog/nl/p.md",
];
const JURISDICTIONS: &[&[&str]] = &[&["auto"], &["de"], &["us"], &["de", "us"], &["uk"], &["nl"]];

fn case() -> impl Strategy<Value = (String, &'static str, &'static [&'static str])> {
    (
        post(),
        proptest::sample::select(PATHS),
        proptest::sample::select(JURISDICTIONS),
    )
}

fn run(source: &str, path: &str, jurisdictions: &[&str]) -> Checked {
    adlint::check(&ENGINE, source, Path::new(path), &settings(jurisdictions))
}

// ---------- helpers ----------

fn span_ok(source: &str, s: &Span) -> Result<(), String> {
    if s.start > s.end || s.end > source.len() {
        return Err(format!("span {s:?} outside 0..{}", source.len()));
    }
    if !source.is_char_boundary(s.start) || !source.is_char_boundary(s.end) {
        return Err(format!("span {s:?} not on char boundaries"));
    }
    Ok(())
}

/// Every span a check reports: findings, secondaries, fix and suggestion edits,
/// suppressed findings, problems.
fn all_spans(c: &Checked) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut add = |what: &str, f: &Finding| {
        out.push((format!("{what} {} span", f.code), f.span.clone()));
        for s in &f.secondary {
            out.push((format!("{what} {} secondary", f.code), s.span.clone()));
        }
        for e in f.fix.iter().chain(&f.suggestions).flat_map(|x| &x.edits) {
            out.push((format!("{what} {} fix edit", f.code), e.span.clone()));
        }
    };
    for f in &c.findings {
        add("finding", f);
    }
    for s in &c.suppressed {
        add("suppressed", &s.finding);
    }
    for p in &c.problems {
        if let Some(s) = &p.span {
            out.push((format!("problem `{}`", p.message), s.clone()));
        }
    }
    out
}

/// 1-based line and column in characters, counting `\n` and a lone `\r` (old Mac line
/// ends) as line ends (so the `\r` of a CRLF is the last character of its line) and, as
/// editors do, not counting a byte-order mark at the start of the file.
fn naive_position(source: &str, offset: usize) -> (usize, usize) {
    let (mut line, mut col) = (1, 1);
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if i >= offset {
            break;
        }
        if i == 0 && c == '\u{feff}' {
            continue;
        }
        let lone_cr = c == '\r' && chars.peek().is_none_or(|(_, next)| *next != '\n');
        if c == '\n' || lone_cr {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

/// Is `needle` a subsequence of `hay` (every byte, in order)?
fn keeps_every_byte(original: &str, fixed: &str) -> bool {
    let mut rest = fixed.as_bytes().iter();
    original.bytes().all(|b| rest.any(|&x| x == b))
}

fn key(f: &Finding) -> (usize, &'static str, &str) {
    (f.span.start, f.code, f.jurisdiction.as_str())
}

/// The edits `fix::apply` takes (safe ones, deduplicated, in order, overlaps skipped),
/// replicated to map offsets of the original to the fixed text.
fn applied_edits(source: &str, findings: &[Finding]) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    for f in findings {
        let Some(fix) = f
            .fix
            .as_ref()
            .filter(|x| x.applicability == Applicability::Safe)
        else {
            continue;
        };
        for e in &fix.edits {
            if !edits.contains(e) {
                edits.push(e.clone());
            }
        }
    }
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut pos = 0;
    let mut out = Vec::new();
    for e in edits {
        if e.span.start >= pos
            && e.span.end <= source.len()
            && source.is_char_boundary(e.span.start)
            && source.is_char_boundary(e.span.end)
        {
            pos = e.span.end;
            out.push(e);
        }
    }
    out
}

/// Where an offset of the original lands in the fixed text.
fn shifted(applied: &[Edit], offset: usize) -> usize {
    let mut at = offset as isize;
    for e in applied.iter().filter(|e| e.span.end <= offset) {
        at += e.replacement.len() as isize - e.span.len() as isize;
    }
    at as usize
}

// ---------- the properties, as functions (shared by proptest and `explore`) ----------

type Case = (String, &'static str, &'static [&'static str]);

/// (a) and (b): no panic, and every span lies on char boundaries inside the file.
fn spans_are_valid(source: &str, path: &str, js: &[&str]) -> Result<(), String> {
    let c = run(source, path, js);
    for (what, span) in all_spans(&c) {
        span_ok(source, &span).map_err(|e| format!("{what}: {e}"))?;
    }
    Ok(())
}

/// Where a finding quotes the text it points at (`“Use code ANNA20” looks like …`),
/// its span holds that text (case and runs of white space aside).
fn spans_hold_what_they_quote(source: &str, path: &str, js: &[&str]) -> Result<(), String> {
    let c = run(source, path, js);
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    for f in &c.findings {
        let Some(quoted) = f
            .label
            .split_once('“')
            .and_then(|(_, rest)| rest.split_once('”'))
            .map(|(q, _)| q)
        else {
            continue;
        };
        let held = source.get(f.span.clone()).unwrap_or("");
        if norm(held) != norm(quoted) {
            return Err(format!(
                "{} [{}] quotes {quoted:?} but its span {:?} holds {held:?}",
                f.code, f.jurisdiction, f.span
            ));
        }
    }
    Ok(())
}

/// Human, short and JSON output of any check render without a panic.
fn renders(source: &str, path: &str, js: &[&str]) -> Result<(), String> {
    use adlint::report::Format;
    let c = run(source, path, js);
    for format in [Format::Human, Format::Short, Format::Json] {
        let o = adlint::report::outcome(path, source, &c, format, true);
        if o.diagnostics.len() != c.findings.len() {
            return Err("diagnostics lost in rendering".into());
        }
    }
    Ok(())
}

/// (c) `report::position` agrees with a naive count at every character boundary, and
/// clamps past the end.
fn positions_agree(source: &str) -> Result<(), String> {
    for offset in (0..=source.len()).filter(|&o| source.is_char_boundary(o)) {
        let (got, want) = (
            adlint::report::position(source, offset),
            naive_position(source, offset),
        );
        if got != want {
            return Err(format!("offset {offset}: position {got:?}, naive {want:?}"));
        }
    }
    let past = adlint::report::position(source, source.len() + 5);
    if past != naive_position(source, source.len()) {
        return Err(format!("past the end: {past:?}"));
    }
    Ok(())
}

/// (d) findings come sorted, and a second run gives the same output.
fn sorted_and_deterministic(source: &str, path: &str, js: &[&str]) -> Result<(), String> {
    let first = run(source, path, js);
    for pair in first.findings.windows(2) {
        if key(&pair[0]) > key(&pair[1]) {
            return Err(format!(
                "unsorted: {:?} then {:?}",
                key(&pair[0]),
                key(&pair[1])
            ));
        }
    }
    let second = run(source, path, js);
    let problems = |c: &Checked| {
        c.problems
            .iter()
            .map(|p| (p.span.clone(), p.message.clone()))
            .collect::<Vec<_>>()
    };
    if first.findings != second.findings
        || first.suppressed.len() != second.suppressed.len()
        || problems(&first) != problems(&second)
        || first.jurisdictions != second.jurisdictions
        || first.lang != second.lang
    {
        return Err("a second run differs".into());
    }
    Ok(())
}

/// (e) fixing keeps every original byte, in order.
fn fixes_keep_bytes(source: &str, path: &str, js: &[&str], suggested: bool) -> Result<(), String> {
    let c = run(source, path, js);
    let fixed = adlint::fix::apply(source, &c.findings, suggested);
    if !keeps_every_byte(source, &fixed.text) {
        return Err(format!("lost bytes; fixed: {:?}", fixed.text));
    }
    Ok(())
}

/// (e) what Safe fixes fixed stays fixed: when every finding of a code under a
/// jurisdiction came with a Safe fix, the re-check of the fixed text has no finding of
/// that code under that jurisdiction.
fn safe_fixes_fix_their_codes(source: &str, path: &str, js: &[&str]) -> Result<(), String> {
    let c = run(source, path, js);
    let fixed = adlint::fix::apply(source, &c.findings, false);
    let safe = |f: &Finding| {
        f.fix
            .as_ref()
            .is_some_and(|x| x.applicability == Applicability::Safe)
    };
    let claimed: Vec<(&str, &str)> = c
        .findings
        .iter()
        .filter(|f| {
            c.findings
                .iter()
                .filter(|g| g.code == f.code && g.jurisdiction == f.jurisdiction)
                .all(safe)
        })
        .map(|f| (f.code, f.jurisdiction.as_str()))
        .collect();
    let again = run(&fixed.text, path, js);
    for f in &again.findings {
        if claimed.contains(&(f.code, f.jurisdiction.as_str())) {
            return Err(format!(
                "{} [{}] is still reported after its safe fix; fixed: {:?}",
                f.code, f.jurisdiction, fixed.text
            ));
        }
    }
    Ok(())
}

/// (e) finding by finding: a finding whose Safe fix was applied is not reported again
/// at the same place (its offset moved by the edits before it).
fn each_safe_fix_removes_its_finding(source: &str, path: &str, js: &[&str]) -> Result<(), String> {
    let c = run(source, path, js);
    let fixed = adlint::fix::apply(source, &c.findings, false);
    let applied = applied_edits(source, &c.findings);
    let again = run(&fixed.text, path, js);
    for f in &c.findings {
        let Some(fix) = f
            .fix
            .as_ref()
            .filter(|x| x.applicability == Applicability::Safe)
        else {
            continue;
        };
        if !fix.edits.iter().all(|e| applied.contains(e)) {
            continue;
        }
        let moved = shifted(&applied, f.span.start);
        if again
            .findings
            .iter()
            .any(|g| g.code == f.code && g.jurisdiction == f.jurisdiction && g.span.start == moved)
        {
            return Err(format!(
                "{} [{}] at {} is still reported after its safe fix; fixed: {:?}",
                f.code, f.jurisdiction, f.span.start, fixed.text
            ));
        }
    }
    Ok(())
}

/// (e) fixing never breaks the front matter: a post whose front matter parsed still
/// has it, with the same keys, after its fixes.
fn fixes_keep_front_matter(source: &str, path: &str, js: &[&str]) -> Result<(), String> {
    let keys = |text: &str| {
        let doc = adlint::parse::parse(text);
        doc.front_matter
            .map(|fm| fm.fields.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>())
    };
    let Some(before) = keys(source) else {
        return Ok(());
    };
    let c = run(source, path, js);
    for suggested in [false, true] {
        let fixed = adlint::fix::apply(source, &c.findings, suggested);
        if keys(&fixed.text).as_ref() != Some(&before) {
            return Err(format!("the fix broke the front matter: {:?}", fixed.text));
        }
    }
    Ok(())
}

/// (e) fixing is idempotent: `--fix` (fixing until nothing changes) reaches a fixed
/// point, so fixing the fixed text changes nothing.
fn fixing_is_idempotent(source: &str, path: &str, js: &[&str]) -> Result<(), String> {
    let c = run(source, path, js);
    let (once, _) =
        adlint::fix::apply_until_stable(&ENGINE, source, Path::new(path), &settings(js), c, false);
    if !keeps_every_byte(source, &once.text) {
        return Err(format!("lost bytes; fixed: {:?}", once.text));
    }
    let again = run(&once.text, path, js);
    let twice = adlint::fix::apply(&once.text, &again.findings, false);
    if twice.text != once.text {
        return Err(format!(
            "a second fix changes the text\nonce:  {:?}\ntwice: {:?}",
            once.text, twice.text
        ));
    }
    Ok(())
}

// ---------- proptest ----------

/// 200 cases from a fixed seed, so that `cargo test` is fast and never flaky; set
/// `PROPTEST_RNG_SEED` (and `PROPTEST_CASES`) to search elsewhere, or run `explore`.
/// With random seeds the fix properties still fail on about 1 case in 30,000: a
/// component tag alone on its line starts an HTML block, and the marker after it turns
/// that line into a paragraph, which changes how the lines below it parse.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 200;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(SEED);
    }
    config
}

const SEED: u64 = 0xad11;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn check_never_panics_and_spans_are_valid((source, path, js) in case()) {
        prop_assert_eq!(spans_are_valid(&source, path, js), Ok(()), "{:?}", source);
    }

    #[test]
    fn spans_hold_the_text_findings_quote((source, path, js) in case()) {
        prop_assert_eq!(spans_hold_what_they_quote(&source, path, js), Ok(()), "{:?}", source);
    }

    #[test]
    fn rendering_never_panics((source, path, js) in case()) {
        prop_assert_eq!(renders(&source, path, js), Ok(()), "{:?}", source);
    }

    #[test]
    fn position_agrees_with_a_naive_count(source in post()) {
        prop_assert_eq!(positions_agree(&source), Ok(()), "{:?}", source);
    }

    #[test]
    fn findings_are_sorted_and_deterministic((source, path, js) in case()) {
        prop_assert_eq!(sorted_and_deterministic(&source, path, js), Ok(()), "{:?}", source);
    }

    #[test]
    fn fixes_keep_every_byte((source, path, js) in case(), suggested in any::<bool>()) {
        prop_assert_eq!(fixes_keep_bytes(&source, path, js, suggested), Ok(()), "{:?}", source);
    }

    #[test]
    fn safe_fixes_fix_what_they_claim((source, path, js) in case()) {
        prop_assert_eq!(safe_fixes_fix_their_codes(&source, path, js), Ok(()), "{:?}", source);
    }

    #[test]
    fn each_safe_fix_removes_its_own_finding((source, path, js) in case()) {
        prop_assert_eq!(each_safe_fix_removes_its_finding(&source, path, js), Ok(()), "{:?}", source);
    }

    #[test]
    fn fixes_keep_the_front_matter((source, path, js) in case()) {
        prop_assert_eq!(fixes_keep_front_matter(&source, path, js), Ok(()), "{:?}", source);
    }

    #[test]
    fn fixing_twice_changes_nothing((source, path, js) in case()) {
        prop_assert_eq!(fixing_is_idempotent(&source, path, js), Ok(()), "{:?}", source);
    }
}

/// Greedy shrinking of a counterexample: drop chunks of characters (halving the
/// chunk size down to one) while `fails` still holds.
fn minimise(source: &str, fails: &dyn Fn(&str) -> bool) -> String {
    let mut cur: Vec<char> = source.chars().collect();
    let mut size = cur.len().max(1);
    while size >= 1 {
        let mut i = 0;
        while i < cur.len() {
            let end = (i + size).min(cur.len());
            let candidate: String = cur[..i].iter().chain(&cur[end..]).collect();
            if fails(&candidate) {
                cur = candidate.chars().collect();
            } else {
                i += size;
            }
        }
        if size == 1 {
            break;
        }
        size /= 2;
    }
    cur.into_iter().collect()
}

type Property = fn(&str, &str, &[&str]) -> Result<(), String>;

/// Not a test: samples `ADLINT_EXPLORE_CASES` posts (default 2,000), checks every
/// property on each, and prints a few counterexamples of each failing property,
/// shrunk. `ADLINT_EXPLORE_CASES=20000 cargo test --test properties explore --
/// --ignored --nocapture`
#[test]
#[ignore = "exploration tool, not a test"]
fn explore() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let n: usize = std::env::var("ADLINT_EXPLORE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let properties: [(&str, Property); 10] = [
        ("spans", spans_are_valid),
        ("quoted", spans_hold_what_they_quote),
        ("render", renders),
        ("position", |s, _, _| positions_agree(s)),
        ("sorted", sorted_and_deterministic),
        ("bytes", |s, p, j| fixes_keep_bytes(s, p, j, true)),
        ("codes", safe_fixes_fix_their_codes),
        ("each", each_safe_fix_removes_its_finding),
        ("idempotent", fixing_is_idempotent),
        ("front matter", fixes_keep_front_matter),
    ];
    let mut runner = TestRunner::default();
    let strategy = case();
    let mut failures: std::collections::BTreeMap<&str, Vec<(Case, String)>> = Default::default();
    for _ in 0..n {
        let (source, path, js): Case = strategy.new_tree(&mut runner).unwrap().current();
        for (name, property) in properties {
            if let Err(e) = property(&source, path, js) {
                failures
                    .entry(name)
                    .or_default()
                    .push(((source.clone(), path, js), e));
            }
        }
    }
    for (name, mut list) in failures {
        let property = properties.iter().find(|(n, _)| *n == name).unwrap().1;
        list.sort_by_key(|((s, _, _), _)| s.len());
        println!("== {name}: {} of {n} cases fail", list.len());
        let mut shown = std::collections::BTreeSet::new();
        for ((source, path, js), _) in list.iter().take(12) {
            let small = minimise(source, &|s| property(s, path, js).is_err());
            if shown.insert(small.clone()) {
                let e = property(&small, path, js).unwrap_err();
                println!("  {path} {js:?} {small:?}\n    {e}");
            }
        }
    }
}

// ---------- counterexamples found so far ----------
//
// Each is a bug in adlint, not in the property; the test passes once it is fixed.

#[test]
fn fix_keeps_a_front_matter_without_a_final_newline() {
    let post = "---\ntitle: Gesponsert von Nivea\nlang: de\n---";
    assert_eq!(fixes_keep_front_matter(post, "post.md", &["auto"]), Ok(()));
}

#[test]
fn fix_marks_a_link_in_fine_print_once() {
    // A marker in fine print counts next to a link in the same fine print, wherever the
    // fine print ends.
    for post in [
        "<small>[Anker](https://www.amazon.de/dp/B0?tag=x-21)</small>\n",
        "<small>Preis: [Anker](https://www.amazon.de/dp/B0?tag=x-21) für 20 €, Stand heute</small>\n",
        "<small>{{%affiliatelink/%}}</small>",
        "<small><AffiliateLink href=\"https://www.amazon.de/dp/B0?tag=x-21\" /></small>\n",
    ] {
        assert_eq!(
            fixing_is_idempotent(post, "content/de/post.md", &["auto"]),
            Ok(())
        );
        assert_eq!(
            safe_fixes_fix_their_codes(post, "content/de/post.md", &["auto"]),
            Ok(())
        );
    }
    // A marker in fine print next to a link in normal print is still buried.
    let post = "[Anker](https://www.amazon.de/dp/B0?tag=x-21) <small>(Werbelink)</small>\n";
    let c = run(post, "content/de/post.md", &["auto"]);
    assert!(
        c.findings.iter().any(|f| f.code == "AD102"),
        "{:?}",
        c.findings
    );
}

#[test]
fn fix_marks_a_quoted_link_once() {
    let post = "Der Link: \"https://www.amazon.de/dp/B0?tag=x-21\"\n";
    assert_eq!(
        fixing_is_idempotent(post, "content/de/post.md", &["auto"]),
        Ok(())
    );
    assert_eq!(
        each_safe_fix_removes_its_finding(post, "content/de/post.md", &["auto"]),
        Ok(())
    );
    let c = run(post, "content/de/post.md", &["auto"]);
    let fixed = adlint::fix::apply(post, &c.findings, false);
    assert!(
        fixed.text.contains("x-21\" (Werbelink)"),
        "{:?}",
        fixed.text
    );

    // Nor does one inside a shortcode.
    let post = "---\nlang: de\n---\n{{<[l](http://amazon.com/?tag=x)>}}\n";
    assert_eq!(fixing_is_idempotent(post, "post.md", &["de"]), Ok(()));
    assert_eq!(
        each_safe_fix_removes_its_finding(post, "post.md", &["de"]),
        Ok(())
    );

    // Deep inside a long quotation no marker would count: the fix is only suggested.
    let post = "Sie schrieb: \"Kauf ihn hier https://www.amazon.de/dp/B0?tag=x-21 und erzähl allen deinen Freunden und Nachbarn davon, wie gut er ist\"\n";
    let c = run(post, "content/de/post.md", &["auto"]);
    // The link's own AD102 (the post's missing "Werbung" is another, with its own fix).
    let f = c
        .findings
        .iter()
        .find(|f| {
            f.code == "AD102"
                && f.fix
                    .as_ref()
                    .is_some_and(|x| x.title.contains("`(Werbelink)`"))
        })
        .unwrap();
    assert_eq!(
        f.fix.as_ref().map(|x| x.applicability),
        Some(Applicability::Suggested)
    );
    assert_eq!(
        fixing_is_idempotent(post, "content/de/post.md", &["auto"]),
        Ok(())
    );
}

#[test]
fn bare_urls_end_where_the_next_element_starts() {
    let post = "Kauf: https://www.amazon.de/?tag=a<https://example.com/x>\n";
    let doc = adlint::parse::parse(post);
    let bare: Vec<&str> = doc
        .links
        .iter()
        .filter(|l| l.kind == adlint::parse::LinkKind::Bare)
        .map(|l| l.url.as_str())
        .collect();
    assert_eq!(bare, vec!["https://www.amazon.de/?tag=a"]);
    let c = run(post, "content/de/post.md", &["auto"]);
    let fixed = adlint::fix::apply(post, &c.findings, false);
    assert!(!fixed.text.contains("x (Werbelink)>"), "{:?}", fixed.text);

    let doc = adlint::parse::parse("Kauf: https://amzn.to/abc**fett**\n");
    assert_eq!(doc.links[0].url, "https://amzn.to/abc");
}

#[test]
fn safe_fixes_under_two_markets_leave_nothing() {
    // A fix is written in the post's language when the market accepts a label in it.
    for (post, path, js, wanted) in [
        (
            "Mein Tipp: [Anker](https://www.amazon.de/dp/B0?tag=x-21)\n",
            "content/de/post.md",
            &["de", "us"][..],
            &["Dieser Beitrag enthält Affiliate-Links", "(Werbelink)"][..],
        ),
        (
            "Mein Tipp: [Anker](https://www.amazon.de/dp/B0?tag=x-21)\n",
            "content/de/post.md",
            &["us"][..],
            &["Dieser Beitrag enthält Affiliate-Links"][..],
        ),
        (
            "Sponsored by Acme. My tip: [Anker](https://www.amazon.com/dp/B0?tag=x-20)\n",
            "post.md",
            &["de"][..],
            &["**Advertising**", "(affiliate link)"][..],
        ),
    ] {
        let c = run(post, path, js);
        assert!(
            c.findings.iter().all(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|x| x.applicability == Applicability::Safe)
            }),
            "{js:?}: {:?}",
            c.findings
        );
        let fixed = adlint::fix::apply(post, &c.findings, false);
        for w in wanted {
            assert!(fixed.text.contains(w), "{js:?}: {:?}", fixed.text);
        }
        assert!(
            !fixed.text.contains("This post contains"),
            "{:?}",
            fixed.text
        );
        let again = run(&fixed.text, path, js);
        let left: Vec<_> = again
            .findings
            .iter()
            .map(|f| (f.code, &f.jurisdiction))
            .collect();
        assert!(left.is_empty(), "{left:?} after {:?}", fixed.text);
    }
    // No label at the start of the body satisfies `us` when the English title already
    // endorses: the fix is only a suggestion.
    let post = "---\ntitle: Sponsored by Acme\n---\nIch mag die Kamera sehr.\n";
    let c = run(post, "content/de/post.md", &["us"]);
    assert!(!c.findings.is_empty());
    assert!(c.findings.iter().all(|f| {
        f.fix
            .as_ref()
            .is_some_and(|x| x.applicability == Applicability::Suggested)
    }));
}

#[test]
fn fix_reaches_a_fixed_point_in_one_run() {
    let post = "Mein Tipp: [Anker](https://www.amazon.de/dp/B0?tag=x-21) Ad:\n";
    assert_eq!(
        fixing_is_idempotent(post, "content/de/post.md", &["auto"]),
        Ok(())
    );
}

// ---------- issue 16, item 15: fix(fix(x)) == fix(x) ----------

/// Pieces a post with images, paired components and a house pack's links is made of.
const RICH: &[&str] = &[
    "![Anker https://amzn.to/abc](x.png)",
    "![Mein [Anker](https://www.amazon.de/dp/B0?tag=x-21)](x.png)",
    "[![Anker](x.png)](https://www.amazon.de/dp/B0?tag=x-21)",
    "![Foto](https://www.amazon.de/dp/B0?tag=x-21)",
    "<img alt=\"https://amzn.to/q\" src=\"x.png\">",
    "<AffiliateLink href=\"https://www.amazon.de/dp/B0?tag=x-21\">Anker</AffiliateLink>",
    "<AffiliateLink href=\"https://www.amazon.com/dp/B1?tag=y-20\">\nthe bag\n</AffiliateLink>",
    "<Amazon asin=\"B0ABC\">Kamera</Amazon>",
    "<AffiliateLink href=\"https://amzn.to/x\" />",
    "{{< amazon B0ABC >}}",
    "[im Shop](https://go.agentur-nord.example/serum)",
    "https://go.agentur-nord.example/x",
    "<ProductBox url=\"https://www.amazon.de/dp/B0?tag=x-21\">[Anker](https://www.amazon.de/dp/B0?tag=x-21)</ProductBox>",
    "<AffiliateButton href=\"https://amzn.to/x\">\n\nJetzt kaufen\n\n</AffiliateButton>",
    "Glowkind",
    "Nordlicht Reisen",
    "[Anker](https://www.amazon.de/dp/B0?tag=x-21)",
    "Werbung",
    "(Werbelink)",
    "Ich mag die Kamera.",
    "the camera is great",
    "\n",
    "\n\n",
    "- ",
    "> ",
];

/// The house packs of `fixtures/config/`: `house-pack` (`agentur-de`, extending `de`
/// with brands and a link shortener) and `house-marker` (a marker of its own).
static HOUSES: LazyLock<Vec<(Engine, Settings)>> = LazyLock::new(|| {
    ["house-pack", "house-marker"]
        .iter()
        .map(|name| {
            let config = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/config")
                .join(name)
                .join("adlint.toml");
            let settings =
                Settings::resolve(Some(config), None, &adlint::is_rule_code).expect("settings");
            let engine = Engine::new(&settings.extensions).expect("the house pack loads");
            (engine, settings)
        })
        .collect()
});

/// `--fix` once, then a second `--fix` on its result: the second changes nothing.
fn fix_is_a_fixed_point(
    engine: &Engine,
    settings: &Settings,
    source: &str,
    path: &Path,
) -> Result<(), String> {
    let checked = adlint::check(engine, source, path, settings);
    let (once, _) = adlint::fix::apply_until_stable(engine, source, path, settings, checked, false);
    let again = adlint::check(engine, &once.text, path, settings);
    let (twice, _) =
        adlint::fix::apply_until_stable(engine, &once.text, path, settings, again, false);
    if twice.text != once.text {
        return Err(format!(
            "{}: a second --fix changes the text\nonce:  {:?}\ntwice: {:?}",
            path.display(),
            once.text,
            twice.text
        ));
    }
    Ok(())
}

fn rich_post() -> impl Strategy<Value = String> {
    let piece = (
        proptest::sample::select(RICH),
        prop_oneof![3 => Just(" "), 1 => Just("\n"), 1 => Just("\n\n")],
    )
        .prop_map(|(t, s)| format!("{t}{s}"));
    (
        proptest::sample::select(&["---\nlang: de\n---\n", "---\ntitle: Test\n---\n\n", ""][..]),
        proptest::collection::vec(piece, 1..12),
    )
        .prop_map(|(fm, pieces)| format!("{fm}{}", pieces.concat()))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fixing_twice_changes_nothing_with_images_components_and_a_house_pack(
        source in rich_post(),
        path in proptest::sample::select(&["post.md", "post.mdx", "content/de/post.md"][..]),
        house in 0..3usize,
    ) {
        let (engine, settings) = match HOUSES.get(house) {
            Some((e, s)) => (e, s.clone()),
            None => (&*ENGINE, settings(&["auto"])),
        };
        prop_assert_eq!(fix_is_a_fixed_point(engine, &settings, &source, Path::new(path)), Ok(()));
    }
}

/// Every post in `fixtures/`, with the config it sits under (or none).
#[test]
fn fixing_every_fixture_twice_changes_nothing() {
    fn posts(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                posts(&p, out);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("md" | "mdx" | "markdown" | "html")
            ) {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    posts(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut all,
    );
    all.sort();
    let mut engines: std::collections::HashMap<Option<std::path::PathBuf>, (Engine, Settings)> =
        Default::default();
    let mut failures = Vec::new();
    for post in &all {
        let Ok(source) = std::fs::read_to_string(post) else {
            continue;
        };
        let config = adlint::config::find(post.parent().unwrap());
        let (engine, settings) = engines.entry(config.clone()).or_insert_with(|| {
            let settings = Settings::resolve(config, None, &adlint::is_rule_code)
                .unwrap_or_else(|_| settings(&["auto"]));
            let engine = Engine::new(&settings.extensions)
                .unwrap_or_else(|_| Engine::new(&Default::default()).unwrap());
            (engine, settings)
        });
        if let Err(e) = fix_is_a_fixed_point(engine, settings, &source, post) {
            failures.push(e);
        }
    }
    assert!(all.len() > 100, "the fixtures were found");
    assert!(
        failures.is_empty(),
        "{} of {} fixtures:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

/// Item 15's three cases, each fixed once by one `--fix` and never again.
#[test]
fn fix_marks_images_components_and_house_markers_once() {
    let de = settings(&["de"]);
    let once = |engine: &Engine, settings: &Settings, source: &str, path: &str| {
        let path = Path::new(path);
        let c = adlint::check(engine, source, path, settings);
        adlint::fix::apply_until_stable(engine, source, path, settings, c, false)
            .0
            .text
    };
    // A link in alt text is no link: nothing goes into the alt text.
    let post = "---\nlang: de\n---\n**Werbung**\n\n![Mein [Anker](https://www.amazon.de/dp/B0?tag=x-21)](x.png)\n";
    assert_eq!(once(&ENGINE, &de, post, "post.md"), post);
    // A paired component is marked after its closing tag, not in its link text.
    let post = "---\nlang: de\n---\n**Werbung**\n\nMehr <AffiliateLink href=\"https://www.amazon.de/dp/B0?tag=x-21\">im Shop</AffiliateLink> heute.\n";
    let fixed = once(&ENGINE, &de, post, "post.mdx");
    assert!(
        fixed.contains("</AffiliateLink> (Werbelink) heute"),
        "{fixed}"
    );
    assert_eq!(
        fix_is_a_fixed_point(&ENGINE, &de, post, Path::new("post.mdx")),
        Ok(())
    );
    // A house pack's own marker, which no pack recognises: put there once.
    let (engine, settings) = &HOUSES[1];
    let post = "---\nlang: de\n---\n**Werbung**\n\nMehr [im Shop](https://www.amazon.de/dp/B0?tag=x-21).\n";
    let fixed = once(engine, settings, post, "post.md");
    assert_eq!(fixed.matches("(PL)").count(), 1, "{fixed}");
    assert_eq!(
        fix_is_a_fixed_point(engine, settings, post, Path::new("post.md")),
        Ok(())
    );
}

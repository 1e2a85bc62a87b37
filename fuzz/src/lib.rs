//! The bodies of the fuzz targets in `fuzz_targets/`. `tests/fuzz_corpus.rs` in the
//! main crate includes this file as a module and runs every seed and corpus file
//! through the same functions, so a crash the fuzzer found stays a regression test
//! once its input is saved in `fuzz/seeds/<target>/`.
//!
//! Every function takes arbitrary bytes, must never panic, and asserts the
//! properties the rest of adlint relies on: spans are byte ranges on char boundaries
//! inside the file, fixing keeps every byte of the original, fixed text re-checks.

use adlint::Engine;
use adlint::config::Settings;
use adlint::diagnostic::Span;
use adlint::report::Format;
use std::path::Path;
use std::sync::LazyLock;

/// A target's name and body.
pub type Target = (&'static str, fn(&[u8]));

/// The targets, by name, for tests and tools.
pub const TARGETS: &[Target] = &[
    ("parse_post", parse_post),
    ("judge_all_packs", judge_all_packs),
    ("apply_fixes", apply_fixes),
    ("load_config_and_packs", load_config_and_packs),
    ("lsp_message", lsp_message),
];

static ENGINE: LazyLock<Engine> =
    LazyLock::new(|| Engine::new(&Default::default()).expect("the shipped packs load"));

fn settings(jurisdictions: Vec<String>) -> Settings {
    Settings::resolve(None, Some(jurisdictions), &adlint::is_rule_code).expect("settings")
}

static AUTO: LazyLock<Settings> = LazyLock::new(|| settings(vec!["auto".into()]));

static EVERY_PACK: LazyLock<Settings> =
    LazyLock::new(|| settings(ENGINE.rules.jurisdictions.keys().cloned().collect()));

/// The path decides the language when the front matter does not: the first byte picks
/// one, so the fuzzer explores all of them.
const PATHS: &[&str] = &[
    "post.md",
    "content/de/post.md",
    "post.da.md",
    "blog/nl/p.md",
    "it/p.md",
    "fr/p.md",
    "es/p.md",
    "sv/p.md",
    "no/p.md",
    "pl/p.md",
];

fn path_for(data: &[u8]) -> &'static str {
    PATHS[usize::from(data.first().copied().unwrap_or(0)) % PATHS.len()]
}

/// Bytes to text as `adlint check` reads a file: binary and invalid UTF-8 refused.
fn decode(data: &[u8]) -> Option<String> {
    adlint::load::decode(data.to_vec()).ok()
}

fn assert_span(source: &str, span: &Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= source.len(),
        "{what}: span {span:?} outside 0..{}",
        source.len()
    );
    assert!(
        source.is_char_boundary(span.start) && source.is_char_boundary(span.end),
        "{what}: span {span:?} not on char boundaries"
    );
}

/// Every span of a parsed document maps into the file.
fn assert_document(source: &str) {
    let doc = adlint::parse::parse(source);
    assert!(doc.body_start <= source.len() && source.is_char_boundary(doc.body_start));
    for b in &doc.blocks {
        assert_span(source, &b.span, "block");
        let whole = 0..b.text.len();
        assert_span(source, &b.source_span(whole), "block text");
        for r in b.emphasis.iter().chain(&b.fine_print) {
            assert!(r.start <= r.end && r.end <= b.text.len(), "range {r:?}");
            if b.text.is_char_boundary(r.start) && b.text.is_char_boundary(r.end) {
                assert_span(source, &b.source_span(r.clone()), "emphasis or fine print");
            }
        }
        for p in &b.pieces {
            assert!(p.src_start + p.len <= source.len(), "piece {p:?}");
            if p.exact {
                assert_eq!(
                    source.get(p.src_start..p.src_start + p.len),
                    b.text.get(p.text_start..p.text_start + p.len),
                    "an exact piece differs from the source"
                );
            }
        }
    }
    for l in &doc.links {
        assert_span(source, &l.span, "link");
        assert!(l.block < doc.blocks.len(), "link to block {}", l.block);
    }
    for c in &doc.comments {
        assert_span(source, &c.span, "comment");
    }
    for c in &doc.code {
        assert_span(source, c, "code");
    }
}

/// Every span of a check maps into the file, findings are sorted, and every output
/// format renders.
fn assert_checked(source: &str, path: &str, checked: &adlint::Checked) {
    let findings = checked
        .findings
        .iter()
        .chain(checked.suppressed.iter().map(|s| &s.finding));
    for f in findings {
        assert_span(source, &f.span, f.code);
        for s in &f.secondary {
            assert_span(source, &s.span, "secondary");
        }
        for e in f.fix.iter().flat_map(|x| &x.edits) {
            assert_span(source, &e.span, "fix edit");
        }
    }
    for p in &checked.problems {
        if let Some(s) = &p.span {
            assert_span(source, s, "problem");
        }
    }
    for pair in checked.findings.windows(2) {
        assert!(
            pair[0].span.start <= pair[1].span.start,
            "findings unsorted"
        );
    }
    for format in [Format::Human, Format::Short, Format::Json] {
        let o = adlint::report::outcome(path, source, checked, format, true);
        assert_eq!(o.diagnostics.len(), checked.findings.len());
    }
}

/// Is `original` a subsequence of `fixed` (every byte, in order)?
fn keeps_every_byte(original: &str, fixed: &str) -> bool {
    let mut rest = fixed.as_bytes().iter();
    original.bytes().all(|b| rest.any(|&x| x == b))
}

/// Parse and check a post under `auto`, render it in every format.
pub fn parse_post(data: &[u8]) {
    let Some(source) = decode(data) else { return };
    let path = path_for(data);
    assert_document(&source);
    let checked = adlint::check(&ENGINE, &source, Path::new(path), &AUTO);
    assert_checked(&source, path, &checked);
}

/// Check a post under every shipped jurisdiction at once.
pub fn judge_all_packs(data: &[u8]) {
    let Some(source) = decode(data) else { return };
    let path = path_for(data);
    let checked = adlint::check(&ENGINE, &source, Path::new(path), &EVERY_PACK);
    assert_checked(&source, path, &checked);
}

/// Apply the safe fixes (and then every fix): the fixed text keeps every byte of the
/// original in order, and checks again without a problem.
pub fn apply_fixes(data: &[u8]) {
    let Some(source) = decode(data) else { return };
    let path = path_for(data);
    let checked = adlint::check(&ENGINE, &source, Path::new(path), &AUTO);
    for suggested in [false, true] {
        let fixed = adlint::fix::apply(&source, &checked.findings, suggested);
        assert!(
            keeps_every_byte(&source, &fixed.text),
            "fixing lost bytes: {:?} -> {:?}",
            source,
            fixed.text
        );
        let again = adlint::check(&ENGINE, &fixed.text, Path::new(path), &AUTO);
        assert_checked(&fixed.text, path, &again);
    }
    // `--fix` fixes and checks again until nothing changes: still every byte kept.
    let (fixed, again) =
        adlint::fix::apply_until_stable(&ENGINE, &source, Path::new(path), &AUTO, checked, false);
    assert!(
        keeps_every_byte(&source, &fixed.text),
        "fixing until stable lost bytes: {:?} -> {:?}",
        source,
        fixed.text
    );
    assert_checked(&fixed.text, path, &again);
}

/// Arbitrary text as `adlint.toml` and as a house pack; what parses is loaded with the
/// shipped rules.
pub fn load_config_and_packs(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Lines end at `\n` or a lone `\r`, as in `packs::line_col`.
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count();
    match adlint::config::parse(Path::new("adlint.toml"), text) {
        Ok(config) => {
            let ext = adlint::packs::Extensions {
                labels: config.labels,
                affiliate_domains: config.affiliate_domains,
                ..Default::default()
            };
            let _ = Engine::new(&ext);
        }
        Err(e) => {
            if let Some((line, column)) = e.line {
                assert!(line >= 1 && line <= lines && column >= 1, "{e}");
            }
        }
    }
    match adlint::packs::parse_toml::<adlint::packs::PackFile>("house.toml", text) {
        Ok(_) => {
            let ext = adlint::packs::Extensions {
                packs: vec![("house.toml".into(), text.into())],
                ..Default::default()
            };
            let _ = adlint::packs::Rules::load(&ext);
        }
        Err(e) => {
            if let Some((line, column)) = e.line {
                assert!(line >= 1 && line <= lines && column >= 1, "{e}");
            }
        }
    }
}

/// Arbitrary bytes as what an editor sends `adlint lsp`: frames are read until the
/// input ends or a header cannot be followed, never panicking; a body larger than the
/// limit is reported before it is read, then skipped.
pub fn lsp_message(data: &[u8]) {
    use adlint::lsp_frame::{Frame, MAX_MESSAGE, read, skip};
    let mut input = data;
    // Every frame takes at least its blank header line, so this ends.
    while let Ok(Some(frame)) = read(&mut input) {
        match frame {
            Frame::TooLarge(length) => {
                assert!(length > MAX_MESSAGE);
                if !skip(&mut input, length).unwrap_or(false) {
                    break;
                }
            }
            Frame::Malformed(_) => assert!(frame.problem().is_some()),
            Frame::Message(_) => {}
        }
    }
}

//! The speed-ups must never change a result: the trigger-word gates on the regex
//! patterns (`src/detect/triggers.rs`) are compared with the plain reading (every
//! pattern on every block) on every fixture and on a generated corpus of posts stitched
//! from the fixtures' paragraphs. (The form automaton is compared with the
//! aho-corasick crate's in `src/detect/automaton.rs`.)

use adlint::Engine;
use adlint::config::Settings;
use std::path::{Path, PathBuf};

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            markdown_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "mdx" | "markdown" | "html")
        ) {
            out.push(path);
        }
    }
}

/// The fixtures as they are, then posts made of their paragraphs in other orders and
/// combinations (a fixed recipe, so every run checks the same corpus).
fn corpus() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    markdown_files(Path::new("fixtures"), &mut files);
    assert!(files.len() > 100, "fixtures not found");
    let mut posts: Vec<(PathBuf, String)> = files
        .iter()
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(p).ok()?)))
        .collect();
    let paragraphs: Vec<String> = posts
        .iter()
        .flat_map(|(_, text)| {
            let body = text.rsplit("---\n").next().unwrap_or(text);
            body.split("\n\n")
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut seed: u64 = 7;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    for i in 0..400 {
        let count = 1 + next(8);
        let body: Vec<&str> = (0..count)
            .map(|_| paragraphs[next(paragraphs.len())].as_str())
            .collect();
        let lang = ["en", "de", "nl", "da", "it", "fr", "es", "sv", "no", "pl"][next(10)];
        posts.push((
            PathBuf::from(format!("generated/{i}.md")),
            format!(
                "---\ntitle: Post {i}\nlang: {lang}\n---\n\n{}\n",
                body.join("\n\n")
            ),
        ));
    }
    posts
}

fn results(engine: &Engine, posts: &[(PathBuf, String)]) -> Vec<String> {
    let all = engine
        .rules
        .jurisdictions
        .keys()
        .cloned()
        .collect::<Vec<_>>();
    let settings = Settings::resolve(None, Some(all), &adlint::is_rule_code).unwrap();
    posts
        .iter()
        .map(|(path, source)| {
            let checked = adlint::check(engine, source, path, &settings);
            format!(
                "{}: {:?} {:?} {:?}",
                path.display(),
                checked.findings,
                checked.suppressed,
                checked.problems
            )
        })
        .collect()
}

#[test]
fn trigger_gates_change_no_result() {
    let posts = corpus();
    let gated = Engine::new(&Default::default()).unwrap();
    let mut plain = Engine::new(&Default::default()).unwrap();
    plain.vocab.without_triggers();

    let reference = results(&plain, &posts);
    let with_gates = results(&gated, &posts);
    // The corpus must exercise the patterns, or the comparison proves nothing.
    let findings = reference
        .iter()
        .filter(|r| r.contains("code: \"AD"))
        .count();
    assert!(findings > 100, "only {findings} posts with findings");
    for (r, g) in reference.iter().zip(&with_gates) {
        assert_eq!(r, g, "trigger gates changed a result");
    }
}

/// The form automaton finds what the aho-corasick crate finds, with the shipped
/// vocabulary, in every block of the corpus (and in the raw posts, markup and all),
/// lowercased; and the same in ASCII text as it is.
#[test]
fn the_form_automaton_finds_what_aho_corasick_finds() {
    let engine = Engine::new(&Default::default()).unwrap();
    let vocab = &engine.vocab;
    let reference = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(&vocab.words)
        .unwrap();
    let mut compared = 0;
    for (_, source) in corpus() {
        let doc = adlint::parse::parse(&source);
        let raw = doc
            .blocks
            .iter()
            .map(|b| b.text.clone())
            .chain([source.clone()]);
        for raw in raw {
            let text = adlint::detect::fold_case(&raw);
            let find = |haystack: &str| {
                let mut found = Vec::new();
                vocab
                    .matcher
                    .for_each_match(haystack.as_bytes(), |s, e, w| found.push((s, e, w)));
                found.sort_unstable();
                found
            };
            let ours = find(&text);
            let mut theirs: Vec<_> = reference
                .find_overlapping_iter(&text)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            theirs.sort_unstable();
            assert_eq!(ours, theirs, "in {text:?}");
            // ASCII text is searched as it is (detect skips the lowercased copy).
            if raw.is_ascii() {
                assert_eq!(find(&raw), theirs, "in {raw:?}");
            }
            compared += ours.len();
        }
    }
    assert!(compared > 10_000, "only {compared} matches compared");
}

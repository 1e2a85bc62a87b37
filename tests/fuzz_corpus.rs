//! The fuzz targets' bodies (fuzz/src/lib.rs) on every file of `fuzz/seeds/<target>/`
//! (small hostile inputs, committed) and, when present, `fuzz/corpus/<target>/` (what a
//! local fuzzing run collected; git ignores it). A crash the fuzzer finds becomes a
//! regression test by copying its input from `fuzz/artifacts/<target>/` into
//! `fuzz/seeds/<target>/`. See docs/fuzzing.md.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod bodies;

use std::path::{Path, PathBuf};

fn inputs(target: &str, dirs: &[&str]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file()),
        );
    }
    files.sort();
    files
}

fn body(target: &str) -> fn(&[u8]) {
    bodies::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a known target")
        .1
}

fn run(target: &str) {
    let files = inputs(target, &["seeds", "corpus"]);
    assert!(
        !files.is_empty(),
        "no seeds in fuzz/seeds/{target}/: the regression inputs are missing"
    );
    for file in &files {
        // A fuzzer running at the same time may remove corpus files.
        let Ok(data) = std::fs::read(file) else {
            continue;
        };
        let outcome = std::panic::catch_unwind(|| body(target)(&data));
        assert!(outcome.is_ok(), "{target} fails on {}", file.display());
    }
}

#[test]
fn parse_post() {
    run("parse_post");
}

#[test]
fn judge_all_packs() {
    run("judge_all_packs");
}

#[test]
fn apply_fixes() {
    run("apply_fixes");
}

#[test]
fn load_config_and_packs() {
    run("load_config_and_packs");
}

#[test]
fn lsp_message() {
    run("lsp_message");
}

/// Inputs that crash adlint today, kept in `fuzz/known-crashes/<target>/`. Once a bug
/// is fixed, move its inputs to `fuzz/seeds/<target>/`.
#[test]
#[ignore = "BUG: known crashes, see fuzz/known-crashes/"]
fn known_crashes() {
    let mut failing = Vec::new();
    for (target, body) in bodies::TARGETS {
        for file in inputs(target, &["known-crashes"]) {
            let data = std::fs::read(&file).unwrap();
            if std::panic::catch_unwind(|| body(&data)).is_err() {
                failing.push(file.display().to_string());
            }
        }
    }
    assert!(failing.is_empty(), "still crashing: {failing:#?}");
}

//! The fuzz targets' bodies (fuzz/src/lib.rs) on every file of `fuzz/seeds/<target>/`
//! (small hostile inputs, committed) and, when present, `fuzz/corpus/<target>/` (what a
//! local fuzzing run collected; git ignores it). A crash the fuzzer finds becomes a
//! regression test by copying its input from `fuzz/artifacts/<target>/` into
//! `fuzz/seeds/<target>/`. See docs/fuzzing.md.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod bodies;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["seeds", "corpus"] {
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

fn run(target: &str) {
    let body = bodies::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a known target")
        .1;
    let files = inputs(target);
    assert!(
        !files.is_empty(),
        "no seeds in fuzz/seeds/{target}/: the regression inputs are missing"
    );
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let outcome = std::panic::catch_unwind(|| body(&data));
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

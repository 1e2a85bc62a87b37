//! Times each stage over a folder: `cargo run --release --example stage_times -- DIR`.
use std::time::{Duration, Instant};
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let engine = adlint::Engine::new(&Default::default()).unwrap();
    let settings = adlint::config::Settings::resolve(None, None, &adlint::is_rule_code).unwrap();
    let ascii: Vec<regex::Regex> = engine
        .vocab
        .patterns
        .iter()
        .map(|p| regex::Regex::new(&p.source.as_str().replace("\\b", "(?-u:\\b)")).unwrap())
        .collect();
    let (files, _) = adlint::discover::discover(&[dir.into()], &settings);
    let (mut parse, mut ac, mut set, mut all) = (
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        let t = Instant::now();
        let doc = adlint::parse::parse(&src);
        parse += t.elapsed();
        for b in &doc.blocks {
            let t = Instant::now();
            let folded = adlint::detect::fold_case(&b.text);
            let mut n = 0usize;
            engine
                .vocab
                .matcher
                .for_each_match(folded.as_bytes(), |_, _, _| n += 1);
            std::hint::black_box(n);
            ac += t.elapsed();
            let t = Instant::now();
            if std::env::var("MODE").as_deref() == Ok("each") {
                for p in &engine.vocab.patterns {
                    let _ = p.regex().is_match(&b.text);
                }
            } else if std::env::var("MODE").as_deref() == Ok("ascii") {
                for p in &ascii {
                    let _ = p.is_match(&b.text);
                }
            }
            set += t.elapsed();
        }
        let t = Instant::now();
        let _ = adlint::check(&engine, &src, f, &settings);
        all += t.elapsed();
    }
    println!(
        "files {} parse {parse:?} ac {ac:?} regexset {set:?} check {all:?}",
        files.len()
    );
}

#[allow(dead_code)]
fn unused() {}

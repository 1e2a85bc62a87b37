//! How many patterns get literal anchors: `cargo run --release --example anchors`.
use regex_syntax::hir::literal::{ExtractKind, Extractor};
fn main() {
    let engine = adlint::Engine::new(&Default::default()).unwrap();
    let mut with = 0;
    for p in &engine.vocab.patterns {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(&p.source)
            .unwrap();
        let mut ex = Extractor::new();
        ex.kind(ExtractKind::Prefix)
            .limit_total(512)
            .limit_class(64);
        let seq = ex.extract(&hir);
        let lits: Option<Vec<String>> = seq.literals().map(|l| {
            l.iter()
                .map(|x| String::from_utf8_lossy(x.as_bytes()).to_lowercase())
                .collect()
        });
        match lits {
            Some(l) if !l.is_empty() && l.iter().all(|s| s.trim().len() >= 2) => {
                let mut u = l.clone();
                u.sort();
                u.dedup();
                with += 1;
                println!("{} anchors e.g. {:?}", u.len(), &u[..u.len().min(5)]);
            }
            _ => println!("NONE: {}", p.source.chars().take(60).collect::<String>()),
        }
    }
    println!("{with}/{} patterns anchored", engine.vocab.patterns.len());
}

//! How often each pattern's trigger words open it, over the posts named on stdin:
//! `find CORPUS -name '*.md' | cargo run --release --example trigger_stats`.
use std::io::BufRead;
fn main() {
    let engine = adlint::Engine::new(&Default::default()).unwrap();
    let vocab = &engine.vocab;
    let mut opened = vec![0usize; vocab.patterns.len()];
    let mut blocks = 0usize;
    for line in std::io::stdin().lock().lines() {
        let Ok(source) = std::fs::read_to_string(line.unwrap()) else {
            continue;
        };
        let doc = adlint::parse::parse(&source);
        for b in &doc.blocks {
            blocks += 1;
            let folded = adlint::detect::fold_case(&b.text);
            let mut seen = vec![0u8; vocab.patterns.len()];
            vocab
                .matcher
                .for_each_match(folded.as_bytes(), |_, _, word| {
                    for &(p, bit) in &vocab.opens[word] {
                        seen[p] |= bit;
                    }
                });
            for (i, s) in seen.iter().enumerate() {
                opened[i] += usize::from(*s == vocab.needs[i] && *s != 0);
            }
        }
    }
    let mut order: Vec<usize> = (0..opened.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(opened[i]));
    println!("{blocks} blocks");
    for i in order.into_iter().take(15) {
        let p = &vocab.patterns[i];
        println!(
            "{:6} {} {}",
            opened[i],
            vocab.languages[p.lang],
            p.source.chars().take(100).collect::<String>()
        );
    }
}

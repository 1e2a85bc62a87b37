//! How the form automaton spends its time over a folder (words, bytes, matches):
//! `cargo run --release --example ac_stats -- DIR`.
use std::time::{Duration, Instant};
fn main() {
    let dir = std::env::args().nth(1).expect("a folder");
    let engine = adlint::Engine::new(&Default::default()).unwrap();
    engine.vocab.speed_up();
    let settings = adlint::config::Settings::resolve(None, None, &adlint::is_rule_code).unwrap();
    let (files, _) = adlint::discover::discover(&[dir.into()], &settings);
    let vocab = &engine.vocab;
    println!(
        "automaton: {} words, {} bytes of heap",
        vocab.entries.len(),
        vocab.matcher.memory_usage()
    );
    let (mut blocks, mut bytes, mut matches, mut form_matches) = (0usize, 0usize, 0usize, 0usize);
    let mut t_fold = Duration::ZERO;
    let mut t_ac = Duration::ZERO;
    let mut per_word = vec![0usize; vocab.entries.len()];
    for f in &files {
        let src = adlint::load::load(f).unwrap();
        let doc = adlint::parse::parse_as(&src, adlint::parse::Syntax::of(f));
        for b in &doc.blocks {
            blocks += 1;
            bytes += b.text.len();
            let t = Instant::now();
            let folded = adlint::detect::fold_case(&b.text);
            t_fold += t.elapsed();
            let t = Instant::now();
            for m in vocab.matcher.find_overlapping_iter(&folded) {
                matches += 1;
                per_word[m.pattern().as_usize()] += 1;
                form_matches += usize::from(!vocab.entries[m.pattern().as_usize()].is_empty());
            }
            t_ac += t.elapsed();
        }
    }
    println!(
        "{} files, {blocks} blocks, {bytes} bytes of block text, {matches} matches ({form_matches} forms); fold {:?}, automaton {:?}",
        files.len(),
        t_fold,
        t_ac
    );
    // The same words, other automata: time only.
    let texts: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let src = adlint::load::load(f).unwrap();
            let doc = adlint::parse::parse_as(&src, adlint::parse::Syntax::of(f));
            doc.blocks
                .iter()
                .map(|b| adlint::detect::fold_case(&b.text))
                .collect::<Vec<_>>()
        })
        .collect();
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
    for (name, kind, depth) in [
        ("dfa", AhoCorasickKind::DFA, 3),
        ("cnfa d2", AhoCorasickKind::ContiguousNFA, 2),
        ("cnfa d3", AhoCorasickKind::ContiguousNFA, 3),
        ("cnfa d5", AhoCorasickKind::ContiguousNFA, 5),
        ("nnfa d3", AhoCorasickKind::NoncontiguousNFA, 3),
    ] {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .dense_depth(depth)
            .build(&vocab.words)
            .unwrap();
        let t = Instant::now();
        let mut n = 0;
        for text in &texts {
            n += ac.find_overlapping_iter(text).count();
        }
        println!(
            "{name}: {} bytes, {:?}, {n} matches",
            ac.memory_usage(),
            t.elapsed()
        );
    }
    let mut order: Vec<usize> = (0..per_word.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(per_word[i]));
    for i in order.into_iter().take(25) {
        println!("{:8} {:?}", per_word[i], vocab.words[i]);
    }
}

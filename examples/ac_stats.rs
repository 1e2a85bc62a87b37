//! How the form automaton spends its time over a folder (words, bytes, matches), and
//! the same words in the aho-corasick crate's automata, for comparison:
//! `cargo run --release --example ac_stats -- DIR`.
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).expect("a folder");
    let t = Instant::now();
    let engine = adlint::Engine::new(&Default::default()).unwrap();
    println!("engine built in {:?}", t.elapsed());
    let settings = adlint::config::Settings::resolve(None, None, &adlint::is_rule_code).unwrap();
    let (files, _) = adlint::discover::discover(&[dir.into()], &settings);
    let vocab = &engine.vocab;
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
    let bytes: usize = texts.iter().map(String::len).sum();
    let longest = vocab.words.iter().map(String::len).max().unwrap_or(0);
    let long_bytes: usize = texts
        .iter()
        .map(String::len)
        .filter(|&l| l >= 2 * longest + 64)
        .sum();
    println!(
        "longest word {longest} bytes; {:.0}% of block bytes in blocks of {} bytes or more",
        100.0 * long_bytes as f64 / bytes as f64,
        2 * longest + 64
    );
    let per_byte = |d: std::time::Duration| d.as_nanos() as f64 / bytes as f64;
    let t = Instant::now();
    let ours = adlint::detect::automaton::FormAutomaton::new(&vocab.words).unwrap();
    println!(
        "{} words, {} blocks, {bytes} bytes of block text; form automaton: {} states, {} bytes, built in {:?}",
        vocab.words.len(),
        texts.len(),
        ours.states(),
        ours.memory_usage(),
        t.elapsed()
    );
    let mut per_word = vec![0usize; vocab.words.len()];
    let t = Instant::now();
    let mut n = 0;
    for text in &texts {
        ours.for_each_match(text.as_bytes(), |_, _, w| {
            n += 1;
            per_word[w] += 1;
        });
    }
    let e = t.elapsed();
    println!(
        "form automaton: {e:?} ({:.2} ns/byte), {n} matches",
        per_byte(e)
    );
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
    for (name, kind) in [
        ("aho-corasick dfa", AhoCorasickKind::DFA),
        (
            "aho-corasick contiguous nfa",
            AhoCorasickKind::ContiguousNFA,
        ),
    ] {
        let t = Instant::now();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&vocab.words)
            .unwrap();
        let built = t.elapsed();
        let t = Instant::now();
        let mut n = 0;
        for text in &texts {
            n += ac.find_overlapping_iter(text).count();
        }
        let e = t.elapsed();
        println!(
            "{name}: {} bytes, built in {built:?}; {e:?} ({:.2} ns/byte), {n} matches",
            ac.memory_usage(),
            per_byte(e)
        );
    }
    let mut order: Vec<usize> = (0..per_word.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(per_word[i]));
    for i in order.into_iter().take(25) {
        println!("{:8} {:?}", per_word[i], vocab.words[i]);
    }
}

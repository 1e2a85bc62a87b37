//! Where start-up time goes: `cargo run --release --example startup`.
use std::time::Instant;
fn main() {
    let t = Instant::now();
    let rules = adlint::packs::Rules::shipped().unwrap();
    let load = t.elapsed();
    let t = Instant::now();
    let vocab = adlint::detect::Vocabulary::new(&rules);
    let compile = t.elapsed();
    let t = Instant::now();
    let _ = vocab
        .patterns
        .iter()
        .filter(|p| p.regex().is_match("x"))
        .count();
    let first_use = t.elapsed();
    println!(
        "load {load:?} vocabulary {compile:?} first regex use {first_use:?} patterns {}",
        vocab.patterns.len()
    );
}

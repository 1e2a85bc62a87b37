//! The trigger word sets of every language pattern (what opens it), one line each:
//! `cargo run --release --example pattern_triggers`.
fn main() {
    let engine = adlint::Engine::new(&Default::default()).unwrap();
    for lang in &engine.rules.languages {
        for p in &lang.patterns {
            let sets = adlint::detect::trigger_words(&p.regex).unwrap_or_default();
            let shown: Vec<String> = sets
                .iter()
                .map(|s| {
                    let mut s = s.clone();
                    s.truncate(8);
                    format!("{{{}}}", s.join("|"))
                })
                .collect();
            let src: String = p.regex.chars().take(60).collect();
            println!("{} {} {}", lang.lang, shown.join(" & "), src);
        }
    }
}

//! Prints the words that can make a post relevant (label and signal forms, each
//! pattern's first trigger set, affiliate hosts, shortcode names), one per line with a
//! tag: `cargo run --release --example needles`.
fn main() {
    let engine = adlint::Engine::new(&Default::default()).unwrap();
    let v = &engine.vocab;
    for (i, entries) in v.entries.iter().enumerate() {
        if entries.iter().any(|e| {
            matches!(
                e.meaning,
                adlint::detect::vocabulary::Meaning::Label { .. }
                    | adlint::detect::vocabulary::Meaning::Signal { .. }
            )
        }) {
            println!("form\t{}", v.words[i]);
        }
    }
    for p in &v.patterns {
        match adlint::detect::trigger_words(&p.source) {
            Some(sets) => println!(
                "pattern\t{}",
                sets.iter()
                    .map(|s| s.join("|"))
                    .collect::<Vec<_>>()
                    .join("\t")
            ),
            None => println!("unanchored\t{}", p.source),
        }
    }
    for n in &engine.rules.networks {
        println!(
            "network\t{}\t{}\t{}",
            n.hosts.join("|"),
            n.query.join("|"),
            n.paths.join("|")
        );
    }
    for s in engine
        .rules
        .shortcodes
        .disclosure
        .iter()
        .chain(&engine.rules.shortcodes.links)
    {
        println!("shortcode\t{s}");
    }
    for k in &engine.rules.front_matter.flag_keys {
        println!("flagkey\t{k}");
    }
    for t in &engine.rules.theme_labels {
        println!("theme\t{t:?}");
    }
}

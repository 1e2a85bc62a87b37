//! The trigger words of every shipped pattern (`src/detect/triggers.rs`):
//! `cargo run --release --example anchors`.
fn main() {
    let rules = adlint::packs::Rules::shipped().unwrap();
    let mut with = 0;
    let mut total = 0;
    for lang in &rules.languages {
        for p in &lang.patterns {
            total += 1;
            match adlint::detect::trigger_words(&p.regex) {
                Some(sets) => {
                    with += 1;
                    println!("{} {:?}", lang.lang, sets);
                }
                None => println!("{} NONE: {}", lang.lang, p.regex),
            }
        }
    }
    println!("{with}/{total} patterns have trigger words");
}

//! Prints what detection sees in a post: `cargo run --example debug_signals -- FILE [LANG]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = adlint::Engine::new(&Default::default()).unwrap();
    let source = std::fs::read_to_string(&args[1]).unwrap();
    let doc = adlint::parse::parse_as(
        &source,
        adlint::parse::Syntax::of(std::path::Path::new(&args[1])),
    );
    let lang = args.get(2).and_then(|l| engine.vocab.lang_index(l));
    for (i, b) in doc.blocks.iter().enumerate() {
        println!(
            "block {:?} {:?} idx={} words_before={} {:?}",
            b.kind,
            b.visibility,
            b.index,
            doc.words_before(i),
            b.text.chars().take(80).collect::<String>()
        );
    }
    let s = adlint::detect::detect(&doc, &engine.vocab, &engine.rules, lang);
    for l in &s.labels {
        println!(
            "label {} lang={} pos={} vis={:?} title={} buried={:?} labelpos={} {:?}",
            engine.vocab.label_id(l.id),
            engine.vocab.languages[l.lang],
            l.word_pos,
            l.visibility,
            l.in_title,
            l.buried,
            l.in_label_position,
            l.text
        );
    }
    for e in &s.endorsements {
        println!(
            "endorsement {:?} {:?} asterisk={} nearby={:?}",
            e.kind, e.text, e.asterisk, e.nearby_labels
        );
    }
}

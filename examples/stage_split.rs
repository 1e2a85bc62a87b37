//! Splits one thread's time over the stages of `check`, on a folder:
//! `cargo run --release --example stage_split -- DIR`.
use std::time::{Duration, Instant};
fn main() {
    let dir = std::env::args().nth(1).expect("a folder");
    let engine = adlint::Engine::new(&Default::default()).unwrap();
    let settings = adlint::config::Settings::resolve(None, None, &adlint::is_rule_code).unwrap();
    let t = Instant::now();
    let (files, _) = adlint::discover::discover(&[dir.into()], &settings);
    println!("discover {:?}", t.elapsed());
    let mut t_load = Duration::ZERO;
    let mut t_parse = Duration::ZERO;
    let mut t_lang = Duration::ZERO;
    let mut t_detect = Duration::ZERO;
    let mut t_judge = Duration::ZERO;
    let mut t_check = Duration::ZERO;
    let us = &engine.rules.jurisdictions["us"];
    let de = &engine.rules.jurisdictions["de"];
    for f in &files {
        let t = Instant::now();
        let src = adlint::load::load(f).unwrap();
        t_load += t.elapsed();
        let t = Instant::now();
        let doc = adlint::parse::parse_as(&src, adlint::parse::Syntax::of(f));
        t_parse += t.elapsed();
        let t = Instant::now();
        let text = doc.visible_text(4000);
        let lang = engine.languages.detect(&text).unwrap_or("en").to_string();
        t_lang += t.elapsed();
        let post_lang = engine.vocab.lang_index(&lang);
        let t = Instant::now();
        let signals = adlint::detect::detect(&doc, &engine.vocab, &engine.rules, post_lang);
        t_detect += t.elapsed();
        let t = Instant::now();
        let case = adlint::judge::Case {
            doc: &doc,
            signals: &signals,
            vocab: &engine.vocab,
            rules: &engine.rules,
            post_lang,
            messages: adlint::messages::MessageLanguage::Post
                .catalog(post_lang.map(|l| engine.rules.languages[l].lang.as_str())),
        };
        let n = adlint::judge::judge(&case, us).len() + adlint::judge::judge(&case, de).len();
        std::hint::black_box(n);
        t_judge += t.elapsed();
        let t = Instant::now();
        std::hint::black_box(adlint::check(&engine, &src, f, &settings));
        t_check += t.elapsed();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "files {} load {:.0} parse {:.0} lang {:.0} detect {:.0} judge {:.0} | check {:.0} (rest {:.0}) ms",
        files.len(),
        ms(t_load),
        ms(t_parse),
        ms(t_lang),
        ms(t_detect),
        ms(t_judge),
        ms(t_check),
        ms(t_check) - ms(t_parse) - ms(t_lang) - ms(t_detect) - ms(t_judge)
    );
}

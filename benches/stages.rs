//! Each stage of the pipeline on one 5 KB and one 1 MB post, and the start-up cost.
//!
//! `cargo bench --bench stages` (add `-- --quick` for a short run). Throughput is
//! reported in bytes of the post, so criterion prints MB/s next to each stage.
//! docs/performance.md explains the numbers.

use adlint::config::Settings;
use adlint::report::{self, Format};
use adlint::{Engine, detect, judge, parse};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

/// Front matter, written once at the top of every post.
const FRONT_MATTER: &str = r#"---
title: "Drei Powerbanks und ein Rucksack im Alltagstest"
date: 2026-03-14
lang: de
tags: [technik, test, reisen]
description: "Welche Powerbank lohnt sich für Pendler? Ein Test im Alltag."
---

"#;

/// One section of a realistic German blog post with an English part: inline links,
/// an affiliate link with and one without a marker, a sponsorship phrase, a discount
/// code, a late label, emphasis, inline code, an image, an HTML comment, a list and a
/// table. Repeated to make the 5 KB and the 1 MB post.
const SECTION: &str = r#"*In Kooperation mit Anker*

Meine Empfehlung ist [die Anker 737](https://www.amazon.de/dp/B09VPHVT2Z?tag=technikkram-21), aber der Reihe nach. Seit Januar schleppe ich drei Powerbanks mit mir herum: im Rucksack auf dem Weg ins Büro, auf zwei Zugfahrten nach Hamburg und einmal beim Zelten im Harz. Gemessen habe ich nichts im Labor, sondern ganz einfach: Wie oft lädt das Ding mein Handy, wie schnell ist es selbst wieder voll, und nervt es im Alltag?

## Anker 737: der Brocken

Mit 24.000 mAh ist die Anker nichts für die Hosentasche. Dafür lädt sie mein **Pixel** gut viermal und nebenbei noch die Kopfhörer. Das kleine Display zeigt die Leistung in Watt an, was ich anfangs für Spielerei hielt und inzwischen ständig benutze. Den Ladestand lese ich mit `upower -d` am Notebook aus.

![Die Anker 737 neben einem Notizbuch](/images/anker-737.jpg "Foto: eigene Aufnahme")

## INIU 10.000 mAh: die Leichte

[Die INIU-Powerbank](https://www.amazon.de/dp/B08VDK2CRN?tag=technikkram-21) (Werbelink) wiegt kaum mehr als ein Smartphone und verschwindet in jeder Jackentasche. Zwei volle Ladungen sind drin, mehr nicht. Mit dem Rabattcode POWER15 bekommt ihr bis Ende des Monats 15 Prozent Rabatt im [INIU-Shop](https://www.iniushop.example/de/powerbanks).

<!-- Notiz an mich: Fotos vom Harz noch nachreichen -->

| Modell | Kapazität | Gewicht |
|---|---:|---:|
| Anker 737 | 24.000 mAh | 630 g |
| INIU | 10.000 mAh | 180 g |

## A note for my English readers

This section was sponsored by Acme Outdoor, who sent me their new daypack to test. I carried it for three weeks on the train and on a weekend in the mountains. The straps are comfortable, the laptop sleeve fits a 14-inch notebook, and the side pockets hold a bottle each. You can find it [on Amazon](https://www.amazon.com/dp/B0ACMEPACK?tag=techblog-20). #ad

- leicht und flach
- lädt auch Notebooks
- wird beim Laden warm

Wer nur ein Handy laden will, nimmt die INIU. Wer Notebook und Handy versorgen muss und das Gewicht nicht scheut, wird mit der Anker glücklich. Habt ihr eine Lieblings-Powerbank? Schreibt es mir in die Kommentare!

**Werbung**

"#;

/// Front matter, then the section's paragraphs, over and over, until the post has at
/// least `size` bytes.
fn post(size: usize) -> String {
    let mut s = String::from(FRONT_MATTER);
    for paragraph in SECTION.split_inclusive("\n\n").cycle() {
        if s.len() >= size {
            break;
        }
        s.push_str(paragraph);
    }
    s
}

const PATH: &str = "content/de/posts/2026/powerbanks.md";

fn sizes() -> Vec<(&'static str, String)> {
    vec![("5KB", post(5_000)), ("1MB", post(1_000_000))]
}

fn settings(jurisdictions: &[&str]) -> Settings {
    Settings::resolve(
        None,
        Some(jurisdictions.iter().map(|j| j.to_string()).collect()),
        &adlint::is_rule_code,
    )
    .expect("the shipped jurisdictions resolve")
}

fn bench_engine(c: &mut Criterion) {
    c.bench_function("engine_new", |b| {
        b.iter(|| Engine::new(black_box(&Default::default())).unwrap())
    });
}

fn bench_stages(c: &mut Criterion) {
    let engine = Engine::new(&Default::default()).unwrap();
    let one = settings(&["us", "de"]);
    let all_codes: Vec<&str> = engine
        .rules
        .jurisdictions
        .keys()
        .map(String::as_str)
        .collect();
    let all = settings(&all_codes);
    let post_lang = engine.vocab.lang_index("de");
    let de = &engine.rules.jurisdictions["de"];
    let path = Path::new(PATH);

    for (name, source) in sizes() {
        let mut g = c.benchmark_group(format!("post_{name}"));
        g.throughput(Throughput::Bytes(source.len() as u64));
        if source.len() > 100_000 {
            g.sample_size(10);
        }

        g.bench_with_input(BenchmarkId::from_parameter("parse"), &source, |b, s| {
            b.iter(|| parse::parse(black_box(s)))
        });

        let doc = parse::parse(&source);
        g.bench_with_input(BenchmarkId::from_parameter("detect"), &doc, |b, doc| {
            b.iter(|| detect::detect(black_box(doc), &engine.vocab, &engine.rules, post_lang))
        });

        let signals = detect::detect(&doc, &engine.vocab, &engine.rules, post_lang);
        let case = judge::Case {
            doc: &doc,
            signals: &signals,
            vocab: &engine.vocab,
            rules: &engine.rules,
            post_lang,
            messages: adlint::messages::MessageLanguage::Post
                .catalog(post_lang.map(|l| engine.rules.languages[l].lang.as_str())),
        };
        g.bench_function(BenchmarkId::from_parameter("judge_de"), |b| {
            b.iter(|| judge::judge(black_box(&case), de))
        });

        g.bench_with_input(
            BenchmarkId::from_parameter("check_us_de"),
            &source,
            |b, s| b.iter(|| adlint::check(&engine, black_box(s), path, &one)),
        );
        g.bench_with_input(
            BenchmarkId::from_parameter("check_all_packs"),
            &source,
            |b, s| b.iter(|| adlint::check(&engine, black_box(s), path, &all)),
        );

        let checked = adlint::check(&engine, &source, path, &one);
        eprintln!(
            "post_{name}: {} bytes, {} blocks, {} links, {} endorsements, {} labels, {} findings under us,de",
            source.len(),
            doc.blocks.len(),
            doc.links.len(),
            signals.endorsements.len(),
            signals.labels.len(),
            checked.findings.len()
        );
        g.bench_function(BenchmarkId::from_parameter("render_human"), |b| {
            b.iter(|| report::outcome(PATH, &source, black_box(&checked), Format::Human, false))
        });
        g.finish();
    }
}

/// Posts of one long block, the shapes that made matches rescan their block (each one
/// took seconds to minutes at 1 MB before `src/detect/facts.rs`): a paragraph of
/// sponsor phrases and codes, a link list in one paragraph, a wall of hashtags,
/// emphasised labels.
fn long_blocks() -> Vec<(&'static str, String)> {
    let one_block = |unit: &str| {
        let mut s = String::from(FRONT_MATTER);
        while s.len() < 250_000 {
            s.push_str(unit);
        }
        s
    };
    vec![
        (
            "phrases",
            one_block("Sponsored by Acme, use code SAVE10 and thanks to Acme for the gift "),
        ),
        (
            "links",
            one_block(
                "[x](https://www.amazon.de/dp/B0?tag=a-21) (Werbelink) [y](https://shop.example/p) ",
            ),
        ),
        (
            "hashtags",
            one_block("#ad #werbung #anzeige #sponsored #gifted "),
        ),
        (
            "emphasis",
            one_block("*Werbung* and **Anzeige** in a *sentence* "),
        ),
    ]
}

fn bench_long_blocks(c: &mut Criterion) {
    let engine = Engine::new(&Default::default()).unwrap();
    let one = settings(&["us", "de"]);
    let path = Path::new(PATH);
    let mut g = c.benchmark_group("one_250KB_block");
    g.sample_size(10);
    for (name, source) in long_blocks() {
        g.throughput(Throughput::Bytes(source.len() as u64));
        g.bench_with_input(BenchmarkId::new("check_us_de", name), &source, |b, s| {
            b.iter(|| adlint::check(&engine, black_box(s), path, &one))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_engine, bench_stages, bench_long_blocks);
criterion_main!(benches);

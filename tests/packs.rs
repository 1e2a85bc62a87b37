//! Meta-tests over the data in rules/: every pack and language file loads, every label
//! is used by some pack, every pack cites its sources.

use adlint::Engine;
use std::collections::BTreeSet;

#[test]
fn every_shipped_file_loads_and_validates() {
    // Unknown label ids, unknown references, bad regexes and unknown keys fail here.
    let engine = Engine::new(&Default::default()).expect("rules/ loads");
    assert!(engine.rules.jurisdictions.len() >= 18);
    assert_eq!(engine.rules.languages.len(), 10);
    assert!(engine.rules.networks.len() >= 25);
}

#[test]
fn every_shipped_pattern_parses_and_compiles() {
    // Start-up does not parse the built-in regexes twice (docs/performance.md): this test
    // is where a bad one is caught, with its file and text.
    let engine = Engine::new(&Default::default()).unwrap();
    let mut bad = Vec::new();
    for lang in &engine.rules.languages {
        for p in &lang.patterns {
            if let Err(e) = regex::Regex::new(&p.regex) {
                bad.push(format!(
                    "rules/languages/{}.toml: `{}`: {e}",
                    lang.lang, p.regex
                ));
            }
        }
    }
    for n in &engine.rules.networks {
        for p in [&n.path_pattern, &n.query_pattern].into_iter().flatten() {
            if let Err(e) = regex::Regex::new(p) {
                bad.push(format!(
                    "rules/affiliate-networks.toml `{}`: `{p}`: {e}",
                    n.id
                ));
            }
        }
        assert!(
            n.id == "custom" || n.source.is_some() || n.hosts.iter().all(|h| h != "*"),
            "network `{}` matches any host and must say where its link shape comes from",
            n.id
        );
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn every_label_is_used_by_some_pack() {
    let engine = Engine::new(&Default::default()).unwrap();
    let mut used = BTreeSet::new();
    for j in engine.rules.jurisdictions.values() {
        used.extend(j.labels.accepted.iter().cloned());
        used.extend(j.labels.insufficient.iter().map(|r| r.id.clone()));
        used.extend(j.labels.ambiguous.iter().map(|r| r.id.clone()));
        used.extend(j.affiliate.markers.iter().cloned());
        used.extend(j.affiliate.notices.iter().cloned());
    }
    let unused: Vec<&String> = engine
        .rules
        .label_kinds
        .keys()
        .filter(|id| !used.contains(*id))
        .collect();
    assert!(
        unused.is_empty(),
        "labels no pack accepts or rejects: {unused:?}"
    );
}

#[test]
fn every_pack_has_references_with_sources() {
    let engine = Engine::new(&Default::default()).unwrap();
    for j in engine.rules.jurisdictions.values() {
        assert!(!j.references.is_empty(), "{} has no references", j.code);
        assert!(
            j.last_checked.is_some(),
            "{} has no last_checked date",
            j.code
        );
        for r in &j.references {
            assert!(
                r.url.as_deref().is_some_and(|u| u.starts_with("http")),
                "{}: reference {} has no URL",
                j.code,
                r.id
            );
        }
        for r in j.labels.insufficient.iter().chain(&j.labels.ambiguous) {
            assert!(
                !r.reason.trim().is_empty(),
                "{}: {} has no reason",
                j.code,
                r.id
            );
        }
    }
}

#[test]
fn every_language_market_is_a_pack_and_every_network_id_is_unique() {
    let engine = Engine::new(&Default::default()).unwrap();
    for l in &engine.rules.languages {
        assert!(
            engine.rules.jurisdictions.contains_key(&l.market),
            "{} → {}",
            l.lang,
            l.market
        );
        assert!(
            l.stopwords.len() >= 40,
            "{}: too few stop words to detect the language",
            l.lang
        );
    }
    let mut ids = BTreeSet::new();
    for n in &engine.rules.networks {
        assert!(ids.insert(&n.id), "network {} twice", n.id);
    }
}

/// The language detector tells the ten languages apart on a paragraph.
#[test]
fn language_detection_on_a_paragraph() {
    let engine = Engine::new(&Default::default()).unwrap();
    let samples = [
        (
            "en",
            "I have been using this backpack for three months now and I think it is the best one that I have ever owned.",
        ),
        (
            "de",
            "Ich habe diesen Rucksack jetzt seit drei Monaten und finde, dass er der beste ist, den ich je hatte.",
        ),
        (
            "nl",
            "Ik gebruik deze rugzak nu al drie maanden en ik vind het de beste die ik ooit heb gehad.",
        ),
        (
            "da",
            "Jeg har brugt denne rygsæk i tre måneder nu, og jeg synes, det er den bedste, jeg nogensinde har haft.",
        ),
        (
            "sv",
            "Jag har använt den här ryggsäcken i tre månader nu och jag tycker att det är den bästa jag någonsin haft.",
        ),
        (
            "no",
            "Jeg har brukt denne sekken i tre måneder nå, og jeg synes det er den beste jeg noen gang har hatt.",
        ),
        (
            "it",
            "Uso questo zaino da tre mesi e penso che sia il migliore che abbia mai avuto, anche per le gite.",
        ),
        (
            "fr",
            "J'utilise ce sac à dos depuis trois mois et je pense que c'est le meilleur que j'ai jamais eu.",
        ),
        (
            "es",
            "Llevo tres meses usando esta mochila y creo que es la mejor que he tenido nunca, también para viajar.",
        ),
        (
            "pl",
            "Używam tego plecaka od trzech miesięcy i myślę, że jest najlepszy, jaki kiedykolwiek miałem.",
        ),
    ];
    for (lang, text) in samples {
        assert_eq!(engine.languages.detect(text), Some(lang), "{text}");
    }
}

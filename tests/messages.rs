//! The message catalogs (`rules/messages/<lang>.toml`, issue 18 item 13): every
//! language has every key of English with the same placeholders, names every market and
//! language, and translates only prose that a shipped pack has.

use adlint::messages::{Catalog, Catalogs, placeholders};
use adlint::packs::LabelVerdict;
use std::collections::BTreeSet;

fn engine() -> adlint::Engine {
    adlint::Engine::new(&Default::default()).unwrap()
}

fn catalogs() -> Vec<&'static Catalog> {
    let all = Catalogs::get();
    all.codes().map(|c| all.find(c).unwrap()).collect()
}

#[test]
fn every_post_language_has_a_catalog() {
    let engine = engine();
    let codes: BTreeSet<&str> = Catalogs::get().codes().collect();
    for language in &engine.rules.languages {
        assert!(
            codes.contains(language.lang.as_str()),
            "no rules/messages/{}.toml",
            language.lang
        );
    }
    for c in catalogs() {
        let file = format!("rules/messages/{}.toml", c.lang());
        assert!(codes.contains(c.lang()), "{file}: `lang` is not its name");
    }
}

#[test]
fn every_key_in_every_language_with_the_same_placeholders() {
    let en = Catalogs::get().english();
    for c in catalogs().into_iter().filter(|c| !c.is_english()) {
        let lang = c.lang();
        let missing: Vec<&String> = en
            .file
            .messages
            .keys()
            .filter(|k| !c.file.messages.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "{lang}.toml lacks {missing:?}");
        let extra: Vec<&String> = c
            .file
            .messages
            .keys()
            .filter(|k| !en.file.messages.contains_key(*k))
            .collect();
        assert!(extra.is_empty(), "{lang}.toml has keys en.toml lacks: {extra:?}");
        for (key, template) in &en.file.messages {
            let want: BTreeSet<&str> = placeholders(template).into_iter().collect();
            let got: BTreeSet<&str> = placeholders(&c.file.messages[key]).into_iter().collect();
            assert_eq!(got, want, "{lang}.toml `{key}`: placeholders differ from en.toml");
        }
        assert_eq!(
            c.file.rules.keys().collect::<Vec<_>>(),
            en.file.rules.keys().collect::<Vec<_>>(),
            "{lang}.toml [rules]"
        );
    }
}

#[test]
fn english_headlines_are_the_registry_summaries() {
    let en = Catalogs::get().english();
    for rule in adlint::judge::registry::ALL {
        assert_eq!(
            en.file.rules.get(rule.code).map(String::as_str),
            Some(rule.summary),
            "en.toml [rules] {}",
            rule.code
        );
    }
    assert_eq!(en.file.rules.len(), adlint::judge::registry::ALL.len());
}

#[test]
fn messages_follow_the_convention() {
    // No final period (STYLE.md); sentences from a pack's prose may have one.
    for c in catalogs() {
        for (key, text) in c.file.messages.iter().chain(&c.file.rules) {
            assert!(
                !text.ends_with('.') && !text.ends_with(' ') && !text.is_empty(),
                "{}.toml `{key}`: {text:?}",
                c.lang()
            );
        }
    }
}

#[test]
fn every_market_and_language_is_named() {
    let engine = engine();
    for c in catalogs().into_iter().filter(|c| !c.is_english()) {
        for code in engine.rules.jurisdictions.keys() {
            assert!(
                c.file.jurisdictions.contains_key(code),
                "{}.toml [jurisdictions] lacks {code}",
                c.lang()
            );
        }
        for language in &engine.rules.languages {
            assert!(
                c.file.languages.contains_key(&language.lang),
                "{}.toml [languages] lacks {}",
                c.lang(),
                language.lang
            );
        }
        let unknown: Vec<&String> = c
            .file
            .jurisdictions
            .keys()
            .filter(|k| !engine.rules.jurisdictions.contains_key(*k))
            .collect();
        assert!(unknown.is_empty(), "{}.toml: {unknown:?}", c.lang());
    }
}

#[test]
fn pack_prose_is_translated_only_where_the_pack_has_it() {
    let engine = engine();
    for c in catalogs() {
        let lang = c.lang();
        for (code, texts) in &c.file.packs {
            let j = engine
                .rules
                .jurisdictions
                .get(code)
                .unwrap_or_else(|| panic!("{lang}.toml [packs.{code}]: no such pack"));
            assert!(
                texts.placement.is_none() || j.placement.text.is_some(),
                "{lang}.toml [packs.{code}] placement: the pack has no placement text"
            );
            for id in texts.reasons.keys() {
                assert!(
                    matches!(
                        j.verdict(id),
                        LabelVerdict::Insufficient(_) | LabelVerdict::Ambiguous(_)
                    ),
                    "{lang}.toml [packs.{code}.reasons] {id}: the pack gives no reason for it"
                );
            }
        }
    }
}

#[test]
fn each_language_translates_its_own_market() {
    // The prose a post in this language meets first: its market's placement and summary.
    let engine = engine();
    for c in catalogs().into_iter().filter(|c| !c.is_english()) {
        let market = &engine.rules.language(c.lang()).unwrap().market;
        let texts = c
            .pack(market)
            .unwrap_or_else(|| panic!("{}.toml has no [packs.{market}]", c.lang()));
        assert!(texts.placement.is_some() && texts.summary.is_some());
    }
}

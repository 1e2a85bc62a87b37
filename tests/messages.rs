//! The message catalogs (`rules/messages/<lang>.toml`, issue 18 item 13): every
//! language has every key of English with the same placeholders, names every market and
//! language, and translates only prose that a shipped pack has.

use adlint::messages::{Catalog, Catalogs, placeholders};
use adlint::packs::LabelVerdict;
use std::collections::BTreeSet;

mod common;
use common::{adlint, stdout};

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
        assert!(
            extra.is_empty(),
            "{lang}.toml has keys en.toml lacks: {extra:?}"
        );
        for (key, template) in &en.file.messages {
            let want: BTreeSet<&str> = placeholders(template).into_iter().collect();
            let got: BTreeSet<&str> = placeholders(&c.file.messages[key]).into_iter().collect();
            assert_eq!(
                got, want,
                "{lang}.toml `{key}`: placeholders differ from en.toml"
            );
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

// ---------- the binary: `--message-language`, `message_language`, snapshots ----------

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One fixture post's human output, without the timed summary line.
fn human(fixture: &str, extra: &[&str]) -> String {
    let mut args = vec!["check", fixture, "--color", "never", "--no-config", "-q"];
    args.extend(extra);
    let o = adlint(&args, repo());
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stdout(&o));
    stdout(&o)
}

const GERMAN_POST: &str = "---\ntitle: Powerbanks im Test\nlang: de\n---\nMeine Empfehlung: [Anker](https://www.amazon.de/dp/B0?tag=blog-21)\n";

#[test]
fn message_language_flag_chooses_the_words() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("post.md"), GERMAN_POST).unwrap();
    std::fs::write(
        p.join("en.md"),
        "---\nlang: en\n---\nMy pick: [Anker](https://www.amazon.com/dp/B0?tag=blog-20)\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "post.md", "--no-config", "-q", "--format", "short"];
        args.extend(extra);
        stdout(&adlint(&args, p))
    };
    // Default and `post`: the post's language.
    let default = run(&[]);
    assert!(
        default.contains("error[AD102] Affiliate-Link ohne Kennzeichnung: dieser Link trägt einen Affiliate-Tag von Amazon Associates"),
        "{default}"
    );
    assert_eq!(run(&["--message-language", "post"]), default);
    // `en`: English, byte for byte what adlint wrote before messages were translated.
    let en = run(&["--message-language", "en"]);
    assert!(
        en.contains("error[AD102] affiliate link without a disclosure: this link carries an Amazon Associates affiliate tag"),
        "{en}"
    );
    // A code: that language for every post, an English one too.
    let de = stdout(&adlint(
        &[
            "check",
            "en.md",
            "--no-config",
            "-q",
            "--format",
            "short",
            "--message-language",
            "de",
        ],
        p,
    ));
    assert!(de.contains("Affiliate-Link ohne Kennzeichnung"), "{de}");
    let it = run(&["--message-language", "IT"]);
    assert!(it.contains("link affiliato senza segnalazione"), "{it}");
    // An English post stays English by default.
    let en_post = stdout(&adlint(
        &["check", "en.md", "--no-config", "-q", "--format", "short"],
        p,
    ));
    assert!(
        en_post.contains("affiliate link without a disclosure"),
        "{en_post}"
    );

    // A language without messages is refused with the choices (clap: exit 2).
    let o = adlint(
        &[
            "check",
            "post.md",
            "--no-config",
            "--message-language",
            "xx",
        ],
        p,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`xx` is not a message language: use `post`, `en` or one of da, de, es"),
        "{err}"
    );
}

#[test]
fn message_language_config_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("post.md"), GERMAN_POST).unwrap();
    std::fs::write(p.join("adlint.toml"), "message_language = \"en\"\n").unwrap();
    let short = |args: &[&str]| {
        let mut all = vec!["check", "post.md", "-q", "--format", "short"];
        all.extend(args);
        stdout(&adlint(&all, p))
    };
    assert!(short(&[]).contains("affiliate link without a disclosure"));
    // The flag wins over the config.
    assert!(short(&["--message-language", "post"]).contains("Affiliate-Link ohne Kennzeichnung"));
    std::fs::write(p.join("adlint.toml"), "message_language = \"nl\"\n").unwrap();
    assert!(short(&[]).contains("affiliatelink zonder vermelding"));
    // JSON carries the headline, label, note and help in the message language; the
    // code, name and jurisdiction stay as they are.
    let json: serde_json::Value = serde_json::from_str(&stdout(&adlint(
        &["check", "post.md", "-q", "--format", "json"],
        p,
    )))
    .unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "AD102");
    assert_eq!(d["name"], "undisclosed-affiliate-link");
    assert_eq!(d["jurisdiction"], "de");
    assert_eq!(d["message"], "affiliatelink zonder vermelding");
    assert!(
        d["note"].as_str().unwrap().contains("in Duitsland (DE)"),
        "{d}"
    );

    std::fs::write(p.join("adlint.toml"), "message_language = \"klingon\"\n").unwrap();
    let o = adlint(&["check", "post.md"], p);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("message_language: `klingon` is not a message language"),
        "{err}"
    );
}

#[test]
fn german_finding() {
    insta::assert_snapshot!(
        "german_finding",
        human("fixtures/rules/AD201/fire/de-werbung-am-ende.md", &[])
    );
}

#[test]
fn dutch_finding() {
    insta::assert_snapshot!(
        "dutch_finding",
        human(
            "fixtures/rules/AD303/fire/nl-bedankt-voor-de-samenwerking.md",
            &[]
        )
    );
}

#[test]
fn italian_finding() {
    insta::assert_snapshot!(
        "italian_finding",
        human("fixtures/rules/AD302/fire/it-advertising-inglese.md", &[])
    );
}

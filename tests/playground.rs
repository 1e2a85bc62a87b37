//! The playground's entry (`src/playground.rs`), natively: the JSON it answers is the
//! `--format json` report of the same post, fixes are those of `--fix`, and no request
//! (not JSON, wrong types, unknown markets, odd text) makes it panic: in WebAssembly a
//! panic would abort the page's module. The WebAssembly build itself is compared with
//! the binary on every fixture by scripts/playground.sh.

use adlint::Engine;
use adlint::playground::{check_json, info_json};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> =
    LazyLock::new(|| Engine::new(&Default::default()).expect("the shipped packs load"));

fn ask(request: Value) -> Value {
    let answer = check_json(&ENGINE, &request.to_string());
    serde_json::from_str(&answer).unwrap_or_else(|e| panic!("not JSON ({e}): {answer}"))
}

const GERMAN: &str = "Meine Empfehlung ist [die Anker 737](https://www.amazon.de/dp/B09VPHVT2Z?tag=technikkram-21), weil sie ein Notebook in zwei Stunden lädt und trotzdem ins Handgepäck darf. Ich habe sie auf Reisen mitgenommen.\n";

#[test]
fn a_german_post_gets_the_reports_of_the_cli() {
    let answer = ask(json!({ "text": GERMAN, "jurisdictions": ["de"] }));
    let report = &answer["report"];
    assert_eq!(report["version"], 1);
    assert_eq!(report["files_checked"], 1);
    let codes: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["jurisdiction"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(codes, [("AD102", "de"), ("AD102", "de")]);
    assert_eq!(report["diagnostics"][0]["path"], "post.md");
    assert_eq!(answer["lang"], "de");
    assert_eq!(answer["lang_source"], "detected");
    assert_eq!(answer["jurisdictions"], json!(["de"]));
    assert!(answer.get("fixed").is_none());
    // The keys of `adlint check --format json`, in its order.
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    let mut want = vec![
        "diagnostics",
        "files_checked",
        "problems",
        "summary",
        "suppressed",
        "version",
    ];
    want.sort();
    let mut got: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn auto_judges_by_the_language_and_a_path_can_name_it() {
    let answer = ask(json!({ "text": GERMAN }));
    assert_eq!(answer["jurisdictions"], json!(["de"]));
    let answer = ask(
        json!({ "text": "Just a post.\n", "path": "content/nl/post.md", "jurisdictions": ["auto", "us"] }),
    );
    assert_eq!(answer["lang"], "nl");
    assert_eq!(answer["lang_source"], "path");
    assert_eq!(answer["jurisdictions"], json!(["nl", "us"]));
}

#[test]
fn fixes_are_those_of_fix() {
    let all = ask(json!({ "text": GERMAN, "jurisdictions": ["de"], "fix": true }));
    let fixed = &all["fixed"];
    let text = fixed["text"].as_str().unwrap();
    assert!(text.starts_with("**Werbung**"), "{text}");
    assert!(text.contains("(Werbelink)"), "{text}");
    assert_eq!(fixed["report"]["diagnostics"], json!([]));
    assert_eq!(fixed["applied"].as_array().unwrap().len(), 2);

    // One fix: only the marker after the link.
    let report = &all["report"]["diagnostics"];
    let marker = (0..2)
        .find(|&i| {
            report[i]["fix"]["title"]
                .as_str()
                .unwrap()
                .contains("Werbelink")
        })
        .unwrap();
    let one =
        ask(json!({ "text": GERMAN, "jurisdictions": ["de"], "fix": true, "fixes": [marker] }));
    let text = one["fixed"]["text"].as_str().unwrap();
    assert!(
        text.contains("(Werbelink)") && !text.contains("**Werbung**"),
        "{text}"
    );
    assert_eq!(
        one["fixed"]["report"]["diagnostics"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // An index past the end fixes nothing.
    let none = ask(json!({ "text": GERMAN, "fix": true, "fixes": [99] }));
    assert_eq!(none["fixed"]["text"], GERMAN);
    assert_eq!(none["fixed"]["applied"], json!([]));
}

#[test]
fn bad_requests_are_errors_not_panics() {
    for (request, says) in [
        ("", "bad request"),
        ("null", "bad request"),
        ("[]", "bad request"),
        ("{\"text\": 5}", "bad request"),
        ("{\"text\": \"x\", \"colour\": 1}", "unknown field"),
        ("{\"text\": \"x\", \"jurisdictions\": [\"ger\"]}", "ger"),
        ("{\"text\": \"x\", \"fixes\": [-1]}", "bad request"),
    ] {
        let answer: Value = serde_json::from_str(&check_json(&ENGINE, request)).unwrap();
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(says), "{request}: {answer}");
    }
    let huge = "a".repeat(adlint::playground::MAX_TEXT + 1);
    let answer = ask(json!({ "text": huge }));
    assert!(answer["error"].as_str().unwrap().contains("bytes"));
}

#[test]
fn info_lists_markets_and_languages() {
    let info: Value = serde_json::from_str(&info_json(&ENGINE)).unwrap();
    let markets = info["markets"].as_array().unwrap();
    assert!(
        markets
            .iter()
            .any(|m| m["code"] == "de" && m["name"] == "Germany")
    );
    let languages = info["languages"].as_array().unwrap();
    assert!(
        languages
            .iter()
            .any(|l| l["code"] == "de" && l["market"] == "de")
    );
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
}

const PIECES: &[&str] = &[
    "---\n",
    "lang: de\n",
    "jurisdiction: [de, xx]\n",
    "title: Werbung\n",
    "Werbung",
    "**Anzeige**",
    "[Link](https://www.amazon.de/dp/B0?tag=x-21)",
    "(Werbelink)",
    "<!-- adlint-disable AD102 -- ok -->",
    "<!-- adlint-enable -->",
    "Code: ANNA20",
    "\n\n",
    "\r\n",
    "ä🚀\u{202e}",
    "`code`",
    "```\n",
    "<a href=\"https://amzn.to/x\">x</a>",
    "#ad ",
    "In Kooperation mit Samsung",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the post, markets, path and fix choice: JSON back, never a panic.
    #[test]
    fn any_request_gets_an_answer(
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..24),
        noise in ".{0,40}",
        markets in prop::collection::vec(prop::sample::select(&["auto", "de", "us", "nl", "", " DE ", "zz"][..]), 0..3),
        path in prop::sample::select(&["post.md", "", "de/p.md", "a.html", "../x.mdx", "/", "p.de.md"][..]),
        fix in any::<bool>(),
        fixes in prop::collection::vec(0usize..6, 0..3),
        unsafe_fixes in any::<bool>(),
    ) {
        let text = format!("{}{noise}", pieces.concat());
        let request = json!({
            "text": text, "path": path, "jurisdictions": markets,
            "fix": fix, "fixes": fixes, "unsafe_fixes": unsafe_fixes, "today": "2026-02-30",
        });
        let answer: Value = serde_json::from_str(&check_json(&ENGINE, &request.to_string())).unwrap();
        prop_assert!(answer.get("report").is_some() || answer.get("error").is_some());
    }

    /// Arbitrary text as the request itself.
    #[test]
    fn any_text_as_a_request_gets_an_answer(request in ".{0,200}") {
        let answer: Value = serde_json::from_str(&check_json(&ENGINE, &request)).unwrap();
        prop_assert!(answer.get("error").is_some() || answer.get("report").is_some());
    }
}

//! adlint: an ad-disclosure compliance linter for blog posts written in Markdown.
//!
//! The pipeline runs one way, one module per stage:
//! [`discover`] → [`load`] → [`parse`] → [`detect`] → [`judge`] → [`report`].
//! The library never prints; `src/main.rs` is only the command line.
//!
//! ```
//! use adlint::{Engine, config::Settings};
//! use std::path::Path;
//!
//! let engine = Engine::new(&Default::default()).unwrap();
//! let settings = Settings::resolve(None, Some(vec!["de".into()]), &adlint::is_rule_code).unwrap();
//! let post = "---\ntitle: Powerbanks im Test\n---\nMeine Empfehlung: [Anker](https://www.amazon.de/dp/B0?tag=blog-21)\n";
//! let checked = adlint::check(&engine, post, Path::new("powerbanks.md"), &settings);
//! assert_eq!(checked.findings[0].code, "AD102");
//! ```

// The library never prints: output is the binary's (`main.rs`, `run.rs`, `lsp.rs`).
#![deny(clippy::print_stdout)]

pub mod baseline;
pub mod config;
pub mod dates;
pub mod detect;
pub mod diagnostic;
pub mod discover;
pub mod docs;
pub mod fix;
pub mod git;
pub mod judge;
pub mod load;
#[cfg(feature = "cli")]
pub mod lsp_frame;
pub mod messages;
pub mod output;
pub mod packs;
pub mod parse;
pub mod playground;
pub mod positions;
pub mod report;
pub mod site;
pub mod suppress;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

use config::Settings;
use detect::Vocabulary;
use diagnostic::{Finding, Severity, Span};
use packs::{Extensions, PackError, Rules};
use parse::lang::{LangSource, LanguageModel};
use std::path::Path;

/// The rules compiled once per run and shared by every thread.
#[derive(Debug, Clone)]
pub struct Engine {
    pub rules: Rules,
    pub vocab: Vocabulary,
    pub languages: LanguageModel,
}

impl Engine {
    pub fn new(ext: &Extensions) -> Result<Engine, PackError> {
        let rules = Rules::load(ext)?;
        let vocab = Vocabulary::new(&rules);
        let languages = LanguageModel::new(
            rules
                .languages
                .iter()
                .map(|l| (l.lang.as_str(), l.stopwords.as_slice())),
        );
        Ok(Engine {
            rules,
            vocab,
            languages,
        })
    }
}

/// Is this a rule code or a code prefix (`AD1`, `AD102`, `all`)?
pub fn is_rule_code(code: &str) -> bool {
    let code = code.to_ascii_uppercase();
    code == "ALL"
        || (code.len() >= 2
            && judge::registry::ALL
                .iter()
                .any(|r| r.code.starts_with(&code)))
}

/// A problem that is not a rule finding: a broken front matter, an unknown code in a
/// suppression comment, an unknown jurisdiction in front matter.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub span: Option<Span>,
    pub message: String,
    /// A setting in the post that adlint cannot follow (an unknown jurisdiction): the
    /// run ends with exit 2, as for a bad `-j`, rather than pass quietly.
    #[serde(skip)]
    pub fails_run: bool,
}

/// A finding that a comment or the front matter switched off, with its reason.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: Option<String>,
}

/// The result of checking one post.
#[derive(Debug, Clone)]
pub struct Checked {
    pub lang: Option<String>,
    pub lang_source: LangSource,
    pub jurisdictions: Vec<String>,
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    pub problems: Vec<Problem>,
    /// A draft: `draft: true`, `published: false`, in a `_drafts/` folder (Jekyll), or
    /// dated after today (not published yet).
    pub draft: bool,
}

/// Checks one post: parse, detect, judge under each jurisdiction, apply severities
/// and suppressions. Never panics and never fails: problems are part of the result.
pub fn check(engine: &Engine, source: &str, path: &Path, settings: &Settings) -> Checked {
    let doc = parse::parse_as(source, parse::Syntax::of(path));
    let mut problems = Vec::new();
    if let Some(e) = &doc.front_matter_error {
        problems.push(Problem {
            severity: Severity::Error,
            span: Some(e.offset..e.offset),
            message: if e.body_checked {
                format!("{}; the body was checked without it", e.message)
            } else {
                e.message.clone()
            },
            fails_run: false,
        });
    }
    let fm = doc.front_matter.as_ref();
    let fm_str = |key: &str| {
        fm.and_then(|f| f.get(key))
            .and_then(|v| v.as_str())
            .map(|s| s.trim().to_ascii_lowercase())
    };

    // The post's language: front matter, then path, then the words of the text.
    let (lang, lang_source) = if let Some(l) = fm_str("lang").or_else(|| fm_str("language")) {
        let primary = l.split(['-', '_']).next().unwrap_or("").to_string();
        if engine.languages.knows(&primary) {
            (Some(primary), LangSource::FrontMatter)
        } else {
            problems.push(Problem {
                severity: Severity::Warning,
                span: fm.and_then(|f| f.get("lang").or(f.get("language"))).and_then(|v| v.span()),
                message: format!("front matter `lang: {l}` is not a language adlint knows; the language was detected from the text"),
                fails_run: false,
            });
            detect_lang(engine, &doc)
        }
    } else if let Some(l) = engine.languages.from_path(&settings.relative(path)) {
        (Some(l.to_string()), LangSource::Path)
    } else {
        detect_lang(engine, &doc)
    };
    let post_lang = lang.as_deref().and_then(|l| engine.vocab.lang_index(l));

    // The jurisdictions: the run's list, with `auto` replaced by the post's market.
    let mut jurisdictions: Vec<String> = Vec::new();
    for j in settings.jurisdictions_for(path) {
        if j == "auto" {
            let from_fm: Vec<String> = fm
                .and_then(|f| f.get("jurisdiction").or(f.get("jurisdictions")))
                .map(|v| {
                    v.strings()
                        .iter()
                        .flat_map(|(s, _)| s.split(','))
                        .map(|s| s.trim().to_ascii_lowercase())
                        .collect()
                })
                .unwrap_or_default();
            let valid: Vec<String> = from_fm
                .iter()
                .filter(|c| engine.rules.jurisdictions.contains_key(c.as_str()))
                .cloned()
                .collect();
            for code in from_fm.iter().filter(|c| !valid.contains(c)) {
                // An unknown code is an error, not a skipped post: `ger` must not let an
                // untagged Amazon link pass with exit 0.
                problems.push(Problem {
                    severity: Severity::Error,
                    span: fm
                        .and_then(|f| f.get("jurisdiction").or(f.get("jurisdictions")))
                        .and_then(|v| v.span()),
                    message: format!(
                        "front matter names unknown jurisdiction `{code}`{}; the post was checked under {}",
                        engine
                            .rules
                            .suggest_jurisdiction(code)
                            .map(|c| format!(" (did you mean `{c}`?)"))
                            .unwrap_or_else(|| " (`adlint jurisdictions` lists the codes)".into()),
                        if valid.is_empty() {
                            "the market of its language"
                        } else {
                            "the others it names"
                        }
                    ),
                    fails_run: true,
                });
            }
            if valid.is_empty() {
                let market = lang
                    .as_deref()
                    .and_then(|l| engine.rules.language(l))
                    .map_or("us".to_string(), |l| l.market.clone());
                jurisdictions.push(market);
            } else {
                jurisdictions.extend(valid);
            }
        } else {
            jurisdictions.push(j.clone());
        }
    }
    jurisdictions.dedup();

    let signals = detect::detect(&doc, &engine.vocab, &engine.rules, post_lang);
    let case = judge::Case {
        doc: &doc,
        signals: &signals,
        vocab: &engine.vocab,
        rules: &engine.rules,
        post_lang,
        messages: settings.message_language.catalog(lang.as_deref()),
    };
    let mut all = Vec::new();
    for code in &jurisdictions {
        if let Some(j) = engine.rules.jurisdictions.get(code) {
            all.extend(judge::judge(&case, j));
        }
    }

    // Suppressions: comments in the post, and `adlint: { ignore: [...] }` in front matter.
    let (directives, directive_problems) = suppress::directives(source, &doc.comments, &|c| {
        judge::registry::find(c).is_some()
    });
    problems.extend(directive_problems.into_iter().map(|p| Problem {
        severity: Severity::Warning,
        span: Some(p.span),
        message: p.message,
        fails_run: false,
    }));
    let ignored: Vec<String> = fm
        .and_then(|f| f.get("adlint"))
        .and_then(|a| a.get("ignore"))
        .map(|v| {
            v.strings()
                .iter()
                .map(|(s, _)| s.trim().to_ascii_uppercase())
                .collect()
        })
        .unwrap_or_default();
    let mut findings = Vec::new();
    let mut suppressed = Vec::new();
    for mut f in all {
        let default = judge::registry::find(f.code).map_or(f.severity, |r| r.severity);
        let Some(severity) = settings.severity_for(path, f.code, default) else {
            continue;
        };
        f.severity = severity;
        if ignored.iter().any(|c| f.code.starts_with(c.as_str())) {
            suppressed.push(Suppressed {
                finding: f,
                reason: Some("front matter `adlint: ignore`".into()),
            });
        } else if let Some(d) = suppress::suppressing(&directives, f.code, f.span.start) {
            suppressed.push(Suppressed {
                reason: d.reason.clone(),
                finding: f,
            });
        } else {
            findings.push(f);
        }
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.code, &a.jurisdiction).cmp(&(b.span.start, b.code, &b.jurisdiction))
    });
    let draft = fm
        .and_then(|f| f.get("draft"))
        .is_some_and(|v| v.is_truthy())
        || fm
            .and_then(|f| f.get("published"))
            .is_some_and(|v| matches!(v, parse::Value::Bool(false, _)))
        // From the site's root: `cd _drafts && adlint check .` still checks drafts.
        || settings
            .relative(path)
            .components()
            .any(|c| c.as_os_str() == "_drafts")
        || dates::is_future(fm, path, dates::Day::today());
    Checked {
        draft,
        lang,
        lang_source,
        jurisdictions,
        findings,
        suppressed,
        problems,
    }
}

fn detect_lang(engine: &Engine, doc: &parse::Document) -> (Option<String>, LangSource) {
    match engine.languages.detect(&doc.visible_text(4000)) {
        Some(l) => (Some(l.to_string()), LangSource::Detected),
        None => (Some("en".to_string()), LangSource::Default),
    }
}

//! The browser playground's entry (docs/playground.md): one post in, the report
//! `adlint check --format json` prints for it out, with the safe fixes applied on
//! request. JSON text in and out, so the WebAssembly build (`src/wasm.rs`) needs no
//! binding generator; the same functions run natively in `tests/playground.rs`.
//!
//! Nothing here judges: it calls [`crate::check`], [`crate::report::outcome`],
//! [`crate::report::json::render`] and [`crate::fix`], as `adlint check` does.

use crate::config::Settings;
use crate::report::{self, Format, Summary};
use crate::{Engine, check, fix};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::path::Path;

/// What the page asks for.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Request {
    /// The post, as the blogger pasted it.
    pub text: String,
    /// The file name the post is checked as (`post.md`): its extension decides Markdown
    /// or HTML, and a language folder in it (`de/post.md`) the language, as on disk.
    pub path: Option<String>,
    /// Markets to judge by (`-j`); empty or `["auto"]` judges the post by its language.
    pub jurisdictions: Vec<String>,
    /// Apply the fixes too: every safe one (`--fix`) when `fixes` is empty, otherwise
    /// those of the diagnostics at these indexes (of `report.diagnostics`).
    pub fix: bool,
    pub fixes: Vec<usize>,
    /// Take the suggested fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// Today, `YYYY-MM-DD`, for posts dated in the future (drafts): WebAssembly has no
    /// clock.
    pub today: Option<String>,
}

/// The default file name: a Markdown post with no language in its path.
pub const DEFAULT_PATH: &str = "post.md";

/// The largest post the playground checks: a hundred times a long post. The page
/// keeps a few copies of the text, and a tab has far less memory than a CLI run.
pub const MAX_TEXT: usize = 8 << 20;

#[derive(Serialize)]
struct Response<'a> {
    /// The report `adlint check --format json` prints for this post.
    report: Box<RawValue>,
    /// The language the post was read in, and where that came from.
    lang: Option<&'a str>,
    lang_source: &'static str,
    /// The markets the post was judged by (`auto` resolved).
    jurisdictions: &'a [String],
    /// The text with the fixes applied and the report on it, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<Fixed>,
}

#[derive(Serialize)]
struct Fixed {
    text: String,
    /// The titles of the fixes applied, in order (empty: nothing to fix).
    applied: Vec<String>,
    report: Box<RawValue>,
}

#[derive(Serialize)]
struct Failure {
    error: String,
}

/// Checks one post; the answer is JSON: the response above, or `{"error": "…"}` for a
/// request that cannot be followed (not JSON, an unknown market). Never panics.
pub fn check_json(engine: &Engine, request: &str) -> String {
    // An object only: serde would take `[]` as a request with every field left out.
    let answer = if request.trim_start().starts_with('{') {
        serde_json::from_str::<Request>(request).map_err(|e| format!("bad request: {e}"))
    } else {
        Err("bad request: expected a JSON object".to_string())
    }
    .and_then(|r| respond(engine, &r));
    match answer {
        Ok(text) => text,
        Err(error) => failure(error),
    }
}

/// `{"error": "…"}`.
pub fn failure(error: String) -> String {
    serde_json::to_string(&Failure { error }).unwrap_or_else(|_| String::from("{\"error\":\"\"}"))
}

fn respond(engine: &Engine, request: &Request) -> Result<String, String> {
    if request.text.len() > MAX_TEXT {
        return Err(format!(
            "the post is {} bytes; adlint checks posts up to {MAX_TEXT} bytes",
            request.text.len()
        ));
    }
    #[cfg(target_arch = "wasm32")]
    if let Some(day) = request.today.as_deref().and_then(crate::dates::Day::parse) {
        crate::dates::Day::set_today(day);
    }
    let settings = settings(engine, &request.jurisdictions)?;
    let path_text = request
        .path
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or(DEFAULT_PATH);
    let path = Path::new(path_text);
    let text = request.text.as_str();
    let checked = check(engine, text, path, &settings);
    let report = report_json(path_text, text, &checked)?;
    let fixed = if request.fix {
        let (text, applied, rechecked) = if request.fixes.is_empty() {
            let (fixed, rechecked) = fix::apply_until_stable(
                engine,
                text,
                path,
                &settings,
                checked.clone(),
                request.unsafe_fixes,
            );
            (fixed.text, fixed.applied, rechecked)
        } else {
            let chosen: Vec<_> = request
                .fixes
                .iter()
                .filter_map(|&i| checked.findings.get(i).cloned())
                .collect();
            let fixed = fix::apply(text, &chosen, request.unsafe_fixes);
            let rechecked = check(engine, &fixed.text, path, &settings);
            (fixed.text, fixed.applied, rechecked)
        };
        let report = report_json(path_text, &text, &rechecked)?;
        Some(Fixed {
            text,
            applied,
            report,
        })
    } else {
        None
    };
    serde_json::to_string(&Response {
        report,
        lang: checked.lang.as_deref(),
        lang_source: lang_source(checked.lang_source),
        jurisdictions: &checked.jurisdictions,
        fixed,
    })
    .map_err(|e| e.to_string())
}

/// The run's settings with no config file, as `adlint check --no-config -j …`.
fn settings(engine: &Engine, jurisdictions: &[String]) -> Result<Settings, String> {
    let codes: Vec<String> = jurisdictions
        .iter()
        .flat_map(|j| j.split(','))
        .map(|j| j.trim().to_ascii_lowercase())
        .filter(|j| !j.is_empty())
        .collect();
    for j in &codes {
        if j != "auto" && !engine.rules.jurisdictions.contains_key(j) {
            return Err(engine.rules.unknown_jurisdiction(j));
        }
    }
    let codes = (!codes.is_empty()).then_some(codes);
    Settings::resolve(None, codes, &crate::is_rule_code).map_err(|e| e.to_string())
}

/// The JSON report of one checked post, as `adlint check --format json` writes it for
/// that one file (`elapsed_ms` is 0: WebAssembly has no clock).
fn report_json(path: &str, text: &str, checked: &crate::Checked) -> Result<Box<RawValue>, String> {
    let outcome = report::outcome(path, text, checked, Format::Json, false);
    let mut summary = Summary::default();
    summary.add(&outcome);
    let json = report::json::render(std::slice::from_ref(&outcome), &summary);
    RawValue::from_string(json).map_err(|e| format!("the report is not JSON: {e}"))
}

fn lang_source(source: crate::parse::lang::LangSource) -> &'static str {
    use crate::parse::lang::LangSource;
    match source {
        LangSource::FrontMatter => "front matter",
        LangSource::Path => "path",
        LangSource::Detected => "detected",
        LangSource::Default => "default",
    }
}

/// What the page shows before any post: the version, the markets (for the check
/// boxes) and each language's market (for "auto").
pub fn info_json(engine: &Engine) -> String {
    #[derive(Serialize)]
    struct Market<'a> {
        code: &'a str,
        name: &'a str,
    }
    #[derive(Serialize)]
    struct Language<'a> {
        code: &'a str,
        name: &'a str,
        market: &'a str,
    }
    #[derive(Serialize)]
    struct Info<'a> {
        version: &'static str,
        markets: Vec<Market<'a>>,
        languages: Vec<Language<'a>>,
    }
    let info = Info {
        version: env!("CARGO_PKG_VERSION"),
        markets: engine
            .rules
            .jurisdictions
            .values()
            .map(|j| Market {
                code: &j.code,
                name: &j.name,
            })
            .collect(),
        languages: engine
            .rules
            .languages
            .iter()
            .map(|l| Language {
                code: &l.lang,
                name: &l.name,
                market: &l.market,
            })
            .collect(),
    };
    serde_json::to_string(&info).unwrap_or_else(|e| failure(e.to_string()))
}

//! The words of findings, per language: `rules/messages/<lang>.toml` (issue 18, item 13).
//!
//! A catalog holds one template per message, with named placeholders (`{text}`,
//! `{placement}`, `{jurisdiction}` …) that the judge fills. English is the fallback and
//! the reference: every other catalog has every key of `en` with the same placeholders
//! (tests/messages.rs). A catalog may also put a shipped pack's own prose (its placement
//! text, summary and the reasons it gives for rejecting a label) into its language; the
//! titles of the law it cites are never translated.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Which language findings are written in (`--message-language`, `message_language`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum MessageLanguage {
    /// Always English.
    English,
    /// The post's language where a catalog exists, else English (the default).
    #[default]
    Post,
    /// This catalog's language for every post.
    Fixed(String),
}

impl MessageLanguage {
    /// `en`, `post` or a catalog's language code; anything else is an error naming the
    /// choices.
    pub fn parse(value: &str) -> Result<MessageLanguage, String> {
        let v = value.trim().to_ascii_lowercase();
        match v.as_str() {
            "en" => Ok(MessageLanguage::English),
            "post" | "auto" => Ok(MessageLanguage::Post),
            _ if Catalogs::get().find(&v).is_some() => Ok(MessageLanguage::Fixed(v)),
            _ => Err(format!(
                "`{value}` is not a message language: use `post`, `en` or one of {}",
                Catalogs::get()
                    .codes()
                    .filter(|c| *c != "en")
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The catalog for a post in `post_lang` (a language code, if known).
    pub fn catalog(&self, post_lang: Option<&str>) -> &'static Catalog {
        let all = Catalogs::get();
        let code = match self {
            MessageLanguage::English => None,
            MessageLanguage::Post => post_lang,
            MessageLanguage::Fixed(c) => Some(c.as_str()),
        };
        code.and_then(|c| all.find(c))
            .unwrap_or_else(|| all.english())
    }
}

/// One `rules/messages/<lang>.toml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    pub lang: String,
    /// The headline of a finding, per rule code.
    pub rules: BTreeMap<String, String>,
    /// Every other message, by key.
    pub messages: BTreeMap<String, String>,
    /// Market names, by pack code (English takes the pack's own `name`).
    #[serde(default)]
    pub jurisdictions: BTreeMap<String, String>,
    /// Language names as the templates use them, by language code (English takes the
    /// language file's `name`).
    #[serde(default)]
    pub languages: BTreeMap<String, String>,
    /// A shipped pack's prose in this language, by pack code.
    #[serde(default)]
    pub packs: BTreeMap<String, PackTexts>,
}

/// A shipped pack's prose in one language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackTexts {
    /// `[placement] text`.
    #[serde(default)]
    pub placement: Option<String>,
    /// The pack's `summary`.
    #[serde(default)]
    pub summary: Option<String>,
    /// `reason` of `[[labels.insufficient]]` and `[[labels.ambiguous]]`, by label id.
    #[serde(default)]
    pub reasons: BTreeMap<String, String>,
}

/// A catalog ready to use.
#[derive(Debug)]
pub struct Catalog {
    pub file: CatalogFile,
}

/// Every shipped catalog, English first; each is read on first use.
pub struct Catalogs {
    files: &'static [(&'static str, &'static str)],
    parsed: Vec<OnceLock<Catalog>>,
}

impl Catalogs {
    pub fn get() -> &'static Catalogs {
        static ALL: OnceLock<Catalogs> = OnceLock::new();
        ALL.get_or_init(|| {
            let files = crate::packs::MESSAGES;
            Catalogs {
                files,
                parsed: files.iter().map(|_| OnceLock::new()).collect(),
            }
        })
    }

    /// The language codes with a catalog, from the file names.
    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.files.iter().map(|(path, _)| code_of(path))
    }

    pub fn find(&self, code: &str) -> Option<&'static Catalog> {
        let i = self.files.iter().position(|(p, _)| code_of(p) == code)?;
        let (path, text) = self.files[i];
        // A broken shipped catalog is a bug caught by tests/messages.rs.
        let parsed: &'static OnceLock<Catalog> = &Catalogs::get().parsed[i];
        Some(parsed.get_or_init(|| Catalog {
            file: toml::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}")),
        }))
    }

    pub fn english(&self) -> &'static Catalog {
        self.find("en").expect("rules/messages/en.toml is embedded")
    }
}

fn code_of(path: &str) -> &str {
    path.rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".toml")
}

impl Catalog {
    pub fn lang(&self) -> &str {
        &self.file.lang
    }

    pub fn is_english(&self) -> bool {
        self.file.lang == "en"
    }

    /// The template for `key`, falling back to English (a missing key is a bug the
    /// catalog test catches).
    pub fn template(&self, key: &str) -> &str {
        match self.file.messages.get(key) {
            Some(t) => t,
            None if self.is_english() => panic!("message `{key}` missing from en.toml"),
            None => Catalogs::get().english().template(key),
        }
    }

    /// The message `key` with its placeholders filled.
    pub fn text(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.template(key), values)
    }

    /// The headline of a finding of this rule, or `fallback` (the registry's English).
    pub fn rule(&self, code: &str, fallback: &str) -> String {
        self.file
            .rules
            .get(code)
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    }

    /// A market's name; English (and a house pack) takes the pack's own.
    pub fn jurisdiction<'a>(&'a self, code: &str, own: &'a str) -> &'a str {
        self.file
            .jurisdictions
            .get(code)
            .map_or(own, String::as_str)
    }

    /// A language's name as the templates use it; English takes the language file's.
    pub fn language<'a>(&'a self, code: &str, own: &'a str) -> &'a str {
        self.file.languages.get(code).map_or(own, String::as_str)
    }

    /// A shipped pack's prose in this language.
    pub fn pack(&self, code: &str) -> Option<&PackTexts> {
        self.file.packs.get(code)
    }
}

/// Fills `{name}` placeholders in one pass: a value is never read as a template (a
/// pack text may hold `{brand}`).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if values.iter().any(|(n, _)| *n == name) => {
                let value = values.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
                out.push_str(value.unwrap_or_default());
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names a template uses, in order of first use.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty()
            && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && !out.contains(&name)
        {
            out.push(name);
        }
        rest = &after[close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_placeholders_once() {
        assert_eq!(
            fill(
                "write `{label}` {placement}",
                &[("label", "{brand}"), ("placement", "at the start")]
            ),
            "write `{brand}` at the start"
        );
        assert_eq!(fill("a {b} {c}", &[("b", "x")]), "a x {c}");
    }

    #[test]
    fn message_language_values() {
        assert_eq!(MessageLanguage::parse("en"), Ok(MessageLanguage::English));
        assert_eq!(MessageLanguage::parse("Post"), Ok(MessageLanguage::Post));
        assert_eq!(
            MessageLanguage::parse("de"),
            Ok(MessageLanguage::Fixed("de".into()))
        );
        let e = MessageLanguage::parse("xx").unwrap_err();
        assert!(e.contains("post") && e.contains("de"), "{e}");
    }
}

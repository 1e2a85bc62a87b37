//! `adlint.toml` (or `.adlint.toml`), found by walking up from the current folder, and
//! the settings the command line layers on top of it.

use crate::diagnostic::Severity;
use crate::messages::MessageLanguage;
use crate::packs::{Extensions, ExtraLabel, PackError};
use crate::positions::line_col;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A rule's level in the config: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Note => Some(Severity::Note),
            Level::Off => None,
        }
    }
}

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub jurisdictions: Option<Vec<String>>,
    #[serde(default)]
    pub include: Option<Vec<String>>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    #[serde(default)]
    pub overrides: Vec<Override>,
    #[serde(default)]
    pub affiliate_domains: Vec<String>,
    #[serde(default)]
    pub labels: Vec<ExtraLabel>,
    #[serde(default)]
    pub packs: Vec<String>,
    #[serde(default)]
    pub site: Site,
    /// The language of findings: `post` (default), `en`, or a language code.
    #[serde(default)]
    pub message_language: Option<String>,
}

/// `[site]`: how the site generator's shortcodes and components read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Shortcode or component names that render a disclosure.
    #[serde(default)]
    pub disclosure_shortcodes: Vec<String>,
    /// Shortcode or component names that render an affiliate or product link.
    #[serde(default)]
    pub link_shortcodes: Vec<String>,
    /// Labels the theme prints from front matter (`[[site.theme_labels]]`).
    #[serde(default)]
    pub theme_labels: Vec<crate::packs::ThemeLabel>,
}

/// `[[overrides]]`: settings for the posts under some paths.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub paths: Vec<String>,
    #[serde(default)]
    pub jurisdictions: Option<Vec<String>>,
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
}

/// A config that could not be used: the file, the place and what is wrong.
pub type ConfigError = PackError;

/// The resolved settings for a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Jurisdiction codes; `auto` judges each post by the market of its language.
    pub jurisdictions: Vec<String>,
    /// `(code or prefix, level)`, most specific wins.
    pub rules: Vec<(String, Level)>,
    /// `--select`/`--ignore` (ruff's names): codes or prefixes to report only / never.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub overrides: Vec<(GlobSet, Override)>,
    pub include: GlobSet,
    /// The `include` globs as written, for messages.
    pub include_patterns: Vec<String>,
    pub exclude: GlobSet,
    /// Where relative globs start: the config's folder, or the current folder.
    pub root: PathBuf,
    /// The config's folder as a full path, when it is not the current folder; and the
    /// current folder, to place relative paths against it (see [`Settings::relative`]).
    pub root_from_cwd: Option<PathBuf>,
    pub cwd: Option<PathBuf>,
    pub config_path: Option<PathBuf>,
    pub extensions: Extensions,
    /// The language findings are written in (`message_language`, `--message-language`).
    pub message_language: MessageLanguage,
}

pub const CONFIG_NAMES: &[&str] = &["adlint.toml", ".adlint.toml"];
/// `.html` files count only when they start with front matter (discover::html_post).
pub const DEFAULT_INCLUDE: &[&str] = &["**/*.md", "**/*.markdown", "**/*.mdx", "**/*.html"];

/// Finds the config by walking up from `start`.
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        for name in CONFIG_NAMES {
            let p = d.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
        dir = d.parent();
    }
    None
}

fn err(path: &Path, text: Option<&str>, offset: Option<usize>, message: String) -> ConfigError {
    ConfigError {
        path: path.display().to_string(),
        line: text.zip(offset).map(|(t, o)| line_col(t, o)),
        message,
    }
}

/// Reads a config file; unknown keys are refused with a suggestion.
pub fn read(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = crate::load::read_input(path, crate::load::CONFIG_LIMIT)
        .map_err(|e| err(path, None, None, format!("cannot read the config: {e}")))?;
    parse(path, &text)
}

pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str(text).map_err(|e| {
        // Every unknown key, in file order: the first is the error, the others follow
        // on lines of their own.
        let unknown = unknown_keys(text);
        if let Some(((at, first), rest)) = unknown.split_first() {
            let mut message = first.clone();
            for (at, m) in rest {
                let (line, column) = line_col(text, *at);
                message.push_str(&format!("\n{}:{line}:{column}: {m}", path.display()));
            }
            return err(path, Some(text), Some(*at), message);
        }
        err(
            path,
            Some(text),
            e.span().map(|s| s.start),
            with_hint(e.message()),
        )
    })
}

/// serde's message, with a suggestion for an unknown key.
fn with_hint(message: &str) -> String {
    let mut message = message.trim().to_string();
    if let Some(hint) = did_you_mean(&message) {
        message.push_str(&format!("; did you mean `{hint}`?"));
    }
    message
}

/// The unknown keys of a config, in file order: (offset, message). serde stops at the
/// first unknown key of a table in alphabetical order (a TOML table is sorted), so each
/// one found is removed and the config read again, until no unknown key is left.
fn unknown_keys(text: &str) -> Vec<(usize, String)> {
    let Ok(mut root) = toml::de::DeTable::parse(text) else {
        return vec![];
    };
    let mut found = Vec::new();
    // A bound, in case a key cannot be found to remove.
    for _ in 0..100 {
        let Err(e) = ConfigFile::deserialize(toml::de::Deserializer::from(root.clone())) else {
            break;
        };
        let Some(span) = e
            .span()
            .filter(|_| e.message().starts_with("unknown field"))
        else {
            break;
        };
        if !remove_key(root.get_mut(), &span) {
            break;
        }
        found.push((span.start, with_hint(e.message())));
    }
    found.sort();
    found
}

/// Removes the key written at `span` from a table or any table inside it.
fn remove_key(table: &mut toml::de::DeTable, span: &std::ops::Range<usize>) -> bool {
    if let Some(key) = table.keys().find(|k| k.span() == *span).cloned() {
        return table.remove(&key).is_some();
    }
    table.iter_mut().any(|(_, v)| remove_in(v.get_mut(), span))
}

fn remove_in(value: &mut toml::de::DeValue, span: &std::ops::Range<usize>) -> bool {
    match value {
        toml::de::DeValue::Table(t) => remove_key(t, span),
        toml::de::DeValue::Array(a) => a.iter_mut().any(|v| remove_in(v.get_mut(), span)),
        _ => false,
    }
}

/// From serde's "unknown field `x`, expected one of `a`, `b`", the closest of a, b.
fn did_you_mean(message: &str) -> Option<String> {
    let unknown = message.split('`').nth(1)?;
    let expected = message.split("expected").nth(1)?;
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|cand| (edit_distance(unknown, cand), cand))
        .filter(|(d, cand)| *d <= 3.max(cand.len() / 3))
        .min()
        .map(|(_, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn globs(path: &Path, patterns: &[String]) -> Result<GlobSet, ConfigError> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        // A bare folder or name ("drafts", "*.tmp.md") matches at any depth.
        let pattern = if p.contains('/') {
            p.trim_start_matches("./").to_string()
        } else {
            format!("**/{p}")
        };
        let glob = Glob::new(&pattern)
            .map_err(|e| err(path, None, None, format!("invalid glob `{p}`: {e}")))?;
        b.add(glob);
        if !pattern.ends_with("/**") {
            b.add(
                Glob::new(&format!("{pattern}/**"))
                    .map_err(|e| err(path, None, None, format!("invalid glob `{p}`: {e}")))?,
            );
        }
    }
    b.build()
        .map_err(|e| err(path, None, None, format!("invalid globs: {e}")))
}

/// `root` as a full path, unless it is the current folder (then none is needed).
fn full_root(root: &Path, cwd: Option<&Path>) -> Option<PathBuf> {
    let cwd = cwd?;
    let full = root.canonicalize().ok()?;
    (full != cwd.canonicalize().ok()?).then_some(full)
}

/// `a/./b/../c` as `a/c`, without asking the file system (cheap, for every file).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn check_levels(
    path: &Path,
    rules: &BTreeMap<String, Level>,
    known: &dyn Fn(&str) -> bool,
) -> Result<(), ConfigError> {
    for code in rules.keys() {
        if !known(code) {
            return Err(err(
                path,
                None,
                None,
                format!("[rules]: `{code}` is not a rule code or prefix (see `adlint rules`)"),
            ));
        }
    }
    Ok(())
}

impl Settings {
    /// Settings from a config file (if any) and command-line jurisdictions (if given).
    pub fn resolve(
        config_path: Option<PathBuf>,
        cli_jurisdictions: Option<Vec<String>>,
        known_code: &dyn Fn(&str) -> bool,
    ) -> Result<Settings, ConfigError> {
        let (file, root) = match &config_path {
            Some(p) => (
                read(p)?,
                p.parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from(".")),
            ),
            None => (ConfigFile::default(), PathBuf::from(".")),
        };
        Settings::build(file, root, config_path, cli_jurisdictions, known_code)
    }

    /// Settings from a config already read (or made up, as for a detected site).
    pub fn build(
        file: ConfigFile,
        root: PathBuf,
        config_path: Option<PathBuf>,
        cli_jurisdictions: Option<Vec<String>>,
        known_code: &dyn Fn(&str) -> bool,
    ) -> Result<Settings, ConfigError> {
        let shown_config = config_path.as_ref().map(|p| p.display().to_string());
        let shown = config_path
            .clone()
            .unwrap_or_else(|| PathBuf::from("adlint.toml"));
        check_levels(&shown, &file.rules, known_code)?;
        let mut overrides = Vec::new();
        for o in &file.overrides {
            check_levels(&shown, &o.rules, known_code)?;
            overrides.push((globs(&shown, &o.paths)?, o.clone()));
        }
        let include: Vec<String> = file
            .include
            .clone()
            .unwrap_or_else(|| DEFAULT_INCLUDE.iter().map(|s| s.to_string()).collect());
        let mut packs = Vec::new();
        for p in &file.packs {
            let full = root.join(p);
            let text = crate::load::read_input(&full, crate::load::CONFIG_LIMIT).map_err(|e| {
                err(
                    &shown,
                    None,
                    None,
                    format!("packs: cannot read `{}`: {e}", full.display()),
                )
            })?;
            packs.push((full.display().to_string(), text));
        }
        let message_language = match &file.message_language {
            Some(v) => MessageLanguage::parse(v)
                .map_err(|e| err(&shown, None, None, format!("message_language: {e}")))?,
            None => MessageLanguage::default(),
        };
        let cwd = std::env::current_dir().ok();
        let jurisdictions = cli_jurisdictions
            .or(file.jurisdictions.clone())
            .unwrap_or_else(|| vec!["auto".to_string()]);
        Ok(Settings {
            jurisdictions: jurisdictions
                .iter()
                .map(|j| j.trim().to_ascii_lowercase())
                .collect(),
            rules: file.rules.clone().into_iter().collect(),
            select: vec![],
            ignore: vec![],
            overrides,
            include: globs(&shown, &include)?,
            include_patterns: include,
            exclude: globs(&shown, &file.exclude)?,
            root_from_cwd: full_root(&root, cwd.as_deref()),
            cwd,
            root,
            config_path,
            extensions: Extensions {
                packs,
                labels: file.labels.clone(),
                affiliate_domains: file.affiliate_domains.clone(),
                shortcodes: crate::packs::ShortcodeNames {
                    labels: vec![],
                    disclosure: file.site.disclosure_shortcodes.clone(),
                    links: file.site.link_shortcodes.clone(),
                },
                theme_labels: file.site.theme_labels.clone(),
                config_path: shown_config.clone(),
            },
            message_language,
        })
    }

    /// The path relative to the config's folder, for glob matching, as Vale and
    /// markdownlint-cli2 do: `cd content && adlint check posts` with the config one
    /// folder up matches `posts/a.md` as `content/posts/a.md`.
    pub fn relative<'a>(&self, path: &'a Path) -> std::borrow::Cow<'a, Path> {
        use std::borrow::Cow;
        let p = path.strip_prefix("./").unwrap_or(path);
        if let Ok(r) = p.strip_prefix(&self.root)
            && !self.root.as_os_str().is_empty()
            && self.root != Path::new(".")
        {
            return Cow::Borrowed(r.strip_prefix("./").unwrap_or(r));
        }
        // The common case: the config is in the current folder.
        if p.is_relative() && self.root_from_cwd.is_none() {
            return Cow::Borrowed(p);
        }
        match (&self.root_from_cwd, &self.cwd) {
            (Some(root), Some(cwd)) => {
                let full = normalize(&cwd.join(p));
                match full.strip_prefix(root) {
                    Ok(r) => Cow::Owned(r.to_path_buf()),
                    Err(_) => Cow::Borrowed(p),
                }
            }
            _ => Cow::Borrowed(p),
        }
    }

    /// The jurisdictions for a post: an override's, else the run's.
    pub fn jurisdictions_for(&self, path: &Path) -> &[String] {
        let rel = &*self.relative(path);
        self.overrides
            .iter()
            .rev()
            .find_map(|(set, o)| o.jurisdictions.as_deref().filter(|_| set.is_match(rel)))
            .unwrap_or(&self.jurisdictions)
    }

    /// The severity of a code for a post; `None` means off.
    pub fn severity_for(&self, path: &Path, code: &str, default: Severity) -> Option<Severity> {
        let matches = |keys: &[String]| {
            keys.iter()
                .any(|k| k.eq_ignore_ascii_case("all") || code.starts_with(&k.to_ascii_uppercase()))
        };
        if (!self.select.is_empty() && !matches(&self.select)) || matches(&self.ignore) {
            return None;
        }
        let rel = &*self.relative(path);
        let mut level: Option<(usize, Level)> = None;
        let mut consider = |rules: &[(String, Level)], rank_bonus: usize| {
            for (key, l) in rules {
                if code.starts_with(key.as_str()) || key == "all" {
                    let rank = if key == "all" { 0 } else { key.len() } + rank_bonus;
                    if level.is_none_or(|(r, _)| rank >= r) {
                        level = Some((rank, *l));
                    }
                }
            }
        };
        consider(&self.rules, 0);
        for (set, o) in &self.overrides {
            if set.is_match(rel) {
                let rules: Vec<(String, Level)> = o.rules.clone().into_iter().collect();
                consider(&rules, 100);
            }
        }
        match level {
            Some((_, l)) => l.severity(),
            None => Some(default),
        }
    }
}

/// The commented starter config `adlint init` writes.
pub const STARTER: &str = r#"# adlint configuration: https://github.com/adlint/adlint/blob/main/README.md
#
# Which laws to check posts against. "auto" judges each post by the market of its
# language (en -> us, de -> de, nl -> nl, da -> dk, it -> it, fr -> fr, es -> es);
# a post's front matter `jurisdiction:` or `lang:` wins over the language detected.
# List several to check every post against each: ["de", "at", "ch"].
jurisdictions = ["auto"]

# Which files to check when walking folders (files named on the command line are
# always checked), and what to leave out. .gitignore is honoured as well. An .html file
# is checked only when it starts with front matter (`---`) and is not in _layouts,
# _includes or layouts: a post, not a built page or a template.
include = ["**/*.md", "**/*.markdown", "**/*.mdx", "**/*.html"]
exclude = ["node_modules", "public", "_site", "themes", "vendor"]

# The language of messages, notes and help: "post" writes each finding in the post's
# language (German for a German post; English where adlint has no messages in it),
# "en" always in English, or a code ("de", "nl", "da", "sv", "no", "it", "fr", "es",
# "pl") for every post. The law is cited in its own language either way.
message_language = "post"

# Change a rule's severity ("error", "warning", "note", "off"), by code or prefix.
[rules]
# AD303 = "note"
# AD2 = "warning"

# Settings for some paths only, e.g. an archive of old posts.
# [[overrides]]
# paths = ["archive/**"]
# rules = { AD102 = "warning" }
# jurisdictions = ["us"]

# Your own affiliate link hosts (subdomains match too).
# affiliate_domains = ["go.myshop.example"]

# Extra label words for a language, under an existing label id.
# [[labels]]
# id = "advertising"
# lang = "de"
# forms = ["werbeanzeige"]

# House rule packs that extend a shipped one (docs/packs.md).
# packs = ["./house-rules.toml"]

# Your site's own shortcodes or MDX components (rules/shortcodes.toml has the usual names).
# [site]
# disclosure_shortcodes = ["mein-hinweis"]   # render a disclosure: a label where they stand
# link_shortcodes = ["shoplink"]             # render an affiliate or product link
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let e = parse(Path::new("adlint.toml"), "jurisdiction = [\"de\"]\n").unwrap_err();
        assert!(
            e.message.contains("did you mean `jurisdictions`"),
            "{}",
            e.message
        );
        assert_eq!(e.line, Some((1, 1)));
    }

    #[test]
    fn every_unknown_key_is_reported_in_file_order() {
        let text = "jurisdictons = [\"de\"]\nexlude = [\"x\"]\n\n[site]\ndisclosure_shortcode = [\"a\"]\n\n[[overrides]]\npaths = [\"a\"]\nrule = {}\n";
        let e = parse(Path::new("adlint.toml"), text).unwrap_err();
        assert_eq!(e.line, Some((1, 1)));
        let lines: Vec<&str> = e.message.lines().collect();
        assert_eq!(lines.len(), 4, "{}", e.message);
        assert!(
            lines[0].contains("`jurisdictons`")
                && lines[0].contains("did you mean `jurisdictions`")
        );
        assert!(
            lines[1].starts_with("adlint.toml:2:1: unknown field `exlude`")
                && lines[1].contains("did you mean `exclude`")
        );
        assert!(
            lines[2].starts_with("adlint.toml:5:1: unknown field `disclosure_shortcode`")
                && lines[2].contains("did you mean `disclosure_shortcodes`")
        );
        assert!(
            lines[3].starts_with("adlint.toml:9:1: unknown field `rule`")
                && lines[3].contains("did you mean `rules`")
        );
    }

    #[test]
    fn starter_config_parses() {
        parse(Path::new("adlint.toml"), STARTER).unwrap();
    }
}

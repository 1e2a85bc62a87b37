//! Loading and validating the data in `rules/`: languages, jurisdiction packs,
//! affiliate networks and front-matter flags (docs/packs.md describes the format).
//!
//! The shipped files are embedded at build time; users add their own packs and
//! labels through the config. Every file is parsed with unknown keys rejected, and
//! a broken file is a [`PackError`] that names the file, line and key.

mod embedded;
mod resolve;

pub use resolve::{AffiliateRule, Jurisdiction, LabelVerdict, PlacementRule};

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A label's kind: what a label of this id can disclose.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum LabelKind {
    /// Covers every kind of endorsement ("Werbung", "#ad").
    Paid,
    /// Covers affiliate links only ("This post contains affiliate links").
    Affiliate,
    /// Covers gifts, PR samples and press trips only.
    Gift,
}

/// The kind of an endorsement phrase.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SignalKind {
    Sponsorship,
    Gift,
    Discount,
}

// ---------- rules/languages/<lang>.toml ----------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageFile {
    pub lang: String,
    pub name: String,
    pub market: String,
    #[serde(default)]
    pub stopwords: Vec<String>,
    #[serde(default)]
    pub hypothetical: Vec<String>,
    #[serde(default)]
    pub labels: Vec<LabelDef>,
    #[serde(default)]
    pub signals: Vec<SignalDef>,
    #[serde(default)]
    pub patterns: Vec<PatternDef>,
    #[serde(default)]
    pub neutral: Vec<NeutralDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelDef {
    pub id: String,
    pub kind: LabelKind,
    pub forms: Vec<String>,
    #[serde(default)]
    pub standalone: bool,
    #[serde(default)]
    pub hashtag_only: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalDef {
    pub kind: SignalKind,
    pub phrases: Vec<String>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub needs_name: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternDef {
    #[serde(default)]
    pub kind: Option<SignalKind>,
    pub regex: String,
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeutralDef {
    pub reason: String,
    pub phrases: Vec<String>,
}

// ---------- rules/jurisdictions/<code>.toml ----------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub extends: Option<String>,
    /// House packs: the shipped pack this one replaces, which must be its `code` too.
    /// Without it, a house pack may not take a shipped pack's code.
    #[serde(default)]
    pub replaces: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub last_checked: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub labels: Option<LabelPolicy>,
    #[serde(default)]
    pub placement: Option<Placement>,
    #[serde(default)]
    pub affiliate: Option<AffiliatePolicy>,
    #[serde(default)]
    pub gifts: Option<Requirement>,
    #[serde(default)]
    pub discount_codes: Option<Requirement>,
    #[serde(default)]
    pub fix: Option<FixText>,
    #[serde(default)]
    pub references: Vec<Reference>,
    /// House packs: brand names whose mention counts as a sponsorship signal.
    #[serde(default)]
    pub brands: Vec<String>,
    /// House packs: extra affiliate hosts.
    #[serde(default)]
    pub affiliate_domains: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelPolicy {
    #[serde(default)]
    pub accepted: Vec<String>,
    #[serde(default)]
    pub in_post_language: bool,
    #[serde(default)]
    pub insufficient: Vec<Rejection>,
    #[serde(default)]
    pub ambiguous: Vec<Rejection>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    pub id: String,
    pub reason: String,
    #[serde(default)]
    pub refs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub rule: PlacementRule,
    #[serde(default = "default_start_words")]
    pub start_words: usize,
    #[serde(default = "yes")]
    pub above_more: bool,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub refs: Vec<String>,
}

fn default_start_words() -> usize {
    40
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AffiliatePolicy {
    pub rule: AffiliateRule,
    #[serde(default)]
    pub markers: Vec<String>,
    #[serde(default)]
    pub asterisk: bool,
    #[serde(default)]
    pub notices: Vec<String>,
    /// A post with affiliate links is advertising as a whole: it also needs one of the
    /// pack's accepted labels where the placement rule wants it (DE: "Werbung" at the
    /// start, besides a marker at each link).
    #[serde(default)]
    pub label_required: bool,
    #[serde(default)]
    pub refs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    #[serde(default = "yes")]
    pub require_label: bool,
    #[serde(default)]
    pub refs: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixText {
    pub label: String,
    pub insert: String,
    #[serde(default)]
    pub affiliate_marker: Option<String>,
    #[serde(default)]
    pub affiliate_notice: Option<String>,
    #[serde(default)]
    pub gift_label: Option<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

// ---------- rules/affiliate-networks.toml, rules/front-matter.toml ----------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworksFile {
    pub networks: Vec<Network>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub id: String,
    pub name: String,
    /// Hosts (or any subdomain of them); `"*"` is any host, for link shapes that a
    /// programme's software gives every merchant (`/aff.php?aff=`, Impact's `/c/1/2/3`).
    pub hosts: Vec<String>,
    #[serde(default)]
    pub query: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    /// A regex the path must match (`/dp/ASIN/name-20`).
    #[serde(default)]
    pub path_pattern: Option<String>,
    /// A regex one `name=value` pair of the query must match (`tt=123_45_678_`).
    #[serde(default)]
    pub query_pattern: Option<String>,
    /// Where the link format is documented, or the post it was seen in.
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatterFile {
    /// Keys whose true or non-empty value marks the post as paid (`sponsored: true`).
    pub flag_keys: Vec<String>,
    /// Keys holding lists of tags or categories.
    pub tag_keys: Vec<String>,
    /// Tag values that mark the post as paid (`tags: [werbung]`).
    pub tag_values: Vec<String>,
}

/// `rules/shortcodes.toml`: shortcode and component names that mean something.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortcodeNames {
    /// They render the site's own disclosure (named in adlint.toml): a visible label
    /// that counts wherever it stands well, since the site knows what it prints.
    #[serde(default)]
    pub disclosure: Vec<String>,
    /// Built-in names and what they say they print: judged like that label written
    /// out (an "affiliate-disclosure" include is an affiliate notice, not "Werbung").
    #[serde(default)]
    pub labels: Vec<ShortcodeLabel>,
    /// They render an affiliate or product link.
    pub links: Vec<String>,
}

/// Shortcode names that print one kind of label.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortcodeLabel {
    /// A label id (`advertising`, `affiliate-notice`).
    pub label: String,
    #[serde(default)]
    pub names: Vec<String>,
    /// Or every word of one group in the name (`["affiliat", "disclos"]`).
    #[serde(default)]
    pub contains: Vec<Vec<String>>,
}

impl ShortcodeNames {
    /// `Affiliate_Link.html` → `affiliatelink`: case, `-`, `_` and extension do not matter.
    pub fn normalise(name: &str) -> String {
        let base = name.rsplit('/').next().unwrap_or(name);
        let base = base.split('.').next().unwrap_or(base);
        base.chars()
            .filter(|c| *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
            .collect()
    }

    /// Normalises the lists once, so that a lookup normalises only the name it asks
    /// about (it runs for every shortcode of every post).
    pub fn normalise_all(&mut self) {
        for l in &mut self.labels {
            for name in l.names.iter_mut() {
                *name = Self::normalise(name);
            }
        }
        for list in [&mut self.disclosure, &mut self.links] {
            for name in list.iter_mut() {
                *name = Self::normalise(name);
            }
            list.sort();
            list.dedup();
        }
    }

    /// Is this a disclosure shortcode? (The lists are normalised by `normalise_all`.)
    pub fn is_disclosure(&self, name: &str) -> bool {
        self.disclosure
            .binary_search(&Self::normalise(name))
            .is_ok()
    }

    /// The label a built-in disclosure name says it prints.
    pub fn label_of(&self, name: &str) -> Option<&str> {
        let n = Self::normalise(name);
        self.labels
            .iter()
            .find(|l| {
                l.names.contains(&n)
                    || l.contains
                        .iter()
                        .any(|group| group.iter().all(|w| n.contains(w.as_str())))
            })
            .map(|l| l.label.as_str())
    }

    pub fn is_link(&self, name: &str) -> bool {
        self.links.binary_search(&Self::normalise(name)).is_ok()
    }
}

/// A label the site's theme prints when front matter says so (docs/sites.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeLabel {
    /// `key = value` of the front matter: `affiliate = true`, `sponsored = "yes"`.
    pub when: String,
    /// The label id the printed text amounts to (`advertising`, `affiliate-notice`).
    pub label: String,
    /// Where the theme prints it: `top`, `before-first-link` or `end`.
    #[serde(rename = "where", default = "top")]
    pub place: String,
    /// The words it prints, for messages.
    #[serde(default)]
    pub text: Option<String>,
}

fn top() -> String {
    "top".into()
}

impl ThemeLabel {
    /// Does this post's front matter trigger it?
    pub fn applies(&self, fm: &crate::parse::FrontMatter) -> Option<crate::diagnostic::Span> {
        let (key, want) = self.when.split_once('=')?;
        let value = fm.get(key.trim())?;
        let want = want.trim().trim_matches(['"', '\'']);
        let matches = match value {
            crate::parse::Value::Bool(b, _) => want.parse::<bool>().ok() == Some(*b),
            crate::parse::Value::Str(s, _) | crate::parse::Value::Number(s, _) => {
                s.eq_ignore_ascii_case(want)
            }
            crate::parse::Value::List(items) => items
                .iter()
                .any(|i| i.as_str().is_some_and(|s| s.eq_ignore_ascii_case(want))),
            _ => false,
        };
        matches.then(|| value.span().unwrap_or(fm.span.clone()))
    }
}

/// Everything in `rules/`, loaded and validated: the input of the detector and the judge.
#[derive(Debug, Clone)]
pub struct Rules {
    pub languages: Vec<LanguageFile>,
    pub jurisdictions: BTreeMap<String, Jurisdiction>,
    pub networks: Vec<Network>,
    pub front_matter: FrontMatterFile,
    pub shortcodes: ShortcodeNames,
    pub theme_labels: Vec<ThemeLabel>,
    /// Every label id with its kind, from the language files.
    pub label_kinds: BTreeMap<String, LabelKind>,
}

/// A rule file that could not be loaded: which file, where, and what is wrong.
#[derive(Debug, Clone)]
pub struct PackError {
    pub path: String,
    /// 1-based line and column, when the problem has a place in the file.
    pub line: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some((line, col)) => write!(f, "{}:{}:{}: {}", self.path, line, col, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for PackError {}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let (line, line_start) = line_of(text, offset);
    // A byte-order mark is not a column: editors do not show it.
    let bom = usize::from(line_start == 0 && text.starts_with('\u{feff}') && offset > 0);
    (line + 1, text[line_start..offset].chars().count() + 1 - bom)
}

/// Where every line of a text starts, for resolving many positions in one file: each
/// `line_col` alone counts from the start of the text, which is quadratic over the
/// findings of a long post. Columns are counted from a checkpoint at most [`BLOCK`]
/// bytes back, not from the line start: 100,000 findings on one long line (a paragraph
/// of links) would count that line 100,000 times.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Characters before byte `k * BLOCK`, for every `k` up to the end of the text.
    chars: Vec<usize>,
    /// UTF-16 code units before byte `k * BLOCK` (LSP columns).
    units: Vec<usize>,
}

/// Bytes between two column checkpoints.
const BLOCK: usize = 256;

/// Characters in a byte range on char boundaries: the bytes that start one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xc0 != 0x80).count()
}

/// UTF-16 code units in a byte range on char boundaries: a 4-byte character is two.
fn count_units(bytes: &[u8]) -> usize {
    count_chars(bytes) + bytes.iter().filter(|&&b| b >= 0xf0).count()
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| (b == b'\n' || b == b'\r') && is_line_end(bytes, i))
                .map(|(i, _)| i + 1),
        );
        let (mut chars, mut units) = (vec![0], vec![0]);
        // A block may end inside a character: counting the bytes that start one is still
        // right at every char boundary.
        for block in bytes.chunks(BLOCK) {
            chars.push(chars[chars.len() - 1] + count_chars(block));
            units.push(units[units.len() - 1] + count_units(block));
        }
        LineIndex {
            text,
            starts,
            chars,
            units,
        }
    }

    /// The line (0-based) of an offset on a char boundary, and where it starts.
    fn line(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        (line, self.starts[line])
    }

    /// Characters (or UTF-16 units) before an offset on a char boundary.
    fn before(&self, offset: usize, utf16: bool) -> usize {
        let block = offset / BLOCK;
        let rest = &self.text.as_bytes()[block * BLOCK..offset];
        if utf16 {
            self.units[block] + count_units(rest)
        } else {
            self.chars[block] + count_chars(rest)
        }
    }

    /// The bytes of the line holding `offset`, its line break included.
    pub fn line_range(&self, offset: usize) -> std::ops::Range<usize> {
        let (line, start) = self.line(floor_char_boundary(self.text, offset));
        start
            ..self
                .starts
                .get(line + 1)
                .copied()
                .unwrap_or(self.text.len())
    }

    /// The same as [`line_col`], found by binary search.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let (line, line_start) = self.line(offset);
        let bom = usize::from(line_start == 0 && text.starts_with('\u{feff}') && offset > 0);
        let column = self.before(offset, false) - self.before(line_start, false);
        (line + 1, column + 1 - bom)
    }

    /// An LSP position: 0-based line, and column in UTF-16 code units.
    pub fn utf16_position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset);
        let (line, line_start) = self.line(offset);
        (
            line,
            self.before(offset, true) - self.before(line_start, true),
        )
    }
}

/// Does a line end at byte `i`: a `\n`, or a lone `\r` (old Mac line ends)? CommonMark,
/// editors, LSP and SARIF all count a lone `\r` as a line break, and the human output
/// shows it as one, so every line number adlint prints counts it too.
pub fn is_line_end(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(b'\n') => true,
        Some(b'\r') => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// The line (0-based) of a byte offset on a char boundary, and where that line starts.
pub fn line_of(text: &str, offset: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let before = &text[..offset];
    let lone_crs = |from: usize| {
        before[from..]
            .match_indices('\r')
            .map(move |(i, _)| from + i)
            .filter(|&i| is_line_end(bytes, i))
    };
    let line = before.matches('\n').count() + lone_crs(0).count();
    let after_lf = before.rfind('\n').map_or(0, |i| i + 1);
    let start = lone_crs(after_lf).next_back().map_or(after_lf, |i| i + 1);
    (line, start)
}

/// Where the line holding byte `offset` starts (lines end at `\n` or a lone `\r`).
pub fn line_start(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    (0..offset.min(bytes.len()))
        .rev()
        .find(|&i| is_line_end(bytes, i))
        .map_or(0, |i| i + 1)
}

/// The line end a fix writes: the text's own (CRLF, LF, or a lone CR in a classic Mac
/// file), so that a fix never mixes two kinds in one file.
pub fn newline_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else if text.contains('\r') && !text.contains('\n') {
        "\r"
    } else {
        "\n"
    }
}

/// Where the line after the one holding byte `from` starts (the end of the text for
/// the last line).
pub fn next_line_start(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    (from..bytes.len())
        .find(|&i| is_line_end(bytes, i))
        .map_or(text.len(), |i| i + 1)
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Parses one TOML rule file; errors carry the file, line and key.
pub fn parse_toml<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T, PackError> {
    toml::from_str(text).map_err(|err| PackError {
        path: path.to_string(),
        line: err.span().map(|span| line_col(text, span.start)),
        message: err.message().trim().to_string(),
    })
}

/// Extra data a user adds through the config: house packs, labels, affiliate hosts.
#[derive(Debug, Clone, Default)]
pub struct Extensions {
    /// (path as shown to the user, file text)
    pub packs: Vec<(String, String)>,
    pub labels: Vec<ExtraLabel>,
    pub affiliate_domains: Vec<String>,
    /// `[site] disclosure_shortcodes` and `link_shortcodes` of the config.
    pub shortcodes: ShortcodeNames,
    /// `[[site.theme_labels]]` of the config.
    pub theme_labels: Vec<ThemeLabel>,
    /// The config file these came from, for error messages.
    pub config_path: Option<String>,
}

/// A label a user adds in `adlint.toml` (`[[labels]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraLabel {
    pub id: String,
    pub lang: String,
    #[serde(default)]
    pub kind: Option<LabelKind>,
    pub forms: Vec<String>,
    #[serde(default)]
    pub standalone: bool,
}

/// A house pack takes a code of its own, unless it says which shipped pack it replaces:
/// `code = "de"` alone silently replaced the shipped German pack.
fn check_replaces(
    path: &str,
    pack: &PackFile,
    shipped: &BTreeSet<String>,
    house: &mut BTreeMap<String, String>,
) -> Result<(), PackError> {
    let err = |message: String| PackError {
        path: path.to_string(),
        line: None,
        message,
    };
    let code = &pack.code;
    match &pack.replaces {
        Some(r) if r != code => Err(err(format!(
            "`replaces = \"{r}\"` needs `code = \"{r}\"` too (the code is \"{code}\")"
        ))),
        Some(r) if !shipped.contains(r) => Err(err(format!(
            "`replaces = \"{r}\"`: there is no shipped pack `{r}` to replace"
        ))),
        None if shipped.contains(code) => Err(err(format!(
            "`code = \"{code}\"` is the code of a shipped pack; give the house pack a code of its own (with `extends = \"{code}\"` to build on it), or write `replaces = \"{code}\"` to replace the shipped one"
        ))),
        // Two house packs with one code: the second would silently win.
        _ => match house.insert(code.clone(), path.to_string()) {
            Some(other) => Err(err(format!(
                "`code = \"{code}\"` is taken by {other} already"
            ))),
            None => Ok(()),
        },
    }
}

impl Rules {
    /// The shipped rules alone.
    pub fn shipped() -> Result<Rules, PackError> {
        Rules::load(&Extensions::default())
    }

    /// The shipped rules with the user's extensions.
    pub fn load(ext: &Extensions) -> Result<Rules, PackError> {
        let mut languages = Vec::new();
        for (path, text) in embedded::LANGUAGES {
            let file: LanguageFile = parse_toml(path, text)?;
            let expected = path
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".toml");
            if file.lang != expected {
                return Err(PackError {
                    path: path.to_string(),
                    line: None,
                    message: format!("`lang = \"{}\"` does not match the file name", file.lang),
                });
            }
            languages.push(file);
        }
        for extra in &ext.labels {
            let Some(lang) = languages.iter_mut().find(|l| l.lang == extra.lang) else {
                return Err(PackError {
                    path: ext
                        .config_path
                        .clone()
                        .unwrap_or_else(|| "adlint.toml".into()),
                    line: None,
                    message: format!(
                        "[[labels]] `{}`: unknown language `{}`",
                        extra.id, extra.lang
                    ),
                });
            };
            let kind = extra.kind.unwrap_or(LabelKind::Paid);
            lang.labels.push(LabelDef {
                id: extra.id.clone(),
                kind,
                forms: extra.forms.iter().map(|f| f.to_lowercase()).collect(),
                standalone: extra.standalone,
                hashtag_only: false,
            });
        }

        let mut label_kinds = BTreeMap::new();
        for lang in &languages {
            let path = format!("rules/languages/{}.toml", lang.lang);
            for label in &lang.labels {
                if let Some(prev) = label_kinds.insert(label.id.clone(), label.kind)
                    && prev != label.kind
                {
                    return Err(PackError {
                        path,
                        line: None,
                        message: format!(
                            "label `{}` has kind {:?} here but {:?} in another language",
                            label.id, label.kind, prev
                        ),
                    });
                }
            }
            for pattern in &lang.patterns {
                // Language files are built in (build.rs): their regexes are parsed once per
                // run for the trigger words (detect::triggers), and checked to parse and
                // compile by a test (`every_shipped_pattern_parses_and_compiles`), not here
                // again: a second parse of every pattern was a third of start-up.
                if pattern.kind.is_none() && pattern.label.is_none() {
                    return Err(PackError {
                        path,
                        line: None,
                        message: format!(
                            "pattern `{}` needs a `kind`, a `label` or both",
                            pattern.regex
                        ),
                    });
                }
            }
        }
        for lang in &languages {
            let path = format!("rules/languages/{}.toml", lang.lang);
            let referenced = lang
                .signals
                .iter()
                .filter_map(|s| s.label.as_ref())
                .chain(lang.patterns.iter().filter_map(|p| p.label.as_ref()));
            for id in referenced {
                if !label_kinds.contains_key(id) {
                    return Err(PackError {
                        path: path.clone(),
                        line: None,
                        message: format!("signal refers to unknown label id `{id}`"),
                    });
                }
            }
        }

        let mut packs: BTreeMap<String, (String, PackFile)> = BTreeMap::new();
        for (path, text) in embedded::JURISDICTIONS {
            let pack: PackFile = parse_toml(path, text)?;
            packs.insert(pack.code.clone(), (path.to_string(), pack));
        }
        let shipped: BTreeSet<String> = packs.keys().cloned().collect();
        let mut house = BTreeMap::new();
        for (path, text) in &ext.packs {
            let pack: PackFile = parse_toml(path, text)?;
            check_replaces(path, &pack, &shipped, &mut house)?;
            packs.insert(pack.code.clone(), (path.clone(), pack));
        }

        let networks_file: NetworksFile =
            parse_toml("rules/affiliate-networks.toml", embedded::NETWORKS)?;
        let mut networks = networks_file.networks;
        let mut extra_hosts: Vec<String> = ext.affiliate_domains.clone();
        for (_, pack) in packs.values() {
            extra_hosts.extend(pack.affiliate_domains.iter().cloned());
        }
        if !extra_hosts.is_empty() {
            networks.push(Network {
                id: "custom".into(),
                name: "house".into(),
                hosts: extra_hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
                query: vec![],
                paths: vec![],
                path_pattern: None,
                query_pattern: None,
                source: None,
            });
        }
        let front_matter: FrontMatterFile =
            parse_toml("rules/front-matter.toml", embedded::FRONT_MATTER)?;
        let mut shortcodes: ShortcodeNames =
            parse_toml("rules/shortcodes.toml", embedded::SHORTCODES)?;
        shortcodes
            .disclosure
            .extend(ext.shortcodes.disclosure.iter().cloned());
        shortcodes
            .links
            .extend(ext.shortcodes.links.iter().cloned());
        shortcodes.normalise_all();
        for l in &shortcodes.labels {
            if !label_kinds.contains_key(&l.label) {
                return Err(PackError {
                    path: "rules/shortcodes.toml".into(),
                    line: None,
                    message: format!("[[labels]]: unknown label id `{}`", l.label),
                });
            }
        }

        for t in &ext.theme_labels {
            if !label_kinds.contains_key(&t.label) {
                return Err(PackError {
                    path: ext
                        .config_path
                        .clone()
                        .unwrap_or_else(|| "adlint.toml".into()),
                    line: None,
                    message: format!("[[site.theme_labels]]: unknown label id `{}`", t.label),
                });
            }
            if !["top", "before-first-link", "end"].contains(&t.place.as_str()) {
                return Err(PackError {
                    path: "adlint.toml".into(),
                    line: None,
                    message: format!(
                        "[[site.theme_labels]]: `where = \"{}\"` must be top, before-first-link or end",
                        t.place
                    ),
                });
            }
        }
        let language_codes: BTreeSet<String> = languages.iter().map(|l| l.lang.clone()).collect();
        let jurisdictions = resolve::resolve_all(&packs, &label_kinds, &language_codes)?;
        for lang in &languages {
            if !jurisdictions.contains_key(&lang.market) {
                return Err(PackError {
                    path: format!("rules/languages/{}.toml", lang.lang),
                    line: None,
                    message: format!("market `{}` is not a known jurisdiction", lang.market),
                });
            }
        }
        Ok(Rules {
            languages,
            jurisdictions,
            networks,
            front_matter,
            shortcodes,
            theme_labels: ext.theme_labels.clone(),
            label_kinds,
        })
    }

    /// The language file for a code, if shipped.
    pub fn language(&self, code: &str) -> Option<&LanguageFile> {
        self.languages.iter().find(|l| l.lang == code)
    }

    /// The jurisdiction a user most likely meant by an unknown code: `gb` is `uk`, a
    /// language code is its market (`en` → `us`), the start of a country's name is
    /// that country (`ger` → `de`), and one typo away is a known code.
    pub fn suggest_jurisdiction(&self, code: &str) -> Option<String> {
        let code = code.trim().to_ascii_lowercase();
        let known = |c: &str| self.jurisdictions.contains_key(c).then(|| c.to_string());
        let alias = match code.as_str() {
            "gb" | "gbr" | "england" | "britain" | "scotland" | "wales" => "uk",
            "usa" | "america" => "us",
            "deu" | "germany" => "de",
            "aut" => "at",
            _ => "",
        };
        if let Some(c) = known(alias) {
            return Some(c);
        }
        if let Some(c) = self.language(&code).and_then(|l| known(&l.market)) {
            return Some(c);
        }
        if code.len() >= 3
            && let Some(j) = self
                .jurisdictions
                .values()
                .find(|j| j.name.to_lowercase().starts_with(&code))
        {
            return Some(j.code.clone());
        }
        // Two-letter codes one letter away (`dr` → `de`); several candidates tell nothing.
        let near: Vec<&String> = self
            .jurisdictions
            .keys()
            .filter(|k| {
                k.len() == code.len()
                    && k.chars().zip(code.chars()).filter(|(a, b)| a != b).count() == 1
            })
            .collect();
        match near.as_slice() {
            [one] => Some((*one).clone()),
            _ => None,
        }
    }

    /// "unknown jurisdiction `ger`; did you mean `de`?" with the known codes.
    pub fn unknown_jurisdiction(&self, code: &str) -> String {
        let known: Vec<&str> = self.jurisdictions.keys().map(String::as_str).collect();
        let hint = self
            .suggest_jurisdiction(code)
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        format!(
            "unknown jurisdiction `{code}`; {hint}known: auto, {}",
            known.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{LineIndex, line_col, line_of};

    #[test]
    fn line_index_agrees_with_line_col_everywhere() {
        for text in [
            "",
            "one line",
            "a\nb\n\nc",
            "crlf\r\nlines\r\n",
            "lone\rcr\r\rend",
            "\u{feff}bom first\nsecond",
            "mixed\r\n\r\rä ü\n🙂 x\r",
        ] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.line_col(offset),
                    line_col(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn columns_across_blocks_agree_with_a_plain_count() {
        // Lines longer than a block, with characters of 1 to 4 bytes across its edges.
        let text = "aä€🚀\n".repeat(3) + &"xä€🚀".repeat(200) + "\r" + &"🚀a".repeat(150);
        let index = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            assert_eq!(
                index.line_col(offset),
                line_col(&text, offset),
                "at {offset}"
            );
            let (line, start) = line_of(&text, offset);
            let units: usize = text[start..offset].chars().map(char::len_utf16).sum();
            assert_eq!(index.utf16_position(offset), (line, units), "at {offset}");
        }
    }

    #[test]
    fn many_positions_on_one_long_line_are_linear() {
        // 4 MB on one line and 200,000 positions on it: counted from the line start,
        // that is 400 billion bytes (hours); from the checkpoints, a blink.
        let text = "[x](https://a.example/?tag=t-21) ä ".repeat(120_000);
        let started = std::time::Instant::now();
        let index = LineIndex::new(&text);
        let step = text.len() / 200_000;
        let mut last = 0;
        for offset in (0..text.len()).step_by(step) {
            let (line, column) = index.line_col(offset);
            let (_, units) = index.utf16_position(offset);
            assert!(line == 1 && column >= last && units + 1 >= column);
            last = column;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }
}

//! What the judge produces: findings with spans, messages and fixes.
//!
//! A [`Span`] is a byte range into the original file (BOM and front matter included);
//! lines and columns are computed only by the output formats.

use serde::Serialize;
use std::fmt;

/// A byte range into the original file.
pub type Span = std::ops::Range<usize>;

/// How serious a finding is; config can change it per code and per path.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A place in the file that explains the finding (e.g. where a late label stands).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Secondary {
    pub span: Span,
    pub message: String,
}

/// Whether `--fix` may apply a fix without asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Unambiguous: one label for this jurisdiction and language, outside code.
    Safe,
    /// Needs a human decision (which brand? is there really a relationship?).
    Suggested,
}

/// One replacement of a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A fix: edits that never overlap, with a title for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// One problem in one post under one jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule code, e.g. `AD102`.
    pub code: &'static str,
    /// The headline in the message language (the rule's summary in English); empty
    /// means the registry's summary. Outputs name it `message`.
    #[serde(skip)]
    pub message: String,
    /// The jurisdiction code that raises it, e.g. `de`.
    pub jurisdiction: String,
    pub severity: Severity,
    /// The primary place.
    pub span: Span,
    /// What the text shows at the primary place (lowercase, no final period).
    pub label: String,
    pub secondary: Vec<Secondary>,
    /// The rule and its legal basis.
    pub note: String,
    /// What to write instead, in the words the jurisdiction expects.
    pub help: String,
    pub fix: Option<Fix>,
    /// Further fixes that change text the user wrote (remove a late label): shown in
    /// help, JSON, SARIF and as code actions, but never applied, not even by
    /// `fix::apply` with every fix, since a fix never deletes what the user wrote.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Fix>,
    /// The text the finding points at, used to match baselines across edits.
    pub snippet: String,
}

impl Finding {
    /// The headline: the message in the run's language, or the rule's summary.
    pub fn headline(&self) -> &str {
        if self.message.is_empty() {
            crate::judge::registry::find(self.code).map_or("", |r| r.summary)
        } else {
            &self.message
        }
    }
}

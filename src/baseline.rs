//! Baselines for an archive of old posts: `--write-baseline FILE` records today's
//! findings, `--baseline FILE` reports only new ones. A finding is matched by file,
//! code, jurisdiction and the text it points at — never by line number — so editing
//! another part of a post does not bring old findings back.

use crate::diagnostic::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub code: String,
    pub jurisdiction: String,
    /// The text the finding points at, lowercased with whitespace collapsed.
    pub text: String,
}

/// The baseline file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// The text of a finding as the baseline stores it.
pub fn normalise(snippet: &str) -> String {
    snippet
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub fn entry(path: &str, f: &Finding) -> Entry {
    Entry {
        path: path.replace('\\', "/"),
        code: f.code.to_string(),
        jurisdiction: f.jurisdiction.clone(),
        text: normalise(&f.snippet),
    }
}

impl Baseline {
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = crate::load::read_input(path, crate::load::LIST_LIMIT)
            .map_err(|e| format!("cannot read the baseline {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not a baseline file: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })
    }

    /// Entries by file, for matching one file at a time.
    pub fn by_path(&self) -> HashMap<String, Vec<Entry>> {
        let mut map: HashMap<String, Vec<Entry>> = HashMap::new();
        for e in &self.findings {
            map.entry(e.path.clone()).or_default().push(e.clone());
        }
        map
    }
}

/// Splits a file's findings into new ones and those the baseline knows; also returns
/// the baseline entries of this file that matched nothing (stale: fixed since).
pub fn filter(
    path: &str,
    findings: Vec<Finding>,
    known: &[Entry],
) -> (Vec<Finding>, Vec<Finding>, Vec<Entry>) {
    let mut unused: Vec<Option<&Entry>> = known.iter().map(Some).collect();
    let mut new = Vec::new();
    let mut old = Vec::new();
    for f in findings {
        let e = entry(path, &f);
        match unused.iter_mut().find(|u| u.is_some_and(|k| *k == e)) {
            Some(slot) => {
                *slot = None;
                old.push(f);
            }
            None => new.push(f),
        }
    }
    let stale = unused.into_iter().flatten().cloned().collect();
    (new, old, stale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn finding(code: &'static str, snippet: &str, at: usize) -> Finding {
        Finding {
            message: String::new(),
            code,
            jurisdiction: "de".into(),
            severity: Severity::Error,
            span: at..at + 1,
            label: String::new(),
            secondary: vec![],
            note: String::new(),
            help: String::new(),
            fix: None,
            suggestions: vec![],
            snippet: snippet.into(),
        }
    }

    #[test]
    fn matches_by_text_not_position_and_reports_stale() {
        let known = vec![
            entry("a.md", &finding("AD102", "[Anker](https://amzn.to/x)", 10)),
            entry("a.md", &finding("AD104", "Rabattcode LISA15", 99)),
        ];
        let now = vec![
            finding("AD102", "[Anker](https://amzn.to/x)", 500),
            finding("AD101", "in  Zusammenarbeit", 7),
        ];
        let (new, old, stale) = filter("a.md", now, &known);
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].code, "AD101");
        assert_eq!(old.len(), 1);
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].code, "AD104");
    }
}

//! The post's language: front matter `lang`, then the path (`content/de/…`,
//! `post.de.md`), then the words of the text.

use std::collections::HashMap;
use std::path::Path;

/// Where the language came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangSource {
    FrontMatter,
    Path,
    Detected,
    Default,
}

/// Tells languages apart by counting their frequent function words.
#[derive(Debug, Clone)]
pub struct LanguageModel {
    codes: Vec<String>,
    /// word -> indexes of the languages it belongs to
    words: HashMap<String, Vec<usize>>,
}

impl LanguageModel {
    /// From each language's code and frequent words (the language files' `stopwords`),
    /// in the packs' order: passed as plain data so that parsing does not depend on
    /// the packs.
    pub fn new<'w>(languages: impl IntoIterator<Item = (&'w str, &'w [String])>) -> LanguageModel {
        let mut codes = Vec::new();
        let mut words: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (code, stopwords)) in languages.into_iter().enumerate() {
            codes.push(code.to_string());
            for w in stopwords {
                words.entry(w.to_lowercase()).or_default().push(i);
            }
        }
        LanguageModel { codes, words }
    }

    pub fn knows(&self, code: &str) -> bool {
        self.codes.iter().any(|c| c == code)
    }

    /// The language of a text, if its words point clearly to one.
    pub fn detect(&self, text: &str) -> Option<&str> {
        let mut scores = vec![0.0f64; self.codes.len()];
        let mut seen = 0;
        for word in text
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .filter(|w| !w.is_empty())
            .take(600)
        {
            seen += 1;
            let lower = word.to_lowercase();
            if let Some(langs) = self.words.get(&lower) {
                // A word shared by several languages counts less for each.
                let weight = 1.0 / langs.len() as f64;
                for &i in langs {
                    scores[i] += weight;
                }
            }
        }
        if seen == 0 {
            return None;
        }
        let (best, score) = scores.iter().enumerate().max_by(|a, b| {
            a.1.partial_cmp(b.1)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.0.cmp(&a.0))
        })?;
        if *score < 2.0 {
            return None;
        }
        Some(&self.codes[best])
    }

    /// The language named by a path: a folder (`content/de/post.md`, `i18n/nl/…`) or
    /// a second extension (`post.da.md`).
    pub fn from_path(&self, path: &Path) -> Option<&str> {
        if let Some(stem) = path.file_stem().and_then(|s| s.to_str())
            && let Some((_, suffix)) = stem.rsplit_once('.')
        {
            let suffix = suffix.to_ascii_lowercase();
            if let Some(code) = self.codes.iter().find(|c| **c == suffix) {
                return Some(code);
            }
        }
        let parent = path.parent()?;
        for comp in parent.components().rev() {
            let name = comp.as_os_str().to_str()?.to_ascii_lowercase();
            // `de`, `de-at`, `de_DE`
            let primary = name.split(['-', '_']).next().unwrap_or("");
            if name.len() <= 5
                && let Some(code) = self.codes.iter().find(|c| **c == primary)
            {
                return Some(code);
            }
        }
        None
    }
}

//! Trigger words of a regex pattern: a set of words one of which every match of the
//! pattern contains, lowercased as `fold_case` lowercases a block. A pattern runs only
//! on the blocks where one of its trigger words occurs, so most blocks cost one
//! automaton pass instead of dozens of regex searches.
//!
//! The set is computed from the pattern's syntax tree ("required factors"): a literal
//! requires itself, a concatenation requires the most selective of its parts (adjacent
//! exact parts multiplied out into longer words), an alternation the union of its
//! branches, a repetition with a minimum of one what its body requires. A part that
//! can match anything (`\s*`, `\w+`, `.`) requires nothing. The result is a necessary
//! condition, never a guess: if a block holds no trigger word, the pattern cannot
//! match in it.

use super::fold::fold_case;
use regex_syntax::hir::{Class, Hir, HirKind};

/// More words than this in one set make the gate useless; the part is skipped.
const MAX_WORDS: usize = 64;
/// At most this many sets must all be present for a pattern to run.
const MAX_SETS: usize = 3;
/// A class of more characters than this (`\d`, `\w`, `[^"]`) requires nothing.
const MAX_CLASS: usize = 8;

/// Words in almost every post: a pattern gated on one of them would run on almost
/// every block, so a rarer part of the pattern is preferred (a speed choice only: any
/// part's words are correct).
const EVERYDAY: &[&str] = &[
    "a", "an", "and", "the", "this", "that", "with", "for", "use", "using", "to", "of", "in", "on",
    "my", "me", "i", "und", "mit", "der", "die", "das", "ein", "eine", "für", "en", "et", "le",
    "la", "de", "il", "con", "per", "di", "med", "og", "och", "met", "het", "een", "y", "el", "z",
    "w",
    // Frequent words the stem-and-gap patterns name beside a rarer word ("get" beside
    // "commission", "von" beside "gesponsert"): each occurrence is a match of the
    // automaton, and in nearly every block they cost more than the regex runs they save.
    "you", "we", "ich", "wir", "get", "gets", "give", "gives", "have", "had", "am", "own", "back",
    "cut", "fee", "both", "link", "links", "von", "ist", "sind", "wird", "wurde", "wurden",
    "werden", "min", "för", "voor", "pour", "avec", "para", "por", "dla", "za", "te", "voi", "dig",
    "jer", "uden", "utan", "sans", "senza", "geen", "mi", "ci", "er", "du",
];

/// Words that a match must contain. `exact`: every match of the part *is* one of the
/// words (so neighbouring exact parts can be joined into longer words).
#[derive(Debug, Clone)]
struct Factor {
    words: Vec<String>,
    exact: bool,
}

impl Factor {
    fn exact(words: Vec<String>) -> Factor {
        Factor { words, exact: true }
    }

    /// How rarely the words occur in prose: a set without everyday words beats one
    /// with them, then the longer its shortest word, the rarer.
    fn strength(&self) -> (bool, usize, std::cmp::Reverse<usize>) {
        let shortest = self
            .words
            .iter()
            .map(|w| w.trim().chars().count())
            .min()
            .unwrap_or(0);
        let everyday = self.words.iter().any(|w| EVERYDAY.contains(&w.trim()));
        (!everyday, shortest, std::cmp::Reverse(self.words.len()))
    }
}

/// Sets of trigger words of a pattern: a match holds a word of *each* set (at most
/// three, the most selective). `None` when no useful set exists: the pattern then
/// runs on every block.
pub fn trigger_words(source: &str) -> Option<Vec<Vec<String>>> {
    let hir = regex_syntax::Parser::new().parse(source).ok()?;
    let mut top = &hir;
    while let HirKind::Capture(c) = top.kind() {
        top = &c.sub;
    }
    let mut sets = match top.kind() {
        HirKind::Concat(parts) => concat_parts(parts),
        _ => required(top).into_iter().collect(),
    };
    // A set with a word of one character (or none) would open the pattern almost
    // everywhere: it is no condition at all.
    sets.retain(|f| !f.words.is_empty() && f.words.iter().all(|w| w.trim().chars().count() >= 2));
    // Later parts first, so that on equal strength the later (more specific) wins.
    sets.reverse();
    sets.sort_by_key(|f| std::cmp::Reverse(f.strength()));
    // A set of everyday words ("for", "me", "de") narrows a rarer set only a little, and
    // costs a match in nearly every block: it counts only when nothing rarer exists.
    if sets.first().is_some_and(|f| f.strength().0) {
        sets.retain(|f| f.strength().0);
    }
    sets.truncate(MAX_SETS);
    if sets.is_empty() {
        return None;
    }
    Some(
        sets.into_iter()
            .map(|f| {
                let mut words = f.words;
                words.sort();
                words.dedup();
                words
            })
            .collect(),
    )
}

fn required(hir: &Hir) -> Option<Factor> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(Factor::exact(vec![String::new()])),
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0).ok()?;
            Some(Factor::exact(vec![fold_case(text)]))
        }
        HirKind::Class(class) => class_words(class).map(Factor::exact),
        HirKind::Capture(capture) => required(&capture.sub),
        HirKind::Repetition(rep) => {
            if rep.min == 0 {
                return None;
            }
            let inner = required(&rep.sub)?;
            let once = rep.min == 1 && rep.max == Some(1);
            Some(Factor {
                words: inner.words,
                exact: once && inner.exact,
            })
        }
        HirKind::Alternation(branches) => {
            let mut words = Vec::new();
            let mut exact = true;
            for branch in branches {
                let f = required(branch)?;
                exact &= f.exact;
                words.extend(f.words);
                if words.len() > MAX_WORDS {
                    return None;
                }
            }
            words.sort();
            words.dedup();
            Some(Factor { words, exact })
        }
        HirKind::Concat(parts) => concat(parts),
    }
}

/// The most selective required set of a concatenation.
fn concat(parts: &[Hir]) -> Option<Factor> {
    // On a tie the later part wins: patterns name the specific word ("code", the
    // brand's name) after the common ones ("with", "use").
    concat_parts(parts)
        .into_iter()
        .rev()
        .max_by_key(Factor::strength)
}

/// Every required set of a concatenation, one per part or run of exact parts; a
/// match holds a word of each (the parts are disjoint pieces of it). If the
/// concatenation is one run of exact parts, its single set is exact.
fn concat_parts(parts: &[Hir]) -> Vec<Factor> {
    let mut found = Vec::new();
    // Exact parts side by side, multiplied out into longer words: `(?i)k` then `od`
    // gives "kod" (and the Kelvin sign's "\u{212a}od").
    let mut run: Option<Factor> = None;
    let mut whole = true;
    for part in parts {
        match required(part) {
            Some(f) if f.exact => {
                run = match run.take() {
                    None => Some(f),
                    Some(r) if r.words.len() * f.words.len() <= MAX_WORDS => {
                        let mut words = Vec::with_capacity(r.words.len() * f.words.len());
                        for a in &r.words {
                            for b in &f.words {
                                words.push(format!("{a}{b}"));
                            }
                        }
                        Some(Factor::exact(words))
                    }
                    Some(r) => {
                        whole = false;
                        found.push(Factor { exact: false, ..r });
                        Some(f)
                    }
                };
            }
            other => {
                whole = false;
                if let Some(r) = run.take() {
                    found.push(Factor { exact: false, ..r });
                }
                found.extend(other);
            }
        }
    }
    if let Some(r) = run {
        // The run is the whole concatenation only if nothing broke it.
        found.push(Factor {
            exact: whole && r.exact,
            ..r
        });
    }
    found
}

/// The lowercased characters of a small class (`[cC]`, `(?i)k` = k, K, K).
fn class_words(class: &Class) -> Option<Vec<String>> {
    let mut chars: Vec<char> = Vec::new();
    match class {
        Class::Unicode(c) => {
            for range in c.ranges() {
                let size = range.end() as usize - range.start() as usize + 1;
                if chars.len() + size > MAX_CLASS {
                    return None;
                }
                chars.extend(range.start()..=range.end());
            }
        }
        Class::Bytes(c) => {
            for range in c.ranges() {
                let size = range.end() as usize - range.start() as usize + 1;
                // A non-ASCII byte is part of a character the words cannot spell.
                if chars.len() + size > MAX_CLASS || !range.end().is_ascii() {
                    return None;
                }
                chars.extend((range.start()..=range.end()).map(char::from));
            }
        }
    }
    let mut words: Vec<String> = chars.iter().map(|c| fold_case(&c.to_string())).collect();
    words.sort();
    words.dedup();
    (!words.is_empty()).then_some(words)
}

#[cfg(test)]
mod tests {
    use super::{fold_case, trigger_words};

    /// The most selective set.
    fn words(p: &str) -> Vec<String> {
        trigger_words(p)
            .and_then(|sets| sets.into_iter().next())
            .unwrap_or_default()
    }

    #[test]
    fn literals_and_case() {
        assert_eq!(words(r"(?i)\bcode\b"), vec!["code"]);
        assert_eq!(words(r"Rabatt"), vec!["rabatt"]);
        // (?i)s also matches the long s, which lowercases to itself.
        assert!(words(r"(?i)sponsored").contains(&"sponsored".to_string()));
    }

    #[test]
    fn the_most_selective_part_of_a_sequence() {
        // Digits and spaces require nothing; "code" is what every match holds.
        assert_eq!(
            words(r"(?i)(?:\d+\s*%|[$€]\s*\d+)\s+off\s+with\s+code\s+[A-Z0-9]{3,}"),
            vec!["code"]
        );
        assert_eq!(
            words(r"(?i)\bi\s+(?:received|got)\s+this"),
            vec!["got", "received"]
        );
        // Every part is required: both sets must be in the block.
        let sets = trigger_words(r"(?i)\bi\s+(?:received|got)\s+it\s+for\s+(?:review|free)");
        assert_eq!(
            sets.unwrap(),
            vec![vec!["free", "review"], vec!["got", "received"], vec!["it"]]
        );
    }

    #[test]
    fn alternations_need_every_branch() {
        // (?i)k also matches the Kelvin sign, which lowercases to itself.
        assert_eq!(
            words(r"(?i)thanks?|merci"),
            vec!["merci", "thank", "than\u{212a}"]
        );
        // One branch that can be anything: no trigger.
        assert!(trigger_words(r"(?i)thanks|\w+").is_none());
        assert!(trigger_words(r"(?i)(?:code)?\s*\d+").is_none());
    }

    #[test]
    fn words_match_what_the_pattern_matches() {
        // A property on the shipped patterns: wherever a pattern matches, the folded
        // match holds one of its trigger words.
        let rules = crate::packs::Rules::shipped().unwrap();
        let samples = [
            "Use code ANNA20 for 20% off",
            "Mit dem Rabattcode LISA15 spart ihr",
            "Danke an Nike für die Schuhe",
            "Thanks to Acme for sending this",
            "I received this jacket from Patagonia",
            "Grazie a Brand per il regalo, codice SCONTO10",
            "Tak til Firma for produktet, brug koden HEJ10",
            "20% off with code SAVE20",
            "Bedankt Merk voor dit pakket, kortingscode KORT10",
        ];
        for lang in &rules.languages {
            for p in &lang.patterns {
                let Some(sets) = trigger_words(&p.regex) else {
                    continue;
                };
                let re = regex::Regex::new(&p.regex).unwrap();
                for s in samples {
                    for m in re.find_iter(s) {
                        let folded = fold_case(m.as_str());
                        for words in &sets {
                            assert!(
                                words.iter().any(|w| folded.contains(w.as_str())),
                                "{} matched {:?} without any of {words:?}",
                                p.regex,
                                m.as_str()
                            );
                        }
                    }
                }
            }
        }
    }
}

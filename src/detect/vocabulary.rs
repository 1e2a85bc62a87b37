//! Every language's words compiled once per run into one automaton, plus the regex
//! patterns and the affiliate URL matcher.

use super::LabelMatch;
use super::automaton::FormAutomaton;
use super::fold::fold_case;
use crate::packs::{LabelKind, Network, Rules, SignalKind};
use regex::Regex;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// What a literal form means, in one language.
#[derive(Debug, Clone)]
pub enum Meaning {
    Label {
        id: usize,
        standalone: bool,
        hashtag_only: bool,
    },
    Signal {
        kind: SignalKind,
        label: Option<usize>,
        needs_name: bool,
    },
    Neutral,
    Hypothetical,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub lang: usize,
    pub meaning: Meaning,
}

/// A regex signal or label, compiled the first time a post in its language needs it
/// (compiling every language's Unicode patterns costs more start-up time than a
/// pre-commit hook can afford).
#[derive(Debug)]
pub struct PatternEntry {
    pub lang: usize,
    pub source: String,
    compiled: std::sync::OnceLock<Regex>,
    pub kind: Option<SignalKind>,
    pub label: Option<usize>,
}

impl Clone for PatternEntry {
    fn clone(&self) -> Self {
        PatternEntry {
            lang: self.lang,
            source: self.source.clone(),
            compiled: self.compiled.clone(),
            kind: self.kind,
            label: self.label,
        }
    }
}

/// Bytes of lazy-DFA cache per pattern (the regex crate's default is 2 MiB).
const DFA_CACHE: usize = 256 * 1024;

impl PatternEntry {
    pub fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            // The lazy DFA's cache grows with the variety of text it has seen, per
            // pattern and per thread: a small one keeps memory flat over a large run.
            regex::RegexBuilder::new(&self.source)
                .dfa_size_limit(DFA_CACHE)
                .build()
                .unwrap_or_else(|_| Regex::new("$^").expect("empty regex"))
        })
    }
}

/// The compiled vocabulary: build once, share between threads.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// One automaton of every literal form and every pattern's trigger words
    /// (`triggers.rs`), searched once per block with overlapping matches.
    pub matcher: FormAutomaton,
    pub words: Vec<String>,
    /// Per automaton word, every meaning it has as a form (empty for a word that is
    /// only a trigger).
    pub entries: Vec<Vec<Entry>>,
    /// Per automaton word, the patterns it is a trigger word of, with the bit of
    /// the trigger set it belongs to.
    pub opens: Vec<Vec<(usize, u8)>>,
    /// Per pattern, the bits of all its trigger sets: it runs on a block where every
    /// set has a word.
    pub needs: Vec<u8>,
    pub patterns: Vec<PatternEntry>,
    /// Patterns without trigger words: they run on every block.
    pub unanchored: Vec<usize>,
    pub label_ids: Vec<String>,
    pub label_kinds: Vec<LabelKind>,
    pub languages: Vec<String>,
    /// The index of English in `languages`, looked up once (patterns in English run on
    /// posts in every language).
    pub english: Option<usize>,
    pub networks: NetworkMatcher,
    /// The labels in a pack's fix texts read alone, per post language (judging asks
    /// for them on every finding of every pack).
    pub labels_alone: LabelsAlone,
}

impl Vocabulary {
    pub fn new(rules: &Rules) -> Vocabulary {
        let label_ids: Vec<String> = rules.label_kinds.keys().cloned().collect();
        let label_kinds: Vec<LabelKind> = rules.label_kinds.values().copied().collect();
        let label_index = |id: &str| label_ids.iter().position(|l| l == id);
        let mut forms: Vec<String> = Vec::new();
        let mut by_form: HashMap<String, usize> = HashMap::new();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        let mut add = |form: &str, entry: Entry| {
            let form = fold_case(form.trim());
            if form.is_empty() {
                return;
            }
            let i = *by_form.entry(form.clone()).or_insert_with(|| {
                forms.push(form);
                entries.push(Vec::new());
                entries.len() - 1
            });
            entries[i].push(entry);
        };
        let mut patterns = Vec::new();
        for (lang, file) in rules.languages.iter().enumerate() {
            for label in &file.labels {
                let id = label_index(&label.id).expect("label ids come from the same files");
                for form in &label.forms {
                    add(
                        form.trim_start_matches('#'),
                        Entry {
                            lang,
                            meaning: Meaning::Label {
                                id,
                                standalone: label.standalone,
                                hashtag_only: label.hashtag_only,
                            },
                        },
                    );
                }
            }
            for signal in &file.signals {
                let label = signal.label.as_deref().and_then(label_index);
                for phrase in &signal.phrases {
                    add(
                        phrase,
                        Entry {
                            lang,
                            meaning: Meaning::Signal {
                                kind: signal.kind,
                                label,
                                needs_name: signal.needs_name,
                            },
                        },
                    );
                }
            }
            for neutral in &file.neutral {
                for phrase in &neutral.phrases {
                    add(
                        phrase,
                        Entry {
                            lang,
                            meaning: Meaning::Neutral,
                        },
                    );
                }
            }
            for cue in &file.hypothetical {
                add(
                    cue,
                    Entry {
                        lang,
                        meaning: Meaning::Hypothetical,
                    },
                );
            }
            for p in &file.patterns {
                patterns.push(PatternEntry {
                    lang,
                    source: p.regex.clone(),
                    compiled: std::sync::OnceLock::new(),
                    kind: p.kind,
                    label: p.label.as_deref().and_then(label_index),
                });
            }
        }
        // The trigger words join the same automaton: one pass over a block finds
        // both.
        let mut opens: Vec<Vec<(usize, u8)>> = vec![Vec::new(); forms.len()];
        let mut needs = vec![0u8; patterns.len()];
        let mut unanchored = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let Some(sets) = super::triggers::trigger_words(&p.source) else {
                unanchored.push(i);
                continue;
            };
            for (set, words) in sets.into_iter().enumerate() {
                let bit = 1u8 << set;
                needs[i] |= bit;
                for w in words {
                    let at = *by_form.entry(w.clone()).or_insert_with(|| {
                        forms.push(w);
                        entries.push(Vec::new());
                        opens.push(Vec::new());
                        forms.len() - 1
                    });
                    if !opens[at].contains(&(i, bit)) {
                        opens[at].push((i, bit));
                    }
                }
            }
        }
        let matcher = FormAutomaton::new(&forms).expect("a vocabulary of words fits the automaton");
        Vocabulary {
            matcher,
            words: forms,
            entries,
            opens,
            needs,
            patterns,
            unanchored,
            label_ids,
            label_kinds,
            languages: rules.languages.iter().map(|l| l.lang.clone()).collect(),
            english: rules.languages.iter().position(|l| l.lang == "en"),
            networks: NetworkMatcher::new(&rules.networks),
            labels_alone: LabelsAlone::default(),
        }
    }

    /// Every pattern on every block, as before trigger words existed: the reference
    /// that tests compare the gated reading with (tests/speedups.rs).
    pub fn without_triggers(&mut self) {
        self.unanchored = (0..self.patterns.len()).collect();
        for opens in &mut self.opens {
            opens.clear();
        }
    }

    pub fn label_id(&self, i: usize) -> &str {
        &self.label_ids[i]
    }

    pub fn lang_index(&self, code: &str) -> Option<usize> {
        self.languages.iter().position(|l| l == code)
    }
}

type LabelsByText = HashMap<String, Arc<[LabelMatch]>>;

/// A run's memory of texts read alone (a fix's label line), shared by the threads: a
/// text's labels depend only on the text and the post language.
#[derive(Default)]
pub struct LabelsAlone(Mutex<HashMap<Option<usize>, LabelsByText>>);

impl LabelsAlone {
    /// The labels of `text` for a post in `lang`, read by `read` the first time.
    pub fn get_or_read(
        &self,
        text: &str,
        lang: Option<usize>,
        read: impl FnOnce() -> Vec<LabelMatch>,
    ) -> Arc<[LabelMatch]> {
        let known = |map: &HashMap<Option<usize>, LabelsByText>| {
            map.get(&lang).and_then(|texts| texts.get(text)).cloned()
        };
        if let Some(labels) = known(&self.0.lock().unwrap_or_else(|e| e.into_inner())) {
            return labels;
        }
        // Read without holding the lock; two threads may both read a text, once.
        let labels: Arc<[LabelMatch]> = read().into();
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(lang)
            .or_default()
            .entry(text.to_string())
            .or_insert(labels)
            .clone()
    }
}

impl Clone for LabelsAlone {
    /// A copy starts with nothing remembered.
    fn clone(&self) -> Self {
        LabelsAlone::default()
    }
}

impl std::fmt::Debug for LabelsAlone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LabelsAlone")
    }
}

/// Matches URLs against the affiliate networks of `rules/affiliate-networks.toml`.
#[derive(Debug, Clone)]
pub struct NetworkMatcher {
    networks: Vec<Network>,
    /// Each network's `path_pattern` and `query_pattern`, compiled the first time a link
    /// gets that far (most never do: start-up stays short for a one-post hook run).
    patterns: Vec<NetworkPatterns>,
    /// host (as listed) -> network indexes
    hosts: HashMap<String, Vec<usize>>,
    /// Networks listed for any host (`"*"`): tried on every URL.
    any_host: Vec<usize>,
}

/// A network's optional regexes.
#[derive(Debug, Clone)]
struct NetworkPatterns {
    path: LazyPattern,
    query: LazyPattern,
}

/// A regex compiled on first use; none means "no condition".
#[derive(Debug, Clone)]
struct LazyPattern {
    source: Option<String>,
    compiled: OnceLock<Option<Regex>>,
}

impl LazyPattern {
    fn new(source: Option<String>) -> LazyPattern {
        LazyPattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// True without a pattern; with one, what `test` says of it (a pattern that does not
    /// compile never matches; the shipped ones are compiled by a test).
    fn matches(&self, test: impl Fn(&Regex) -> bool) -> bool {
        let Some(source) = &self.source else {
            return true;
        };
        self.compiled
            .get_or_init(|| Regex::new(source).ok())
            .as_ref()
            .is_some_and(test)
    }
}

impl NetworkMatcher {
    /// Patterns are checked when the rules are loaded (`packs::resolve`); one that
    /// does not compile here simply never matches.
    pub fn new(networks: &[Network]) -> NetworkMatcher {
        let mut hosts: HashMap<String, Vec<usize>> = HashMap::new();
        let mut any_host = Vec::new();
        for (i, n) in networks.iter().enumerate() {
            for h in &n.hosts {
                if h == "*" {
                    any_host.push(i);
                } else {
                    hosts.entry(h.to_ascii_lowercase()).or_default().push(i);
                }
            }
        }
        let patterns = networks
            .iter()
            .map(|n| NetworkPatterns {
                path: LazyPattern::new(n.path_pattern.clone()),
                query: LazyPattern::new(n.query_pattern.clone()),
            })
            .collect();
        NetworkMatcher {
            networks: networks.to_vec(),
            patterns,
            hosts,
            any_host,
        }
    }

    /// The network whose tracking link this URL is, if any.
    pub fn network(&self, url: &str) -> Option<&Network> {
        self.network_at_depth(url, 0)
    }

    fn network_at_depth(&self, url: &str, depth: usize) -> Option<&Network> {
        let url = url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .or_else(|| url.strip_prefix("//"))?;
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..host_end];
        let host = authority
            .rsplit('@')
            .next()?
            .split(':')
            .next()?
            .to_ascii_lowercase();
        let after_host = &rest[host_end..];
        // An archived copy of a link is still the link ("web.archive.org/web/2014/https://…").
        if depth == 0
            && host == "web.archive.org"
            && let Some(at) = after_host.find("/http")
        {
            return self.network_at_depth(&after_host[at + 1..], 1);
        }
        let (path, query) = match after_host.split_once('?') {
            Some((p, q)) => (p, q.split('#').next().unwrap_or("")),
            None => (after_host.split('#').next().unwrap_or(""), ""),
        };
        // A site's home page is never a tracking link ("https://www.tradedoubler.com").
        if (path.is_empty() || path == "/") && query.is_empty() {
            return None;
        }
        // Cheap tests first (every link meets the any-host entries): parameter names and
        // path prefixes, then the patterns.
        let matches = |i: usize| {
            let n = &self.networks[i];
            let p = &self.patterns[i];
            (n.query.is_empty()
                || query.split('&').any(|pair| {
                    let name = pair.split('=').next().unwrap_or("");
                    n.query.iter().any(|q| q.eq_ignore_ascii_case(name))
                }))
                && (n.paths.is_empty() || n.paths.iter().any(|p| path.starts_with(p.as_str())))
                && (p.query.source.is_none() || !query.is_empty())
                && p.path.matches(|r| r.is_match(path))
                && p.query
                    .matches(|r| query.split('&').any(|pair| r.is_match(pair)))
        };
        let mut suffix = host.as_str();
        loop {
            if let Some(candidates) = self.hosts.get(suffix)
                && let Some(&i) = candidates.iter().find(|&&i| matches(i))
            {
                return Some(&self.networks[i]);
            }
            match suffix.find('.') {
                Some(dot) => suffix = &suffix[dot + 1..],
                None => break,
            }
        }
        self.any_host
            .iter()
            .find(|&&i| matches(i))
            .map(|&i| &self.networks[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(id: &str, hosts: &[&str], query: &[&str], paths: &[&str]) -> Network {
        Network {
            id: id.into(),
            name: id.into(),
            hosts: hosts.iter().map(|s| s.to_string()).collect(),
            query: query.iter().map(|s| s.to_string()).collect(),
            paths: paths.iter().map(|s| s.to_string()).collect(),
            path_pattern: None,
            query_pattern: None,
            source: None,
        }
    }

    #[test]
    fn any_host_shapes_patterns_and_archived_links() {
        let mut impact = net("impact", &["*"], &[], &[]);
        impact.path_pattern = Some(r"^/c/\d+/\d+/\d+".into());
        let mut tt = net("tt", &["*"], &[], &[]);
        tt.query_pattern = Some(r"^tt=\d+_\d+_\d+_".into());
        let m = NetworkMatcher::new(&[
            impact,
            tt,
            net("do", &["digitalocean.com"], &["refcode"], &[]),
        ]);
        assert_eq!(
            m.network("https://linode.gvw92c.net/c/1/2/3").unwrap().id,
            "impact"
        );
        assert!(m.network("https://example.com/c/about").is_none());
        assert_eq!(
            m.network("https://park.nl/x/?tt=23_12_47_&r=").unwrap().id,
            "tt"
        );
        assert!(m.network("https://park.nl/x/?tt=summer").is_none());
        assert_eq!(
            m.network("https://web.archive.org/web/2014/https://www.digitalocean.com/?refcode=ab")
                .unwrap()
                .id,
            "do"
        );
        assert!(
            m.network("https://web.archive.org/web/2014/https://www.digitalocean.com/")
                .is_none()
        );
    }

    #[test]
    fn urls_match_hosts_paths_and_queries() {
        let m = NetworkMatcher::new(&[
            net("amazon", &["amazon.de", "amazon.com"], &["tag"], &[]),
            net("short", &["amzn.to"], &[], &[]),
            net("sas", &["shareasale.com"], &[], &["/r.cfm"]),
        ]);
        assert_eq!(
            m.network("https://www.amazon.de/dp/B01?tag=x-21")
                .unwrap()
                .id,
            "amazon"
        );
        assert_eq!(
            m.network("https://smile.amazon.com/dp/B01?ref=a&TAG=x")
                .unwrap()
                .id,
            "amazon"
        );
        assert!(m.network("https://www.amazon.de/dp/B01").is_none());
        assert!(m.network("https://notamazon.de/?tag=x").is_none());
        assert_eq!(m.network("http://amzn.to/3abc").unwrap().id, "short");
        assert!(m.network("https://shareasale.com/info").is_none());
        assert_eq!(
            m.network("https://shareasale.com/r.cfm?b=1").unwrap().id,
            "sas"
        );
        assert!(m.network("mailto:a@amazon.de").is_none());
    }
}

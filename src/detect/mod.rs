//! Segments to signals: endorsements (sponsorship wording, gifts, discount codes,
//! affiliate links, front-matter flags) and disclosure labels with where they stand.
//! Detection knows languages, not laws.

pub mod automaton;
mod facts;
pub mod fold;
mod theme;
pub mod triggers;
pub mod vocabulary;

use crate::diagnostic::Span;
use crate::packs::{LabelKind, Rules, SignalKind};
use crate::parse::{Block, BlockKind, Document, Link, Visibility};
use facts::BlockFacts;
pub use fold::{fold_case, fold_case_into, folds_beyond_ascii};
pub use triggers::trigger_words;
use vocabulary::Meaning;
pub use vocabulary::Vocabulary;

/// What kind of endorsement the text shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EndorsementKind {
    Sponsorship,
    Gift,
    Discount,
    Affiliate,
    /// A front-matter flag such as `sponsored: true`.
    Flag,
}

impl From<SignalKind> for EndorsementKind {
    fn from(k: SignalKind) -> Self {
        match k {
            SignalKind::Sponsorship => EndorsementKind::Sponsorship,
            SignalKind::Gift => EndorsementKind::Gift,
            SignalKind::Discount => EndorsementKind::Discount,
        }
    }
}

/// A sign that the post may be paid for.
#[derive(Debug, Clone)]
pub struct Endorsement {
    pub kind: EndorsementKind,
    pub span: Span,
    /// Index of the block that holds it (None for front-matter flags).
    pub block: Option<usize>,
    /// The words quoted in messages ("sponsored by", the URL host).
    pub text: String,
    /// For affiliate links: the network's name.
    pub network: Option<String>,
    /// For affiliate links: `*` stands right after the link.
    pub asterisk: bool,
    /// For affiliate links: where a marker counts as standing next to the link (its
    /// end, or after the quotation marks around it, since a quoted label is only a
    /// mention); `None` when no such place is near enough.
    pub marker_at: Option<usize>,
    /// For affiliate links: the link itself is in fine print, so a marker in fine print
    /// next to it is as visible as the link it marks.
    pub fine_print: bool,
    /// For affiliate links: labels in the same block right next to the link.
    pub nearby_labels: Vec<usize>,
    /// The phrase is also this label (index into `Signals::labels`).
    pub as_label: Option<usize>,
}

impl Endorsement {
    /// An endorsement of `kind` at `span` with nothing else known: no network, marker
    /// place or nearby labels (wording, a front-matter flag or URL, a declared link).
    pub fn plain(kind: EndorsementKind, span: Span, block: Option<usize>, text: String) -> Self {
        Endorsement {
            kind,
            span,
            block,
            text,
            network: None,
            asterisk: false,
            marker_at: None,
            fine_print: false,
            nearby_labels: vec![],
            as_label: None,
        }
    }
}

/// Where a label is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Burial {
    /// After the third tag of a row of five or more hashtags.
    HashtagPile,
    /// Inside `<small>`, `<sub>` or `<sup>`.
    FinePrint,
}

/// A disclosure label found in the post.
#[derive(Debug, Clone)]
pub struct LabelMatch {
    /// Index into `Vocabulary::label_ids`.
    pub id: usize,
    pub kind: LabelKind,
    /// Index into `Vocabulary::languages`: the language of the words.
    pub lang: usize,
    pub span: Span,
    pub block: usize,
    pub visibility: Visibility,
    pub in_title: bool,
    /// Words of visible body text before the label.
    pub word_pos: usize,
    pub buried: Option<Burial>,
    /// It stands like a label (at the start, as a hashtag, in brackets, with a colon),
    /// not as a word in a sentence.
    pub in_label_position: bool,
    pub text: String,
    /// A disclosure the site renders (a disclosure shortcode or component): it counts as
    /// an accepted label in every jurisdiction, since its words are the site's.
    pub trusted: bool,
    /// A label word closing a paragraph with a link ("… Try it free. *SPONSORED*"): it
    /// labels that item of a newsletter or link list, not the post.
    pub item: bool,
}

/// Everything detection found in one post.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    pub endorsements: Vec<Endorsement>,
    pub labels: Vec<LabelMatch>,
}

/// Detects signals in a parsed post. `post_lang` decides which language a form that
/// several languages share is attributed to.
pub fn detect(
    doc: &Document,
    vocab: &Vocabulary,
    rules: &Rules,
    post_lang: Option<usize>,
) -> Signals {
    let mut signals = Signals::default();
    let mut scratch = Scratch::default();
    for (block_index, block) in doc.blocks.iter().enumerate() {
        if block.visibility == Visibility::FrontMatterField
            && block
                .field
                .as_deref()
                .is_some_and(|k| is_flag_or_meta_key(k, rules))
        {
            continue;
        }
        scan_block(
            doc,
            block,
            block_index,
            vocab,
            post_lang,
            &mut scratch,
            &mut signals,
        );
    }
    add_affiliate_links(doc, vocab, &mut signals);
    add_shortcodes(doc, vocab, rules, post_lang, &mut signals);
    add_theme_labels(doc, vocab, rules, post_lang, &mut signals);
    add_front_matter_flags(doc, rules, &mut signals);
    add_front_matter_links(doc, vocab, &mut signals);
    signals
        .endorsements
        .sort_by_key(|e| (e.span.start, std::cmp::Reverse(e.span.end), e.kind));
    // Two patterns may find the same code or phrase ("Mit dem Rabattcode LISA15",
    // "Rabattcode LISA15"): keep the first of overlapping endorsements of a kind.
    // Those kept come in order of start, so a kept one overlaps a later (non-empty) one
    // exactly when it reaches past that one's start: per kind, the furthest end is
    // enough (a post can have thousands of endorsements).
    let mut kept: Vec<Endorsement> = Vec::with_capacity(signals.endorsements.len());
    let mut reach: Vec<(EndorsementKind, usize)> = Vec::new();
    for e in signals.endorsements {
        let overlaps = if e.span.is_empty() {
            kept.iter().any(|k| {
                k.kind == e.kind
                    && k.block.is_some()
                    && k.span.start < e.span.end
                    && e.span.start < k.span.end
            })
        } else {
            reach
                .iter()
                .any(|&(kind, end)| kind == e.kind && e.span.start < end)
        };
        if !overlaps {
            if e.block.is_some() {
                match reach.iter_mut().find(|(kind, _)| *kind == e.kind) {
                    Some((_, end)) => *end = (*end).max(e.span.end),
                    None => reach.push((e.kind, e.span.end)),
                }
            }
            kept.push(e);
        }
    }
    signals.endorsements = kept;
    signals
}

fn is_flag_or_meta_key(key: &str, rules: &Rules) -> bool {
    let key = key.to_ascii_lowercase();
    const META: &[&str] = &[
        "lang",
        "language",
        "jurisdiction",
        "layout",
        "slug",
        "date",
        "url",
        "permalink",
        "image",
        "author",
        "draft",
        "aliases",
        "weight",
        "type",
        "id",
        "adlint",
    ];
    META.contains(&key.as_str())
        || rules.front_matter.flag_keys.contains(&key)
        || rules.front_matter.tag_keys.contains(&key)
}

/// Buffers reused from block to block: a post has dozens of blocks, and allocating
/// these afresh for each was a measurable share of detection.
#[derive(Default)]
struct Scratch {
    folded: String,
    /// Forms found: (start, end, automaton word).
    found: Vec<(usize, usize, usize)>,
    /// Patterns opened by a trigger word: (pattern, bit of the trigger set).
    triggered: Vec<(usize, u8)>,
    candidates: Vec<usize>,
}

struct RawMatch<'v> {
    range: std::ops::Range<usize>,
    entries: &'v [vocabulary::Entry],
}

fn scan_block(
    doc: &Document,
    block: &Block,
    block_index: usize,
    vocab: &Vocabulary,
    post_lang: Option<usize>,
    scratch: &mut Scratch,
    out: &mut Signals,
) {
    let text = &block.text;
    // The automaton matches ASCII letters in either case: only text with other
    // uppercase letters needs a lowercased copy (with the same byte offsets).
    let folded = if !folds_beyond_ascii(text) {
        text.as_str()
    } else {
        fold_case_into(text, &mut scratch.folded);
        scratch.folded.as_str()
    };
    // One pass finds every occurrence of every form and trigger word.
    let found = &mut scratch.found;
    let triggered = &mut scratch.triggered;
    found.clear();
    triggered.clear();
    vocab
        .matcher
        .for_each_match(folded.as_bytes(), |start, end, word| {
            triggered.extend(&vocab.opens[word]);
            if !vocab.entries[word].is_empty() {
                found.push((start, end, word));
            }
        });
    // A pattern runs where a word of each of its trigger sets is.
    triggered.sort_unstable();
    let candidates = &mut scratch.candidates;
    candidates.clear();
    candidates.extend_from_slice(&vocab.unanchored);
    for group in triggered.chunk_by(|a, b| a.0 == b.0) {
        let pattern = group[0].0;
        let seen = group.iter().fold(0u8, |acc, &(_, bit)| acc | bit);
        if seen == vocab.needs[pattern] {
            candidates.push(pattern);
        }
    }
    // The forms are read leftmost-longest, but a match that fails the word-boundary
    // test (inside "prepaid advertising") must not hide a later one ("advertising"):
    // reading goes on from the next character.
    found.sort_unstable_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    let mut raw: Vec<RawMatch> = Vec::new();
    let mut pos = 0;
    for &(start, end, word) in found.iter() {
        if start < pos {
            continue;
        }
        if on_word_boundary(folded, start, end) {
            raw.push(RawMatch {
                range: start..end,
                entries: &vocab.entries[word],
            });
            pos = end;
        } else {
            pos = start + folded[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    // Each pattern alone: a RegexSet of them all falls back to a slow engine on
    // Unicode word boundaries (measured 20x slower, docs/architecture.md). Only the
    // patterns of the post's language and English run: codes and sponsor sentences are
    // written in the post's language, or in English, the lingua franca of brands.
    let english = vocab.english;
    candidates.sort_unstable();
    candidates.dedup();
    let pattern_hits: Vec<(usize, Vec<std::ops::Range<usize>>)> = candidates
        .iter()
        .map(|&i| (i, &vocab.patterns[i]))
        .filter(|(_, p)| {
            post_lang.is_none() || Some(p.lang) == post_lang || Some(p.lang) == english
        })
        .filter_map(|(i, p)| {
            let hits: Vec<_> = p.regex().find_iter(text).map(|m| m.range()).collect();
            (!hits.is_empty()).then_some((i, hits))
        })
        .collect();
    let has_patterns = !pattern_hits.is_empty();
    if raw.is_empty() && !has_patterns {
        return;
    }
    let facts = BlockFacts::new(text, &block.emphasis);
    let quoted = quoted_ranges(text);
    let in_quotes = |r: &std::ops::Range<usize>| {
        quote_around(&quoted, r.clone()).is_some_and(|q| r.end <= q.end)
    };
    let cues: Vec<usize> = raw
        .iter()
        .filter(|m| {
            m.entries
                .iter()
                .any(|e| matches!(e.meaning, Meaning::Hypothetical))
        })
        .map(|m| m.range.start)
        .collect();
    let neutrals: Vec<usize> = raw
        .iter()
        .filter(|m| {
            m.entries
                .iter()
                .any(|e| matches!(e.meaning, Meaning::Neutral))
        })
        .map(|m| m.range.start)
        .collect();
    // A signal is dropped when its sentence holds a neutral phrase, or a hypothetical
    // cue before it ("If a post is sponsored by a brand, …").
    // A cue counts only in the same clause: "If a post is sponsored by a brand, …" is
    // hypothetical, "If you want to try it, use code ANNA20" is not. Discount codes are
    // concrete whatever the clause says.
    // (Cues and neutral phrases are in order of position: the last cue before the
    // signal is the one to test, and the first neutral phrase from the sentence's start.)
    let signal_is_real = |r: &std::ops::Range<usize>, kind: SignalKind| {
        let sentence = facts.sentence_of(r.start);
        let last_cue = cues[..cues.partition_point(|&c| c < r.start)].last();
        let hypothetical = kind != SignalKind::Discount
            && last_cue.is_some_and(|&c| sentence.start <= c && !facts.has_clause_mark(c..r.start));
        let neutral = neutrals
            .get(neutrals.partition_point(|&n| n < sentence.start))
            .is_some_and(|&n| n < sentence.end);
        !in_quotes(r) && !neutral && !hypothetical
    };
    let visible_body = block.visibility == Visibility::Visible;

    for m in &raw {
        // The meaning in the post's language, else the first one.
        let pick = |wanted: fn(&Meaning) -> bool| -> Option<&vocabulary::Entry> {
            let mut of_kind = m.entries.iter().filter(move |e| wanted(&e.meaning));
            of_kind
                .clone()
                .find(|e| Some(e.lang) == post_lang)
                .or_else(|| of_kind.next())
        };
        let label_entry = pick(|m| matches!(m, Meaning::Label { .. }));
        let signal_entry = pick(|m| matches!(m, Meaning::Signal { .. }));
        let hashtag = m.range.start > 0 && text.as_bytes()[m.range.start - 1] == b'#';
        let full_range = if hashtag {
            m.range.start - 1..m.range.end
        } else {
            m.range.clone()
        };

        let mut label_index = None;
        let mut label_is_sentence = false;
        if let Some(entry) = label_entry
            && let Meaning::Label {
                id,
                standalone,
                hashtag_only,
            } = entry.meaning
            && !in_quotes(&m.range)
        {
            let position = label_position(block, &facts, &full_range, hashtag);
            let counts = if hashtag_only {
                hashtag && position
            } else if standalone {
                position
            } else {
                true
            };
            if counts {
                out.labels.push(make_label(
                    doc,
                    block,
                    &facts,
                    block_index,
                    vocab,
                    id,
                    entry.lang,
                    full_range.clone(),
                    hashtag,
                    // A sentence ("this post contains affiliate links") discloses wherever
                    // the market accepts it; it is a label *attempt* only where it stands
                    // like a label.
                    position
                        || (!(standalone || hashtag_only)
                            && stands_alone(block, &facts, &full_range)),
                ));
                label_index = Some(out.labels.len() - 1);
                label_is_sentence = !(standalone || hashtag_only);
                if !label_is_sentence
                    && closes_linked_paragraph(doc, block, &facts, block_index, &full_range)
                    && let Some(l) = out.labels.last_mut()
                {
                    l.item = true;
                }
            }
        }
        // A sentence that says a product was given ("mi è stato regalato") is a gift
        // whether or not the language file also lists it as a signal.
        if signal_entry.is_none()
            && label_is_sentence
            && visible_body
            && let Some(li) = label_index
            && out.labels[li].kind == LabelKind::Gift
            && signal_is_real(&m.range, SignalKind::Gift)
        {
            let span = out.labels[li].span.clone();
            out.endorsements.push(Endorsement {
                kind: EndorsementKind::Gift,
                text: block.text[m.range.clone()].to_string(),
                span,
                block: Some(block_index),
                network: None,
                asterisk: false,
                marker_at: None,
                fine_print: false,
                nearby_labels: vec![],
                as_label: Some(li),
            });
        }
        if let Some(entry) = signal_entry
            && let Meaning::Signal {
                kind,
                label,
                needs_name,
            } = entry.meaning
            && visible_body
            && signal_is_real(&m.range, kind)
            && (!needs_name || followed_by_name(text, m.range.end))
        {
            let as_label = label_index.or_else(|| {
                label.map(|id| {
                    out.labels.push(make_label(
                        doc,
                        block,
                        &facts,
                        block_index,
                        vocab,
                        id,
                        entry.lang,
                        m.range.clone(),
                        false,
                        stands_alone(block, &facts, &m.range),
                    ));
                    out.labels.len() - 1
                })
            });
            let span = block.source_span(m.range.clone());
            out.endorsements.push(Endorsement {
                kind: kind.into(),
                // The words as read ("Use code SAVE10", not "Use code **SAVE10").
                text: block.text[m.range.clone()].to_string(),
                span,
                block: Some(block_index),
                network: None,
                asterisk: false,
                marker_at: None,
                fine_print: false,
                nearby_labels: vec![],
                as_label,
            });
        }
    }

    if has_patterns {
        for (i, hits) in pattern_hits {
            let p = &vocab.patterns[i];
            for range in hits {
                if range.is_empty() || in_quotes(&range) {
                    continue;
                }
                let alone = stands_alone(block, &facts, &range);
                let label_index = p.label.map(|id| {
                    out.labels.push(make_label(
                        doc,
                        block,
                        &facts,
                        block_index,
                        vocab,
                        id,
                        p.lang,
                        range.clone(),
                        false,
                        p.kind.is_none() || alone,
                    ));
                    out.labels.len() - 1
                });
                if let Some(kind) = p.kind
                    && visible_body
                    && signal_is_real(&range, kind)
                {
                    let span = block.source_span(range.clone());
                    out.endorsements.push(Endorsement {
                        kind: kind.into(),
                        // The words as read ("Use code SAVE10", not "Use code **SAVE10").
                        text: block.text[range.clone()].to_string(),
                        span,
                        block: Some(block_index),
                        network: None,
                        asterisk: false,
                        marker_at: None,
                        fine_print: false,
                        nearby_labels: vec![],
                        as_label: label_index,
                    });
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn make_label(
    doc: &Document,
    block: &Block,
    facts: &BlockFacts,
    block_index: usize,
    vocab: &Vocabulary,
    id: usize,
    lang: usize,
    range: std::ops::Range<usize>,
    hashtag: bool,
    in_label_position: bool,
) -> LabelMatch {
    let span = block.source_span(range.clone());
    let words_in_block = facts.words_before(range.start);
    let buried = if block
        .fine_print
        .iter()
        .any(|f| f.start <= range.start && range.end <= f.end)
    {
        Some(Burial::FinePrint)
    } else if hashtag && facts.in_hashtag_pile(range.start) {
        Some(Burial::HashtagPile)
    } else {
        None
    };
    LabelMatch {
        id,
        kind: vocab.label_kinds[id],
        lang,
        text: doc
            .source
            .get(span.clone())
            .unwrap_or(&block.text[range.clone()])
            .to_string(),
        span,
        block: block_index,
        visibility: block.visibility,
        in_title: block.kind == BlockKind::Title,
        word_pos: if block.kind == BlockKind::Title {
            0
        } else {
            doc.words_before(block_index) + words_in_block
        },
        buried,
        in_label_position,
        trusted: false,
        item: false,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn on_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let edge_ok = |edge: Option<char>, inner: Option<char>| match (edge, inner) {
        (Some(e), Some(i)) => !(is_word_char(e) && is_word_char(i)),
        _ => true,
    };
    edge_ok(before, first) && edge_ok(after, last)
}

/// A capitalised name (or a number, or an @handle) right after the phrase: "sponsored
/// by Acme", not "sponsored by a brand".
fn followed_by_name(text: &str, end: usize) -> bool {
    let rest =
        text[end..].trim_start_matches([' ', '\u{a0}', ':', '*', '_', '"', '\'', '“', '„', '»']);
    if let Some(handle) = rest.strip_prefix('@') {
        return handle.chars().next().is_some_and(char::is_alphanumeric);
    }
    rest.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Does the match stand like a label rather than as a word in a sentence?
fn label_position(
    block: &Block,
    facts: &BlockFacts,
    range: &std::ops::Range<usize>,
    hashtag: bool,
) -> bool {
    let text = &block.text;
    let is_lead = |c: char| c.is_whitespace() || "[(*_-–—|>:#·•".contains(c);
    let before = &text[..range.start];
    let after = &text[range.end..];
    let at_start = before.chars().all(is_lead);
    // "(*Werbung)", "[_Anzeige_]": emphasis marks and a backslash inside the brackets
    // do not break them.
    let prev = before
        .trim_end()
        .trim_end_matches(['*', '_', '\\'])
        .chars()
        .next_back();
    let next_non_space = after
        .trim_start()
        .trim_start_matches(['*', '_'])
        .chars()
        .next();
    let next = after.chars().next();
    let bracketed = matches!(prev, Some('[' | '(')) && matches!(next_non_space, Some(']' | ')'));
    let with_colon = matches!(next, Some(':'))
        || after.starts_with(" –")
        || after.starts_with(" -")
        || after.starts_with(" |");
    let emphasised_alone = facts.emphasis_around(range.clone()).any(|e| {
        text[e.clone()]
            .trim()
            .trim_matches(|c: char| !c.is_alphanumeric())
            .len()
            == text[range.clone()].trim_start_matches('#').len()
    });
    let whole = text
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '#')
        .len()
        <= range.len() + 1;
    if at_start || bracketed || emphasised_alone || whole {
        return true;
    }
    if block.kind == BlockKind::Title {
        // "My test (Anzeige)", "Review | Werbung", "Werbung: …"
        let at_end = after.trim().chars().all(|c| !c.is_alphanumeric());
        return with_colon
            || (at_end && matches!(prev, Some('|' | '–' | '—' | '-' | ':' | '(' | '[')));
    }
    if with_colon && (prev.is_none() || matches!(prev, Some('.' | '!' | '?' | ')' | ']'))) {
        return true;
    }
    if hashtag {
        // A hashtag in a row of hashtags, or closing the block: "… #ad #gifted".
        let prev_is_tag = before
            .trim_end()
            .rsplit(char::is_whitespace)
            .next()
            .is_some_and(|w| w.starts_with('#') && w.len() > 1);
        let next_is_tag = after.trim_start().starts_with('#');
        let at_end = after.trim().chars().all(|c| !c.is_alphanumeric());
        return prev_is_tag || next_is_tag || at_end || with_colon;
    }
    false
}

/// Does an endorsement phrase stand on its own like a label ("*In Kooperation mit
/// Samsung*" on its own line, "[Sponsored by Acme]", the title) rather than inside a
/// sentence of the text? A phrase inside prose discloses only where the market accepts
/// it; otherwise it is the endorsement (AD101), not a label attempt (AD301).
/// A label word that closes a paragraph of eight or more words holding a link
/// ("[Acme](…) turns traces into timelines. Try it free. *SPONSORED*"), or that follows
/// the item's link directly: newsletters and link lists label each paid item so, and the
/// label says nothing about the other items.
fn closes_linked_paragraph(
    doc: &Document,
    block: &Block,
    facts: &BlockFacts,
    block_index: usize,
    range: &std::ops::Range<usize>,
) -> bool {
    // Only the label that ends its paragraph can close it: that test first, the links
    // after (a link list is one block with thousands of them).
    let rest = block.text[range.end..]
        .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
    if block.kind != BlockKind::Paragraph || !rest.is_empty() {
        return false;
    }
    let at = block.source_span(range.clone()).start;
    let links = || doc.links.iter().filter(|l| l.block == block_index);
    // "[Alert automation](…) *SPONSORED*": the label right after the item's link.
    let after_link = links().any(|l| {
        doc.source.get(l.span.end..at).is_some_and(|between| {
            between.len() <= 4
                && between
                    .chars()
                    .all(|c| c.is_whitespace() || "*_([-".contains(c))
        })
    });
    after_link || (facts.words_before(range.start) >= 8 && links().next().is_some())
}

fn stands_alone(block: &Block, facts: &BlockFacts, range: &std::ops::Range<usize>) -> bool {
    if block.kind == BlockKind::Title || facts.words() <= 8 {
        return true;
    }
    let text = &block.text;
    let prev = text[..range.start].trim_end().chars().next_back();
    let next = text[range.end..].trim_start().chars().next();
    let bracketed = matches!(prev, Some('[' | '('))
        && text[range.end..].find([']', ')']).is_some_and(|i| i < 40);
    let emphasised = facts
        .emphasis_around(range.clone())
        .any(|e| e.len() <= range.len() + 40);
    let labelled = text[..range.start].trim().is_empty() && matches!(next, Some(':'));
    bracketed || emphasised || labelled
}

/// Ranges inside quotation marks: a label or phrase quoted as an example is a mention,
/// not a use.
/// Opening quotation marks and the marks that close them.
const PAIRS: &[(char, &[char])] = &[
    ('"', &['"']),
    ('“', &['”', '“']),
    ('„', &['“', '”']),
    ('«', &['»']),
    ('»', &['«']),
    ('‹', &['›']),
    ('‘', &['’']),
    ('‚', &['‘', '’']),
    ('「', &['」']),
];

fn quoted_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Every opening mark starts with one of these bytes (`"`, « », “ „ ‹ ‘ ‚, 「):
        // the rest of the text is skipped byte by byte.
        if !matches!(bytes[i], b'"' | 0xC2 | 0xE2 | 0xE3) || !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let after_opener = i + c.len_utf8();
        i = after_opener;
        let Some((_, closers)) = PAIRS.iter().find(|(open, _)| *open == c) else {
            continue;
        };
        let rest = &text[after_opener..];
        // A quotation longer than a sentence is more likely a stray mark: the closing
        // mark is looked for in the next 200 bytes only (searching the whole rest for
        // every unclosed mark was quadratic).
        let Some(j) = rest
            .char_indices()
            .take_while(|&(j, _)| j <= 200)
            .find(|&(_, ch)| closers.contains(&ch))
            .map(|(j, _)| j)
        else {
            continue;
        };
        let closer_len = rest[j..].chars().next().map_or(1, char::len_utf8);
        let end = after_opener + j + closer_len;
        out.push(i - c.len_utf8()..end);
        // Reading goes on after the character that holds the quotation's last byte,
        // and the one after it when the closing mark is longer than one byte.
        let mut k = end - 1;
        while !text.is_char_boundary(k) {
            k += 1;
        }
        i = k + text[k..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// The network of a link that no host table knows but the post itself marks
/// "(affiliate link)": the author's own redirect domain, a shop adlint does not list.
pub const MARKED_BY_THE_POST: &str = "marked by the post";

/// Does the post mark the link as an affiliate link, right after it ("<url> (affiliate
/// link)") or in its text ("[Game deals (affiliate link)](…)")?
fn marked_affiliate(
    doc: &Document,
    vocab: &Vocabulary,
    out: &Signals,
    labels: &LabelsByStart,
    link: &Link,
) -> bool {
    // A label inside the link, or at most four characters (of at most four bytes)
    // after it.
    labels
        .starting_in(link.span.start..link.span.end + 17)
        .any(|i| {
            let l = &out.labels[i];
            if l.block != link.block
                || l.visibility != Visibility::Visible
                || !matches!(
                    vocab.label_id(l.id),
                    "affiliate-link" | "referral-link" | "affiliate"
                )
            {
                return false;
            }
            let inside = link.span.start <= l.span.start && l.span.end <= link.span.end;
            let after = || {
                let between = doc.source.get(link.span.end..l.span.start).unwrap_or("x");
                between.len() <= 16
                    && between.chars().count() <= 4
                    && between
                        .chars()
                        .all(|c| c.is_whitespace() || "([*_-–—:".contains(c))
            };
            inside || after()
        })
}

fn add_affiliate_links(doc: &Document, vocab: &Vocabulary, out: &mut Signals) {
    // Labels by position, and each block's quotations, looked up per link: a link list
    // or a long HTML post has thousands of links (and scanning for each was quadratic).
    let labels = LabelsByStart::new(&out.labels);
    let mut quotes: Option<(usize, Vec<std::ops::Range<usize>>)> = None;
    for link in &doc.links {
        // A link inside code shown to readers (a highlighted template) is an example.
        let code_before = doc.code.partition_point(|c| c.start <= link.span.start);
        if doc.code[..code_before]
            .iter()
            .rev()
            .take(8)
            .any(|c| link.span.end <= c.end)
        {
            continue;
        }
        let network = match vocab.networks.network(&link.url) {
            Some(n) => n.name.clone(),
            None if marked_affiliate(doc, vocab, out, &labels, link) => {
                MARKED_BY_THE_POST.to_string()
            }
            None => continue,
        };
        let after = &doc.source[link.span.end.min(doc.source.len())..];
        let link_text = doc
            .blocks
            .get(link.block)
            .map_or("", |b| &b.text[link.text_range.clone()]);
        // `\*` is how Markdown writes a literal asterisk after a link.
        let marker_start = after.trim_start_matches([' ', '\u{a0}']);
        let asterisk = marker_start.starts_with(['*', '¹', '†']) && !after.starts_with("**")
            || marker_start.starts_with("\\*")
            || link_text.trim_end().ends_with('*');
        let nearby_labels = labels_near(out, &labels, link.block, &link.span);
        let block = doc.blocks.get(link.block);
        // A marker inside quotation marks is not a label (a quoted label is a mention),
        // nor one inside a shortcode (its text is an argument): where the link ends
        // inside either, the marker goes after it.
        let end = link.text_range.end;
        let shortcode_end = doc
            .shortcodes
            .iter()
            .find(|s| s.span.start <= link.span.start && link.span.end <= s.span.end)
            .map(|s| s.span.end);
        let quote_end = || {
            let b = block?;
            let quoted = match &quotes {
                Some((i, q)) if *i == link.block => q,
                _ => &quotes.insert((link.block, quoted_ranges(&b.text))).1,
            };
            quote_around(quoted, end..end)
                .filter(|q| q.start < end && end < q.end)
                .map(|q| b.source_span(q.clone()).end.max(link.span.end))
        };
        let marker_at = match shortcode_end.or_else(quote_end) {
            Some(end) if end + 1 > link.span.end + NEAR => None,
            Some(end) => Some(end),
            None => Some(link.span.end),
        };
        out.endorsements.push(Endorsement {
            kind: EndorsementKind::Affiliate,
            span: link.span.clone(),
            block: Some(link.block),
            text: link.url.clone(),
            network: Some(network),
            asterisk,
            marker_at,
            fine_print: in_fine_print(doc, &link.span),
            nearby_labels,
            as_label: None,
        });
    }
}

/// Is this span inside `<small>`, `<sub>` or `<sup>`?
fn in_fine_print(doc: &Document, span: &Span) -> bool {
    doc.fine_print
        .iter()
        .any(|f| f.start <= span.start && span.end <= f.end)
}

/// How far (in bytes) a marker may stand from the link it marks.
const NEAR: usize = 60;

/// Labels in the same block within [`NEAR`] bytes of a span (in the link text, or
/// before or after it): markers next to a link.
fn labels_near(out: &Signals, labels: &LabelsByStart, block: usize, span: &Span) -> Vec<usize> {
    let mut near: Vec<usize> = labels
        .starting_in(span.start.saturating_sub(NEAR)..span.end + NEAR + 1)
        .filter(|&i| {
            let l = &out.labels[i];
            l.block == block && l.visibility == Visibility::Visible
        })
        .collect();
    near.sort_unstable();
    near
}

/// A post's labels ordered by where they start, to find those in a range of the
/// source without going through all of them.
struct LabelsByStart {
    /// (start, index into `Signals::labels`), sorted.
    starts: Vec<(usize, usize)>,
}

impl LabelsByStart {
    fn new(labels: &[LabelMatch]) -> LabelsByStart {
        let mut starts: Vec<(usize, usize)> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.span.start, i))
            .collect();
        starts.sort_unstable();
        LabelsByStart { starts }
    }

    /// A label added to the post after the index was made.
    fn add(&mut self, start: usize, index: usize) {
        let at = self.starts.partition_point(|&p| p < (start, index));
        self.starts.insert(at, (start, index));
    }

    /// Indexes of the labels that start in `range`.
    fn starting_in(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = usize> + '_ {
        let from = self.starts.partition_point(|&(s, _)| s < range.start);
        self.starts[from..]
            .iter()
            .take_while(move |&&(s, _)| s < range.end)
            .map(|&(_, i)| i)
    }
}

/// Of sorted, non-overlapping ranges, the one that could hold `r`: the last that starts
/// at or before it.
fn quote_around(
    quoted: &[std::ops::Range<usize>],
    r: std::ops::Range<usize>,
) -> Option<&std::ops::Range<usize>> {
    let k = quoted.partition_point(|q| q.start <= r.start);
    k.checked_sub(1).map(|k| &quoted[k])
}

/// Where the closing tag of a paired component or Hugo shortcode ends (`</Name>`,
/// `{{< /name >}}`, `{{% /name %}}`), if it follows in the same paragraph.
fn closing_tag_end(source: &str, sc: &crate::parse::Shortcode) -> Option<usize> {
    let open = source.get(sc.span.clone())?;
    let (close, stop) = if open.starts_with('<') && !open.ends_with("/>") {
        (format!("</{}", sc.name), ">")
    } else if open.starts_with("{{<") || open.starts_with("{{%") {
        (format!("{} /{}", &open[..3], sc.name), "}}")
    } else {
        return None;
    };
    let rest = &source[sc.span.end..];
    // Within the paragraph: up to a blank line, and not far.
    let limit = rest.find("\n\n").unwrap_or(rest.len()).min(1000);
    let rest = &rest[..crate::positions::floor_char_boundary(rest, limit)];
    let at = rest.find(&close)?;
    let end = rest[at..].find(stop)? + stop.len();
    Some(sc.span.end + at + end)
}

/// Shortcodes and components: a disclosure one is a label where it stands; a link one,
/// or one with an affiliate URL in its arguments, is an affiliate link.
fn add_shortcodes(
    doc: &Document,
    vocab: &Vocabulary,
    rules: &Rules,
    post_lang: Option<usize>,
    out: &mut Signals,
) {
    let advertising = vocab.label_ids.iter().position(|id| id == "advertising");
    let mut labels = LabelsByStart::new(&out.labels);
    for sc in &doc.shortcodes {
        if sc.block >= doc.blocks.len() {
            continue;
        }
        // The site's own disclosure shortcode (adlint.toml) is trusted as its label;
        // a built-in name is read as the label it says it prints.
        let site_disclosure = rules.shortcodes.is_disclosure(&sc.name);
        let named = rules
            .shortcodes
            .label_of(&sc.name)
            .and_then(|l| vocab.label_ids.iter().position(|id| id == l));
        let id = if site_disclosure { advertising } else { named };
        if (site_disclosure || named.is_some())
            && let Some(id) = id
        {
            out.labels.push(LabelMatch {
                id,
                kind: vocab.label_kinds[id],
                lang: post_lang.unwrap_or(0),
                span: sc.span.clone(),
                block: sc.block,
                visibility: Visibility::Visible,
                in_title: false,
                word_pos: doc.words_before(sc.block),
                buried: None,
                in_label_position: true,
                text: doc
                    .source
                    .get(sc.span.clone())
                    .unwrap_or(&sc.name)
                    .to_string(),
                trusted: site_disclosure,
                item: false,
            });
            labels.add(sc.span.start, out.labels.len() - 1);
            continue;
        }
        let url_network = sc
            .args
            .iter()
            .find_map(|(_, v)| vocab.networks.network(v).map(|n| n.name.clone()));
        let network = match url_network {
            Some(n) => n,
            None if rules.shortcodes.is_link(&sc.name) => format!("`{}` shortcode", sc.name),
            None => continue,
        };
        // A paired one (`<AffiliateLink …>im Shop</AffiliateLink>`) ends at its closing
        // tag: the marker goes after that, not into its link text, and a marker there
        // is next to it.
        let end = closing_tag_end(doc.source, sc).unwrap_or(sc.span.end);
        let after = &doc.source[end.min(doc.source.len())..];
        out.endorsements.push(Endorsement {
            kind: EndorsementKind::Affiliate,
            span: sc.span.clone(),
            block: Some(sc.block),
            text: sc.name.clone(),
            network: Some(network),
            asterisk: after.trim_start_matches([' ', '\u{a0}']).starts_with('*')
                && !after.starts_with("**"),
            marker_at: Some(end),
            fine_print: in_fine_print(doc, &sc.span),
            nearby_labels: labels_near(out, &labels, sc.block, &(sc.span.start..end)),
            as_label: None,
        });
    }
}

/// Labels the theme prints from a front-matter flag, where the site says it prints them.
fn add_theme_labels(
    doc: &Document,
    vocab: &Vocabulary,
    rules: &Rules,
    post_lang: Option<usize>,
    out: &mut Signals,
) {
    let Some(fm) = &doc.front_matter else { return };
    if rules.theme_labels.is_empty() {
        return;
    }
    let body_words: usize = doc
        .blocks
        .iter()
        .filter(|b| b.visibility == Visibility::Visible && b.kind != BlockKind::Title)
        .map(Block::word_count)
        .sum();
    for t in &rules.theme_labels {
        let Some(span) = theme::applies(t, fm) else {
            continue;
        };
        let Some(id) = vocab.label_ids.iter().position(|l| *l == t.label) else {
            continue;
        };
        out.labels.push(LabelMatch {
            id,
            kind: vocab.label_kinds[id],
            lang: post_lang.unwrap_or(0),
            span,
            block: 0,
            visibility: Visibility::Visible,
            // Printed above the post or before its first link: as good as the title.
            in_title: t.place != "end",
            word_pos: if t.place == "end" { body_words } else { 0 },
            buried: None,
            in_label_position: true,
            text: t
                .text
                .clone()
                .unwrap_or_else(|| format!("the theme's notice ({})", t.when)),
            trusted: true,
            item: false,
        });
    }
}

/// Affiliate URLs in front matter (`amazon: https://amzn.to/…`, a gallery's `url:`):
/// the theme renders them as links, usually above or beside the post.
fn add_front_matter_links(doc: &Document, vocab: &Vocabulary, out: &mut Signals) {
    let Some(fm) = &doc.front_matter else { return };
    fn walk<'v>(value: &'v crate::parse::front_matter::Value, found: &mut Vec<(&'v str, Span)>) {
        use crate::parse::front_matter::Value;
        match value {
            Value::Str(s, span) => found.push((s.as_str(), span.clone())),
            Value::List(items) => items.iter().for_each(|v| walk(v, found)),
            Value::Map(entries) => entries.iter().for_each(|(_, v)| walk(v, found)),
            _ => {}
        }
    }
    let mut strings = Vec::new();
    for (_, value) in &fm.fields {
        walk(value, &mut strings);
    }
    for (text, span) in strings {
        // A field that is a URL (`amazon: https://…`), or text a theme renders with links
        // in it (a recipe step, a summary: `text = "… [Blender](https://…)"`).
        for url in urls_in(text) {
            let Some(network) = vocab.networks.network(url) else {
                continue;
            };
            // The URL's own place when the source spells it as the value does (no escapes):
            // in the value, else anywhere in the front matter (TOML tables of tables have
            // no span of their own).
            let find_in = |within: &Span| {
                let raw = doc.source.get(within.clone())?;
                raw.find(url)
                    .map(|at| within.start + at..within.start + at + url.len())
            };
            let span = find_in(&span)
                .or_else(|| find_in(&fm.span))
                .unwrap_or(span.clone());
            let mut link = Endorsement::plain(EndorsementKind::Affiliate, span, None, url.into());
            link.network = Some(network.name.clone());
            out.endorsements.push(link);
        }
    }
}

/// The web addresses in a front-matter string: the whole value when it is one, else each
/// `http(s)://` run up to a space, quote, bracket or parenthesis.
fn urls_in(text: &str) -> Vec<&str> {
    let trimmed = text.trim();
    if !trimmed.contains(char::is_whitespace) && !trimmed.contains("](") {
        return vec![trimmed];
    }
    let mut urls = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("http") {
        let candidate = &rest[at..];
        if candidate.starts_with("https://") || candidate.starts_with("http://") {
            let end = candidate
                .find(|c: char| c.is_whitespace() || "\"'<>()[]".contains(c))
                .unwrap_or(candidate.len());
            urls.push(&candidate[..end]);
            rest = &candidate[end..];
        } else {
            rest = &candidate[4..];
        }
    }
    urls
}

fn add_front_matter_flags(doc: &Document, rules: &Rules, out: &mut Signals) {
    let Some(fm) = &doc.front_matter else { return };
    let fmr = &rules.front_matter;
    for (key, value) in &fm.fields {
        let key_lower = key.to_ascii_lowercase();
        if fmr.flag_keys.contains(&key_lower) && value.is_truthy() {
            let span = value.span().unwrap_or(fm.span.start..fm.span.start + 3);
            let text = format!("{key}: {}", doc.source.get(span.clone()).unwrap_or("true"));
            out.endorsements
                .push(Endorsement::plain(EndorsementKind::Flag, span, None, text));
        }
        if fmr.tag_keys.contains(&key_lower) {
            for (tag, span) in value.strings() {
                for part in tag.split(',') {
                    let t = part.trim().trim_start_matches('#').to_lowercase();
                    if fmr.tag_values.contains(&t) {
                        out.endorsements.push(Endorsement::plain(
                            EndorsementKind::Flag,
                            span.clone(),
                            None,
                            format!("{key}: {}", part.trim()),
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_ranges_agree_with_the_char_by_char_reading() {
        // The reading `quoted_ranges` replaced (one character at a time), kept as the
        // reference for the byte-skipping one.
        fn reference(text: &str) -> Vec<std::ops::Range<usize>> {
            let mut out = Vec::new();
            let mut iter = text.char_indices();
            while let Some((i, c)) = iter.next() {
                let Some((_, closers)) = super::PAIRS.iter().find(|(open, _)| *open == c) else {
                    continue;
                };
                let rest = &text[i + c.len_utf8()..];
                if let Some(j) = rest.find(|ch: char| closers.contains(&ch)) {
                    let closer_len = rest[j..].chars().next().map_or(1, char::len_utf8);
                    let end = i + c.len_utf8() + j + closer_len;
                    if j <= 200 {
                        out.push(i..end);
                        for (k, _) in iter.by_ref() {
                            if k + 1 >= end {
                                break;
                            }
                        }
                    }
                }
            }
            out
        }
        let long = format!("\"{}\" and \"x\"", "a".repeat(250));
        for t in [
            "He wrote „Werbung“ and \"#ad\". Next one.",
            "„a““b” «c»«d» ‹e› ‘f’‘g’ ‚h‘ 「i」「j」",
            "unclosed “quote and \"another",
            "äöü “x”ß \"y\"é",
            "\"\"\"\"",
            "“”“”",
            long.as_str(),
            "plain text without marks, only ’ apostrophes’",
        ] {
            assert_eq!(quoted_ranges(t), reference(t), "{t}");
        }
    }

    #[test]
    fn quotes_and_sentences() {
        let t = "He wrote „Werbung“ and \"#ad\". Next one.";
        let q = quoted_ranges(t);
        assert_eq!(q.len(), 2);
        assert_eq!(&t[q[0].clone()], "„Werbung“");
        let facts = BlockFacts::new(t, &[]);
        assert_eq!(&t[facts.sentence_of(t.find("Next").unwrap())], " Next one.");
    }

    #[test]
    fn hashtag_piles() {
        let t = "Lovely day #summer #beach #sun #ad #travel";
        assert!(BlockFacts::new(t, &[]).in_hashtag_pile(t.find("#ad").unwrap()));
        let t = "#ad #summer #beach #sun #travel";
        assert!(!BlockFacts::new(t, &[]).in_hashtag_pile(0));
    }

    #[test]
    fn names_after_phrases() {
        assert!(followed_by_name("sponsored by Acme", 12));
        assert!(followed_by_name("sponsored by @acme", 12));
        assert!(!followed_by_name("sponsored by a brand", 12));
    }
}

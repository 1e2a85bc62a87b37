//! What a block's matches ask about the block (how many words before a match, which
//! sentence holds it, where its hashtags are), worked out once per block, the first
//! time a match asks. A long block (an HTML post without paragraphs, a link list, a
//! wall of hashtags) has thousands of matches, and scanning the block for each one was
//! quadratic: a 1 MB paragraph took minutes.

use std::cell::OnceCell;
use std::ops::Range;

pub struct BlockFacts<'t> {
    text: &'t str,
    /// Where each word starts (a word: a run of non-whitespace, as `split_whitespace`).
    word_starts: OnceCell<Vec<usize>>,
    /// Sentence ends: `.`, `!`, `?`, `;` or a line break followed by whitespace.
    sentence_ends: OnceCell<Vec<usize>>,
    /// `,`, `;` and `:`, which end a clause.
    clause_marks: OnceCell<Vec<usize>>,
    /// Hashtags: a `#` at the start or after whitespace, before a letter or digit.
    hashtags: OnceCell<Vec<usize>>,
    /// The block's emphasis ranges.
    emphasis: &'t [Range<usize>],
    /// The same, by start, with the furthest end of each prefix.
    emphasis_by_start: OnceCell<(Vec<Range<usize>>, Vec<usize>)>,
}

fn is_sentence_end(b: u8) -> bool {
    matches!(b, b'.' | b'!' | b'?' | b';' | b'\n')
}

impl<'t> BlockFacts<'t> {
    pub fn new(text: &'t str, emphasis: &'t [Range<usize>]) -> BlockFacts<'t> {
        BlockFacts {
            text,
            word_starts: OnceCell::new(),
            sentence_ends: OnceCell::new(),
            clause_marks: OnceCell::new(),
            hashtags: OnceCell::new(),
            emphasis,
            emphasis_by_start: OnceCell::new(),
        }
    }

    /// The emphasis ranges that hold all of `r`, in no particular order.
    pub fn emphasis_around(&self, r: Range<usize>) -> impl Iterator<Item = &Range<usize>> {
        let (sorted, reach) = self.emphasis_by_start.get_or_init(|| {
            let mut sorted = self.emphasis.to_vec();
            sorted.sort_unstable_by_key(|e| e.start);
            let reach = sorted
                .iter()
                .scan(0, |furthest, e| {
                    *furthest = e.end.max(*furthest);
                    Some(*furthest)
                })
                .collect();
            (sorted, reach)
        });
        // Back from the last range that starts at or before `r`, until no range before
        // reaches its end.
        let upto = sorted.partition_point(|e| e.start <= r.start);
        (0..upto)
            .rev()
            .take_while(move |&i| reach[i] >= r.end)
            .map(move |i| &sorted[i])
            .filter(move |e| r.end <= e.end)
    }

    fn word_starts(&self) -> &[usize] {
        self.word_starts.get_or_init(|| {
            let mut starts = Vec::new();
            let mut in_word = false;
            for (i, c) in self.text.char_indices() {
                let space = c.is_whitespace();
                if !space && !in_word {
                    starts.push(i);
                }
                in_word = !space;
            }
            starts
        })
    }

    /// `text[..at].split_whitespace().count()`.
    pub fn words_before(&self, at: usize) -> usize {
        self.word_starts().partition_point(|&s| s < at)
    }

    /// `text.split_whitespace().count()`.
    pub fn words(&self) -> usize {
        self.word_starts().len()
    }

    /// The sentence around byte `at`: from after the last sentence end before it (one
    /// followed by whitespace) to the first sentence end at or after it (one followed
    /// by whitespace or the end of the text).
    pub fn sentence_of(&self, at: usize) -> Range<usize> {
        let bytes = self.text.as_bytes();
        let ends = self.sentence_ends.get_or_init(|| {
            // Every sentence-ending character is ASCII: one byte, never inside another
            // character.
            (0..bytes.len())
                .filter(|&i| {
                    is_sentence_end(bytes[i]) && self.text[i + 1..].starts_with(char::is_whitespace)
                })
                .collect()
        });
        let k = ends.partition_point(|&e| e < at);
        let start = k.checked_sub(1).map_or(0, |k| ends[k] + 1);
        let last = bytes.len().checked_sub(1);
        let end = match (ends.get(k), last) {
            (Some(&e), _) => e + 1,
            (None, Some(l)) if l >= at && is_sentence_end(bytes[l]) => l + 1,
            _ => bytes.len(),
        };
        start..end
    }

    /// Does `text[range]` hold a `,`, `;` or `:`?
    pub fn has_clause_mark(&self, range: Range<usize>) -> bool {
        let marks = self.clause_marks.get_or_init(|| {
            let bytes = self.text.as_bytes();
            (0..bytes.len())
                .filter(|&i| matches!(bytes[i], b',' | b';' | b':'))
                .collect()
        });
        let k = marks.partition_point(|&m| m < range.start);
        marks.get(k).is_some_and(|&m| m < range.end)
    }

    /// Is the hashtag whose `#` is at `hash_at` in a pile: five or more hashtags in the
    /// block, and this one after the third?
    pub fn in_hashtag_pile(&self, hash_at: usize) -> bool {
        let text = self.text;
        let tags = self.hashtags.get_or_init(|| {
            text.match_indices('#')
                .map(|(i, _)| i)
                .filter(|&i| {
                    let before_ok = i == 0 || text[..i].ends_with(char::is_whitespace);
                    let after_ok = text[i + 1..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                    before_ok && after_ok
                })
                .collect()
        });
        tags.len() >= 5 && tags.binary_search(&hash_at).is_ok_and(|n| n >= 3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reading before this module: each question answered by scanning the text.
    fn sentence_by_scanning(text: &str, at: usize) -> Range<usize> {
        let is_end = |c: char| matches!(c, '.' | '!' | '?' | ';' | '\n');
        let start = text[..at]
            .char_indices()
            .rev()
            .find(|(i, c)| is_end(*c) && text[i + 1..].starts_with(char::is_whitespace))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[at..]
            .char_indices()
            .find(|(i, c)| {
                is_end(*c)
                    && text[at + i + 1..]
                        .chars()
                        .next()
                        .is_none_or(char::is_whitespace)
            })
            .map_or(text.len(), |(i, _)| at + i + 1);
        start..end
    }

    fn pile_by_scanning(text: &str, hash_at: usize) -> bool {
        let positions: Vec<usize> = text
            .match_indices('#')
            .filter(|(i, _)| {
                let before_ok = *i == 0 || text[..*i].ends_with(char::is_whitespace);
                let after_ok = text[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
                before_ok && after_ok
            })
            .map(|(i, _)| i)
            .collect();
        positions.len() >= 5
            && positions
                .iter()
                .position(|&p| p == hash_at)
                .is_some_and(|n| n >= 3)
    }

    #[test]
    fn examples() {
        let text = "Sponsored. If you buy, thanks! #ad #a #b #c #d";
        let facts = BlockFacts::new(text, &[]);
        assert_eq!(facts.words(), 10);
        assert_eq!(facts.words_before(11), 1);
        assert_eq!(facts.words_before(12), 2);
        assert_eq!(facts.sentence_of(15), 10..30);
        assert!(facts.has_clause_mark(11..24));
        assert!(!facts.has_clause_mark(0..21));
        assert!(!facts.in_hashtag_pile(text.find("#a ").unwrap()));
        assert!(facts.in_hashtag_pile(text.find("#c").unwrap()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The emphasis around a range is every range that holds it, whatever the
        /// ranges (nested, overlapping, empty).
        #[test]
        fn emphasis_around_is_every_holder(
            ranges in prop::collection::vec((0usize..40, 0usize..12), 0..12),
            start in 0usize..45,
            len in 0usize..8,
        ) {
            let emphasis: Vec<Range<usize>> = ranges.iter().map(|&(s, l)| s..s + l).collect();
            let facts = BlockFacts::new("", &emphasis);
            let r = start..start + len;
            let mut found: Vec<Range<usize>> = facts.emphasis_around(r.clone()).cloned().collect();
            let mut expected: Vec<Range<usize>> = emphasis
                .iter()
                .filter(|e| e.start <= r.start && r.end <= e.end)
                .cloned()
                .collect();
            found.sort_by_key(|e| (e.start, e.end));
            expected.sort_by_key(|e| (e.start, e.end));
            prop_assert_eq!(found, expected);
        }

        /// Every answer is the one the scan of the text gives.
        #[test]
        fn the_same_answers_as_scanning(
            text in "[a #.!?;:,\n\t\u{a0}é#]{0,60}",
            at in 0usize..70,
        ) {
            let facts = BlockFacts::new(&text, &[]);
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            prop_assert_eq!(facts.words(), text.split_whitespace().count());
            prop_assert_eq!(facts.words_before(at), text[..at].split_whitespace().count());
            prop_assert_eq!(facts.sentence_of(at), sentence_by_scanning(&text, at));
            for end in (at..=text.len()).filter(|&e| text.is_char_boundary(e)) {
                prop_assert_eq!(
                    facts.has_clause_mark(at..end),
                    text[at..end].contains([',', ';', ':'])
                );
            }
            prop_assert_eq!(facts.in_hashtag_pile(at), pile_by_scanning(&text, at));
        }
    }
}

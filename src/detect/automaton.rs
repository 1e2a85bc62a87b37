//! The form automaton: every literal form and trigger word of every language in one
//! Aho-Corasick DFA, searched once per block for every occurrence of every word,
//! overlapping ones included ("code" inside "rabattcode"). ASCII letters match in
//! either case (an uppercase letter is in its lowercase letter's class), so a block
//! of ASCII text is searched as it is, without a lowercased copy.
//!
//! Built here rather than taken from the aho-corasick crate, whose DFA finds the same
//! matches (a property test below compares them): this one is laid out for the one
//! search adlint does. Bytes that occur in no word share one class, so a row is ~60
//! entries, not 256; states are numbered breadth first, so the shallow states that
//! ordinary text keeps returning to sit together in cache; and states that end a word
//! are numbered last, so the search loop tests one comparison per byte. Measured on
//! the generated corpus: 2.3 ns per byte against 4.7, half the memory (3.5 MB for
//! 1,700 words), built in a few milliseconds (docs/performance.md).

/// A dense DFA over byte classes; state ids are premultiplied row offsets.
#[derive(Debug, Clone)]
pub struct FormAutomaton {
    /// Byte to class (0: a byte that occurs in no word).
    class: [u16; 256],
    /// Classes per row.
    stride: usize,
    /// Row-major transitions; each entry is the row offset of the next state.
    next: Vec<u32>,
    /// Row offset of the first state that ends a word: every state from there on does.
    first_match: u32,
    /// Per matching state (counted from `first_match`), its slice of `words_ending`.
    ends: Vec<u32>,
    /// The words each matching state ends, longest first.
    words_ending: Vec<u32>,
    /// Byte length of each word.
    lens: Vec<u32>,
}

impl FormAutomaton {
    /// The automaton of `words` (word `i` is reported as `i`), which must be in ASCII
    /// lowercase (`fold_case` makes them so). Empty words are never reported. `None` only if the table would not fit 32-bit offsets (billions of
    /// entries: not a vocabulary of words).
    pub fn new(words: &[String]) -> Option<FormAutomaton> {
        let mut class = [0u16; 256];
        let mut stride = 1;
        let mut used = [false; 256];
        for word in words {
            for &b in word.as_bytes() {
                used[usize::from(b)] = true;
            }
        }
        for (b, &u) in used.iter().enumerate() {
            if u {
                class[b] = stride as u16;
                stride += 1;
            }
        }
        for upper in b'A'..=b'Z' {
            class[usize::from(upper)] = class[usize::from(upper.to_ascii_lowercase())];
        }

        // The trie, sparse: per state, its edges (class, child) and the words it ends;
        // states are numbered in order of creation (0 is the root).
        let mut edges: Vec<Vec<(u16, u32)>> = vec![Vec::new()];
        let mut ending: Vec<Vec<u32>> = vec![Vec::new()];
        for (i, word) in words.iter().enumerate() {
            if word.is_empty() {
                continue;
            }
            let mut state = 0;
            for &b in word.as_bytes() {
                let c = class[usize::from(b)];
                state = match edges[state].iter().find(|&&(ec, _)| ec == c) {
                    Some(&(_, child)) => child as usize,
                    None => {
                        let new = edges.len();
                        edges[state].push((c, u32::try_from(new).ok()?));
                        edges.push(Vec::new());
                        ending.push(Vec::new());
                        new
                    }
                };
            }
            ending[state].push(u32::try_from(i).ok()?);
        }
        let states = edges.len();
        u32::try_from(states.checked_mul(stride)?).ok()?;

        // Failure links, breadth first: a state's suffix state is the longest proper
        // suffix of its word that is also in the trie; it ends every word that one ends.
        let goto = |state: usize, c: u16| {
            edges[state]
                .iter()
                .find(|&&(ec, _)| ec == c)
                .map(|&(_, child)| child as usize)
        };
        let mut order = vec![0usize];
        let mut fail = vec![0usize; states];
        let mut head = 0;
        while head < order.len() {
            let state = order[head];
            head += 1;
            for &(c, child) in &edges[state] {
                let child = child as usize;
                if state != 0 {
                    let mut f = fail[state];
                    fail[child] = loop {
                        if let Some(next) = goto(f, c) {
                            break next;
                        }
                        if f == 0 {
                            break 0;
                        }
                        f = fail[f];
                    };
                    if !ending[fail[child]].is_empty() {
                        let inherited = ending[fail[child]].clone();
                        ending[child].extend(inherited);
                    }
                }
                order.push(child);
            }
        }

        // Numbering: breadth first, states that end no word first; then each row is
        // its suffix state's row (complete, being shallower) with its own edges set.
        let (mut numbering, matching): (Vec<usize>, Vec<usize>) =
            order.iter().partition(|&&s| ending[s].is_empty());
        let first_match = numbering.len();
        numbering.extend(matching);
        let mut offset_of = vec![0u32; states];
        for (n, &s) in numbering.iter().enumerate() {
            offset_of[s] = (n * stride) as u32;
        }
        let mut next = vec![0u32; states * stride];
        let mut ends = vec![0u32];
        let mut words_ending = Vec::new();
        for (n, &s) in numbering.iter().enumerate() {
            if n >= first_match {
                words_ending.extend(&ending[s]);
                ends.push(words_ending.len() as u32);
            }
        }
        // Rows in breadth-first order, so that a suffix state's row is always ready.
        for &s in &order {
            let row = offset_of[s] as usize;
            if s != 0 {
                let from = offset_of[fail[s]] as usize;
                next.copy_within(from..from + stride, row);
            }
            for &(c, child) in &edges[s] {
                next[row + usize::from(c)] = offset_of[child as usize];
            }
        }
        Some(FormAutomaton {
            class,
            stride,
            next,
            first_match: (first_match * stride) as u32,
            ends,
            words_ending,
            lens: words.iter().map(|w| w.len() as u32).collect(),
        })
    }

    /// Calls `found(start, end, word)` for every occurrence of every word in
    /// `haystack`, in order of end.
    pub fn for_each_match(&self, haystack: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        let mut state = 0;
        let mut at = 0;
        while let Some(end) = self.next_match(haystack, &mut at, &mut state) {
            let m = (state - self.first_match) as usize / self.stride;
            for &word in &self.words_ending[self.ends[m] as usize..self.ends[m + 1] as usize] {
                let word = word as usize;
                found(end - self.lens[word] as usize, end, word);
            }
        }
    }

    /// Walks from `at` to the next state that ends a word; returns the end of those
    /// words. The loop is kept apart from the callback so that its state, position and
    /// tables stay in registers (inlined into the caller, they were spilled to the
    /// stack: a store and a load more on every byte's dependency chain).
    #[inline(never)]
    fn next_match(&self, haystack: &[u8], at: &mut usize, state: &mut u32) -> Option<usize> {
        let next = self.next.as_slice();
        let class = &self.class;
        let first_match = self.first_match;
        let mut s = *state;
        for (i, &b) in haystack.iter().enumerate().skip(*at) {
            s = next[s as usize + usize::from(class[usize::from(b)])];
            if s >= first_match {
                *state = s;
                *at = i + 1;
                return Some(i + 1);
            }
        }
        *state = s;
        *at = haystack.len();
        None
    }

    /// Heap bytes held.
    pub fn memory_usage(&self) -> usize {
        4 * (self.next.len() + self.ends.len() + self.words_ending.len() + self.lens.len())
    }

    /// Number of states.
    pub fn states(&self) -> usize {
        self.next.len() / self.stride
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(words: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        FormAutomaton::new(words)
            .unwrap()
            .for_each_match(text.as_bytes(), |s, e, w| out.push((s, e, w)));
        out.sort_unstable();
        out
    }

    fn reference(words: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(words)
            .unwrap();
        let mut out: Vec<_> = ac
            .find_overlapping_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn overlapping_words_are_all_found() {
        let words: Vec<String> = ["code", "rabattcode", "at", "tt", "ode", "rabatt"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            ours(&words, "rabattcode!"),
            vec![
                (0, 6, 5),
                (0, 10, 1),
                (3, 5, 2),
                (4, 6, 3),
                (6, 10, 0),
                (7, 10, 4)
            ]
        );
        assert_eq!(ours(&words, "nothing here"), vec![]);
        assert_eq!(ours(&words, "RabattCODE"), ours(&words, "rabattcode"));
    }

    #[test]
    fn multibyte_words_and_text() {
        let words: Vec<String> = ["größe", "ße", "für", "ü"].map(String::from).to_vec();
        let text = "für die größe: ßüü FÜR";
        assert_eq!(ours(&words, text), reference(&words, text));
    }

    #[test]
    fn empty_words_are_skipped() {
        let words: Vec<String> = ["", "a"].map(String::from).to_vec();
        assert_eq!(ours(&words, "aa"), vec![(0, 1, 1), (1, 2, 1)]);
        assert!(FormAutomaton::new(&[]).is_some());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The same matches as the aho-corasick crate's, over small alphabets (where
        /// words overlap and share suffixes most), duplicates, some non-ASCII and text in
        /// both cases.
        #[test]
        fn same_matches_as_aho_corasick(
            words in prop::collection::vec("[abcä ]{1,6}", 1..40),
            text in "[abcäABCÄd ]{0,200}",
        ) {
            prop_assert_eq!(ours(&words, &text), reference(&words, &text));
        }
    }
}

//! Text to [`Document`]: front matter, the post's language and the body as blocks of
//! text, each mapped back to byte spans of the original file.

pub mod front_matter;
pub mod lang;
mod markdown;

use crate::diagnostic::Span;
pub use front_matter::{FrontMatter, FrontMatterError, Value};

/// How readers see a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Visible,
    /// An HTML comment: never shown.
    HtmlComment,
    /// Image alt text: shown only when the image fails to load.
    AltText,
    /// A link title: shown only on hover.
    LinkTitle,
    /// A front-matter field other than the title: shown only if the theme prints it.
    FrontMatterField,
}

impl Visibility {
    pub fn describe(self) -> &'static str {
        match self {
            Visibility::Visible => "visible text",
            Visibility::HtmlComment => "an HTML comment, which readers never see",
            Visibility::AltText => {
                "image alt text, which readers see only if the image fails to load"
            }
            Visibility::LinkTitle => {
                "a link title, which readers see only when hovering over the link"
            }
            Visibility::FrontMatterField => {
                "a front-matter field, which readers do not see unless the theme prints it"
            }
        }
    }
}

/// What kind of block it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// The front-matter `title`, rendered as the post's heading.
    Title,
    Heading,
    Paragraph,
    Html,
    /// A hidden text (see [`Visibility`]).
    Hidden,
}

/// A run of block text mapped to the original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub text_start: usize,
    pub src_start: usize,
    pub len: usize,
    /// The text equals the source bytes (no escapes or entities in between).
    pub exact: bool,
}

/// A leaf block of text: a paragraph, heading, list item text, table, HTML block or a
/// hidden text such as a comment.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub visibility: Visibility,
    /// Index among visible body blocks (the title and hidden blocks share the index of
    /// the next visible block).
    pub index: usize,
    pub text: String,
    pub pieces: Vec<Piece>,
    /// Ranges of `text` in `<small>`, `<sub>` or `<sup>`.
    pub fine_print: Vec<std::ops::Range<usize>>,
    /// Ranges of `text` inside emphasis or strong emphasis.
    pub emphasis: Vec<std::ops::Range<usize>>,
    /// The block as a whole, in the source.
    pub span: Span,
    /// For front-matter blocks, the key they come from.
    pub field: Option<String>,
}

impl Block {
    /// Maps a range of `text` to a byte span of the original file.
    pub fn source_span(&self, range: std::ops::Range<usize>) -> Span {
        let start = self.map_offset(range.start, false);
        let end = self.map_offset(range.end, true).max(start);
        start..end
    }

    fn map_offset(&self, offset: usize, is_end: bool) -> usize {
        // Pieces are appended in text order (`text_start` never decreases), so only
        // those up to the offset can hold it; of those the last that holds it wins (a
        // piece that is not exact spans its source's length, which can reach over the
        // next pieces). The search goes back from there: a long block has thousands
        // of pieces and a lookup for every match.
        let pieces = &self.pieces;
        let found = if is_end {
            let upto = pieces.partition_point(|p| p.text_start < offset);
            pieces[..upto]
                .iter()
                .rev()
                .find(|p| offset <= p.text_start + p.len)
        } else {
            let upto = pieces.partition_point(|p| p.text_start <= offset);
            pieces[..upto]
                .iter()
                .rev()
                .find(|p| offset < p.text_start + p.len.max(1))
        };
        match found {
            Some(p) if p.exact => p.src_start + (offset - p.text_start),
            Some(p) => {
                if is_end {
                    p.src_start + p.len
                } else {
                    p.src_start
                }
            }
            None => pieces[..pieces.partition_point(|p| p.text_start <= offset)]
                .last()
                .map_or(self.span.start, |p| {
                    p.src_start + p.len.min(offset - p.text_start)
                }),
        }
    }

    pub fn word_count(&self) -> usize {
        count_words(&self.text)
    }
}

/// `text.split_whitespace().count()`, without decoding characters one at a time (it
/// runs over every block of a post that has a label): a byte is decoded only when it
/// can start a whitespace character outside ASCII (U+0085, U+00A0, U+1680, U+2000 to
/// U+205F, U+3000 all start with one of four bytes).
pub fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = match bytes[i] {
            b' ' | b'\t'..=b'\r' => (true, 1),
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c.is_whitespace(), c.len_utf8())
            }
            _ => (false, 1),
        };
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
        i += len;
    }
    words
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Inline,
    Reference,
    Autolink,
    Html,
    /// A bare URL in the text, which most site generators turn into a link.
    Bare,
}

/// A link in the body.
#[derive(Debug, Clone)]
pub struct Link {
    pub url: String,
    pub kind: LinkKind,
    /// The whole link in the source (`[text](url)`).
    pub span: Span,
    /// Index into [`Document::blocks`] of the block that holds it.
    pub block: usize,
    /// The link text within that block's text.
    pub text_range: std::ops::Range<usize>,
}

/// A shortcode or component: Hugo `{{< name args >}}`, Liquid `{% include name.html
/// key="value" %}` / `{% name args %}`, MDX/Astro `<Name key="value" />`.
#[derive(Debug, Clone)]
pub struct Shortcode {
    /// The name as written (`amazon`, `affiliate-link.html`, `ProductBox`).
    pub name: String,
    /// `(key, value)`; positional arguments have no key.
    pub args: Vec<(Option<String>, String)>,
    pub span: Span,
    /// Index into [`Document::blocks`].
    pub block: usize,
}

/// An HTML comment, kept for suppression directives.
#[derive(Debug, Clone)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

/// How a post's body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Markdown,
    /// An `.html` post with front matter (Jekyll `_posts/*.html`): the body is HTML,
    /// never Markdown (indentation is not code, `*` is not emphasis).
    Html,
}

impl Syntax {
    /// By the file's extension: `.html` and `.htm` are HTML, the rest Markdown. The
    /// same test as `discover::is_html`, written here so that parsing does not depend
    /// on how files were found (tests/architecture.rs checks that the two agree).
    pub fn of(path: &std::path::Path) -> Syntax {
        let html = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        if html { Syntax::Html } else { Syntax::Markdown }
    }
}

/// A parsed post.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub source: &'a str,
    pub syntax: Syntax,
    pub front_matter: Option<FrontMatter>,
    pub front_matter_error: Option<FrontMatterError>,
    pub body_start: usize,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
    pub comments: Vec<Comment>,
    /// Byte offset of `<!--more-->`, the excerpt break.
    pub more_break: Option<usize>,
    /// `<small>`, `<sub>` and `<sup>` elements in the source, tags included (the
    /// blocks hold the same as ranges of their text).
    pub fine_print: Vec<Span>,
    /// Ranges of the source inside code blocks and inline code.
    pub code: Vec<Span>,
    /// Shortcodes and components in the visible text (their text is blanked out of the
    /// blocks, so their arguments are never read as prose).
    pub shortcodes: Vec<Shortcode>,
    /// Words of visible body text before each block, counted the first time a label
    /// asks (most posts have none, and counting is a pass over every block).
    words_before: std::sync::OnceLock<Vec<usize>>,
}

impl Document<'_> {
    /// Words of visible body text before block `index`: the words of the body's
    /// paragraphs, headings and HTML before it (not the title, not hidden texts).
    pub fn words_before(&self, index: usize) -> usize {
        let counts = self.words_before.get_or_init(|| {
            let mut total = 0;
            self.blocks
                .iter()
                .map(|b| {
                    let before = total;
                    if !matches!(b.kind, BlockKind::Title | BlockKind::Hidden) {
                        total += b.word_count();
                    }
                    before
                })
                .collect()
        });
        counts.get(index).copied().unwrap_or(0)
    }

    /// The first visible body block, if any (used for inserting labels).
    pub fn first_body_block(&self) -> Option<&Block> {
        self.blocks
            .iter()
            .find(|b| b.visibility == Visibility::Visible && b.kind != BlockKind::Title)
    }

    /// All visible text of the body, for language detection.
    pub fn visible_text(&self, limit: usize) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            if b.visibility == Visibility::Visible {
                out.push_str(&b.text);
                out.push('\n');
                if out.len() > limit {
                    break;
                }
            }
        }
        out
    }
}

/// Parses a Markdown post. Never fails: a broken front matter is reported in
/// `front_matter_error` and the body is still parsed.
pub fn parse(source: &str) -> Document<'_> {
    parse_as(source, Syntax::Markdown)
}

/// Parses a post whose body is Markdown or HTML.
pub fn parse_as(source: &str, syntax: Syntax) -> Document<'_> {
    let split = front_matter::split(source);
    let (front_matter, front_matter_error) = match split.front_matter {
        Some(Ok(fm)) => (Some(fm), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let mut doc = Document {
        source,
        syntax,
        front_matter,
        front_matter_error,
        body_start: split.body_start,
        blocks: Vec::new(),
        links: Vec::new(),
        comments: Vec::new(),
        more_break: None,
        fine_print: Vec::new(),
        code: Vec::new(),
        shortcodes: Vec::new(),
        words_before: std::sync::OnceLock::new(),
    };
    add_front_matter_blocks(&mut doc);
    match syntax {
        Syntax::Markdown => markdown::parse_body(&mut doc),
        Syntax::Html => markdown::parse_html_body(&mut doc),
    }
    doc
}

/// The title is a visible label position; other string fields are hidden texts.
fn add_front_matter_blocks(doc: &mut Document) {
    let Some(fm) = &doc.front_matter else { return };
    let mut blocks = Vec::new();
    for (key, value) in &fm.fields {
        let is_title = key.eq_ignore_ascii_case("title");
        for (text, span) in value.strings() {
            let exact = doc.source.get(span.clone()) == Some(text);
            blocks.push(Block {
                kind: if is_title {
                    BlockKind::Title
                } else {
                    BlockKind::Hidden
                },
                visibility: if is_title {
                    Visibility::Visible
                } else {
                    Visibility::FrontMatterField
                },
                index: 0,
                text: text.to_string(),
                pieces: vec![Piece {
                    text_start: 0,
                    src_start: span.start,
                    len: if exact { text.len() } else { span.len() },
                    exact,
                }],
                fine_print: vec![],
                emphasis: vec![],
                span: span.clone(),
                field: Some(key.clone()),
            });
        }
    }
    doc.blocks.extend(blocks);
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #[test]
        fn count_words_is_split_whitespace(text in "[ a\t\n\r\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}é€ſ]{0,40}") {
            proptest::prop_assert_eq!(super::count_words(&text), text.split_whitespace().count());
        }
    }
}

//! The Markdown body to blocks, links, comments and code ranges, with pulldown-cmark.
//!
//! A block is opened by the first inline content and closed by any block-level event,
//! so paragraphs, headings, tight list items and table rows all become blocks without
//! a case for each container.

use super::{Block, BlockKind, Comment, Document, Link, LinkKind, Piece, Visibility};
use crate::diagnostic::Span;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::LazyLock;

// The last character is not punctuation, nor `*`: an asterisk right after a URL marks
// it as an affiliate link (German style), it is not part of it.
static BARE_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"https?://[^\s<>()\[\]"'`]+[^\s<>()\[\]"'`.,;:!?*]"#).unwrap());
static HTML_HREF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#).unwrap());
static HTML_ALT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)\b(?:alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).unwrap());
static SHORTCODE: LazyLock<Regex> = LazyLock::new(|| {
    // Hugo {{< name args >}} / {{% name args %}}, Liquid/Nunjucks {% name args %}.
    Regex::new(r#"\{\{[<%]-?\s*(/?)\s*([\w.-]+)((?:[^}]|\}[^}])*?)\s*-?[%>]\}\}|\{%-?\s*(?:include\s+)?([\w./-]+)((?:[^%]|%[^}])*?)-?%\}"#).unwrap()
});
/// MDX/Astro ES module lines (`import X from '…'`, `export const …`): code, not prose.
static ESM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:import\s+(?:[\w*{}\s,]+\s+from\s+)?["'][^"']+["'];?|export\s+(?:const|let|default|function)\b.*)$"#).unwrap()
});
static MORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<!--\s*(?:more|truncate)\s*-->").unwrap());

/// Builds the current leaf block.
#[derive(Default)]
struct Builder {
    kind: Option<BlockKind>,
    text: String,
    pieces: Vec<Piece>,
    fine_print: Vec<std::ops::Range<usize>>,
    emphasis: Vec<std::ops::Range<usize>>,
    start: usize,
    end: usize,
}

impl Builder {
    fn push(&mut self, text: &str, src: Span, exact: bool) {
        if self.kind.is_none() {
            self.kind = Some(BlockKind::Paragraph);
            self.start = src.start;
        }
        if text.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            text_start: self.text.len(),
            src_start: src.start,
            len: if exact { text.len() } else { src.len() },
            exact,
        });
        self.text.push_str(text);
        self.end = self.end.max(src.end);
    }

    /// A separator that maps to no source bytes (soft breaks, inline code).
    fn push_gap(&mut self, at: usize) {
        if self.kind.is_some() && !self.text.ends_with(' ') {
            self.pieces.push(Piece {
                text_start: self.text.len(),
                src_start: at,
                len: 0,
                exact: false,
            });
            self.text.push(' ');
        }
    }
}

struct Walker<'d, 'a> {
    doc: &'d mut Document<'a>,
    cur: Builder,
    visible_index: usize,
    heading: bool,
    code_depth: usize,
    /// Open `<small>`, `<sub>`, `<sup>`: (text start, source start).
    fine_print_start: Vec<(usize, usize)>,
    emphasis_start: Vec<usize>,
    /// Open links: (url, kind, source start, text start)
    links: Vec<(String, LinkKind, usize, usize)>,
    /// Open `<a href>` tags.
    html_links: Vec<(String, usize, usize)>,
    /// Open custom elements (`<external-link href="…">`): whether each opened a link.
    custom_elements: Vec<bool>,
    /// Open images: alt text builder.
    image: Option<Builder>,
    /// Components met in the current block, waiting for its index.
    components: Vec<super::Shortcode>,
    pending: Vec<Link>,
    /// An `.html` post: block-level tags end blocks.
    html_body: bool,
}

pub fn parse_body(doc: &mut Document) {
    let source = doc.source;
    let body = &source[doc.body_start..];
    let base = doc.body_start;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut w = Walker::new(doc);
    let mut html_block_start: Option<usize> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = base + range.start..base + range.end;
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph
                | Tag::Item
                | Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::FootnoteDefinition(_) => w.close(),
                Tag::Table(_) | Tag::TableHead | Tag::TableRow => w.close(),
                Tag::TableCell => w.cur.push_gap(range.start),
                Tag::Heading { .. } => {
                    w.close();
                    w.heading = true;
                }
                Tag::CodeBlock(_) => {
                    w.close();
                    w.code_depth += 1;
                    w.doc.code.push(range.clone());
                }
                Tag::HtmlBlock => {
                    w.close();
                    html_block_start = Some(range.start);
                }
                Tag::Emphasis | Tag::Strong => {
                    w.ensure_open(range.start);
                    w.emphasis_start.push(w.cur.text.len())
                }
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                } => {
                    w.ensure_open(range.start);
                    let kind = match link_type {
                        LinkType::Autolink | LinkType::Email => LinkKind::Autolink,
                        LinkType::Inline => LinkKind::Inline,
                        _ => LinkKind::Reference,
                    };
                    w.links
                        .push((dest_url.to_string(), kind, range.start, w.cur.text.len()));
                    if !title.is_empty() {
                        w.hidden_text(&title, &range, Visibility::LinkTitle);
                    }
                }
                Tag::Image { title, .. } => {
                    if !title.is_empty() {
                        w.hidden_text(&title, &range, Visibility::LinkTitle);
                    }
                    w.image = Some(Builder {
                        kind: Some(BlockKind::Hidden),
                        start: range.start,
                        end: range.end,
                        ..Builder::default()
                    });
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::List(_) => {
                    w.close()
                }
                TagEnd::FootnoteDefinition
                | TagEnd::Table
                | TagEnd::TableHead
                | TagEnd::TableRow => w.close(),
                TagEnd::Heading(_) => {
                    w.close();
                    w.heading = false;
                }
                TagEnd::CodeBlock => w.code_depth = w.code_depth.saturating_sub(1),
                TagEnd::HtmlBlock => {
                    if let Some(start) = html_block_start.take() {
                        w.html_chunk(start..range.end.max(start), true);
                        w.close();
                    }
                }
                TagEnd::Emphasis | TagEnd::Strong => {
                    if let Some(start) = w.emphasis_start.pop() {
                        let end = w.cur.text.len();
                        w.cur.emphasis.push(start..end);
                    }
                }
                TagEnd::Link => {
                    // A link in an image's alt text is rendered as plain alt text: no one
                    // can follow it, and a marker put "next to it" would land in the
                    // alt text too, unseen, once more at every `--fix`.
                    if let Some((url, kind, start, text_start)) = w.links.pop()
                        && w.image.is_none()
                    {
                        let text_end = w.cur.text.len();
                        w.push_link(url, kind, start..range.end, text_start..text_end);
                    }
                }
                TagEnd::Image => {
                    if let Some(alt) = w.image.take() {
                        w.finish_hidden(alt, Visibility::AltText);
                    }
                }
                _ => {}
            },
            Event::Text(text) => {
                if w.code_depth > 0 {
                    continue;
                }
                let exact = source.get(range.clone()) == Some(text.as_ref());
                if let Some(alt) = &mut w.image {
                    alt.push(&text, range, exact);
                } else if html_block_start.is_none() {
                    w.cur.push(&text, range, exact);
                }
            }
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                w.doc.code.push(range.clone());
                w.ensure_open(range.start);
                w.cur.push_gap(range.start);
            }
            Event::SoftBreak | Event::HardBreak => w.cur.push_gap(range.start),
            Event::Html(_) => {
                // Collected whole at the end of the HTML block.
            }
            Event::InlineHtml(_) => w.html_chunk(range, false),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
            Event::Rule => w.close(),
        }
    }
    w.finish();
}

/// Block-level HTML tags: in an HTML body each one ends the current block.
const HTML_BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "table",
    "tr",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "aside",
    "nav",
    "dl",
    "dt",
    "dd",
    "details",
    "summary",
];

/// Elements whose content is code or not text at all.
const HTML_CODE_TAGS: &[&str] = &["pre", "code", "script", "style", "textarea"];

static BLANK_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\n[ \t]*\r?\n").unwrap());

/// The body of an `.html` post: text between tags, in blocks split at block-level tags
/// and blank lines. No Markdown: indentation is not code, `*` is not emphasis.
pub fn parse_html_body(doc: &mut Document) {
    let source = doc.source;
    let mut w = Walker::new(doc);
    w.html_body = true;
    let mut pos = w.doc.body_start;
    while pos < source.len() {
        let text_end = source[pos..].find('<').map_or(source.len(), |i| pos + i);
        w.html_body_text(pos..text_end);
        pos = text_end;
        if pos >= source.len() {
            break;
        }
        let tag = &source[pos..];
        if tag.starts_with("<!--") {
            let end = tag.find("-->").map_or(source.len(), |i| pos + i + 3);
            w.comment(pos..end);
            pos = end;
            continue;
        }
        let end = tag.find('>').map_or(source.len(), |i| pos + i + 1);
        let name = tag_name(&source[pos..end]);
        if HTML_CODE_TAGS.contains(&name.as_str()) {
            // Up to the closing tag: code, never prose.
            let close = format!("</{name}");
            let inner_end = source.as_bytes()[end..]
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
                .map_or(source.len(), |i| end + i);
            let close_end = source[inner_end..]
                .find('>')
                .map_or(source.len(), |i| inner_end + i + 1);
            if name == "code" {
                w.ensure_open(pos);
                w.cur.push_gap(pos);
            } else {
                w.close();
            }
            w.doc.code.push(pos..close_end);
            pos = close_end;
            continue;
        }
        w.html_tag(&source[pos..end], pos..end);
        pos = end;
    }
    w.finish();
}

/// `<P class=…>` → `p`, `</h2>` → `/h2`.
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

impl<'d, 'a> Walker<'d, 'a> {
    fn new(doc: &'d mut Document<'a>) -> Self {
        Walker {
            doc,
            cur: Builder::default(),
            visible_index: 0,
            heading: false,
            code_depth: 0,
            fine_print_start: vec![],
            emphasis_start: vec![],
            links: vec![],
            html_links: vec![],
            custom_elements: vec![],
            image: None,
            pending: vec![],
            components: vec![],
            html_body: false,
        }
    }

    /// The last block, then links, shortcodes and bare URLs.
    fn finish(mut self) {
        self.close();
        let mut pending = std::mem::take(&mut self.pending);
        self.doc.links.append(&mut pending);
        // Block text comes from the source, where a shortcode's braces or a URL's `://`
        // must then be too, unless an entity (`&#123;`) or an escape (`\u007b` in a
        // quoted title) spelled them: one search of the source instead of one per block.
        let source = self.doc.source;
        let entity = source.as_bytes().contains(&b'&') || source.as_bytes().contains(&b'\\');
        if entity || source.contains("{{") || source.contains("{%") {
            add_shortcodes(self.doc);
        }
        if entity || source.contains("://") {
            add_bare_urls(self.doc);
        }
        self.doc.links.sort_by_key(|l| l.span.start);
    }

    /// Text between tags of an HTML body: a blank line ends the block, a line break is
    /// a space.
    fn html_body_text(&mut self, range: Span) {
        let source = self.doc.source;
        let text = &source[range.clone()];
        let mut last = 0;
        for gap in BLANK_LINE.find_iter(text) {
            self.html_lines(range.start + last, &text[last..gap.start()]);
            self.close();
            last = gap.end();
        }
        self.html_lines(range.start + last, &text[last..]);
    }

    fn html_lines(&mut self, at: usize, text: &str) {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            // Indentation and line ends are whitespace in HTML: one space, so phrases
            // broken over lines are still found.
            let content = line.trim_end_matches(['\n', '\r']);
            let words = content.trim();
            if words.is_empty() {
                self.cur.push_gap(at + offset);
            } else {
                let start = at + offset + (content.len() - content.trim_start().len());
                if content.starts_with(char::is_whitespace) {
                    self.cur.push_gap(at + offset);
                }
                self.cur.push(words, start..start + words.len(), true);
                if line.ends_with('\n') || content.ends_with(char::is_whitespace) {
                    self.cur.push_gap(start + words.len());
                }
            }
            offset += line.len();
        }
    }

    fn ensure_open(&mut self, at: usize) {
        if self.cur.kind.is_none() {
            self.cur.kind = Some(BlockKind::Paragraph);
            self.cur.start = at;
        }
    }

    fn close(&mut self) {
        // An <a> still open when its block ends (closed in a later paragraph, or never)
        // is a link to the end of this block.
        for (url, start, text_start) in std::mem::take(&mut self.html_links) {
            let text_end = self.cur.text.len();
            let end = self.cur.end.max(start);
            self.push_link(
                url,
                LinkKind::Html,
                start..end,
                text_start.min(text_end)..text_end,
            );
        }
        // Links and emphasis never cross blocks; drop any left open by broken input.
        self.emphasis_start.clear();
        self.fine_print_start.clear();
        self.html_links.clear();
        // The builder's buffers are kept for the next block (a post has dozens): the
        // block gets exact-size copies, one allocation each.
        let builder = &mut self.cur;
        let Some(mut kind) = builder.kind.take() else {
            return;
        };
        let span = builder.start..builder.end.max(builder.start);
        let text_is_empty = builder.text.trim().is_empty();
        let block = Block {
            kind,
            visibility: Visibility::Visible,
            index: self.visible_index,
            span: span.clone(),
            text: builder.text.as_str().to_owned(),
            pieces: builder.pieces.to_vec(),
            fine_print: std::mem::take(&mut builder.fine_print),
            emphasis: std::mem::take(&mut builder.emphasis),
            field: None,
        };
        builder.text.clear();
        builder.pieces.clear();
        builder.start = 0;
        builder.end = 0;
        if self.heading {
            kind = BlockKind::Heading;
        }
        let raw = self.doc.source.get(span.clone()).unwrap_or("");
        // (The first line decides cheaply whether the regex needs to run at all.)
        let first = raw.trim_start();
        if (first.starts_with("import") || first.starts_with("export"))
            && raw
                .lines()
                .all(|l| l.trim().is_empty() || ESM.is_match(l.trim()))
        {
            self.doc.code.push(span);
            self.pending.clear();
            return;
        }
        if text_is_empty && self.pending.is_empty() && self.components.is_empty() {
            return;
        }
        let block = Block { kind, ..block };
        self.visible_index += 1;
        let block_index = self.doc.blocks.len();
        for link in &mut self.pending {
            if link.block == usize::MAX {
                link.block = block_index;
            }
        }
        self.doc.blocks.push(block);
        let mut done = std::mem::take(&mut self.pending);
        self.doc.links.append(&mut done);
        for mut c in std::mem::take(&mut self.components) {
            c.block = block_index;
            self.doc.shortcodes.push(c);
        }
    }

    fn push_link(
        &mut self,
        url: String,
        kind: LinkKind,
        span: Span,
        text_range: std::ops::Range<usize>,
    ) {
        self.pending.push(Link {
            url,
            kind,
            span,
            block: usize::MAX,
            text_range,
        });
    }

    /// A hidden text (link title, alt attribute) located inside `range` of the source.
    fn hidden_text(&mut self, text: &str, range: &Span, visibility: Visibility) {
        let source = self.doc.source;
        let start = source
            .get(range.clone())
            .and_then(|s| s.find(text))
            .map(|i| range.start + i);
        let mut b = Builder {
            kind: Some(BlockKind::Hidden),
            start: range.start,
            end: range.end,
            ..Builder::default()
        };
        match start {
            Some(s) => b.push(text, s..s + text.len(), true),
            None => b.push(text, range.clone(), false),
        }
        self.finish_hidden(b, visibility);
    }

    fn finish_hidden(&mut self, b: Builder, visibility: Visibility) {
        if b.text.trim().is_empty() {
            return;
        }
        self.doc.blocks.push(Block {
            kind: BlockKind::Hidden,
            visibility,
            index: self.visible_index,
            span: b.start..b.end.max(b.start),
            text: b.text,
            pieces: b.pieces,
            fine_print: vec![],
            emphasis: vec![],
            field: None,
        });
    }

    /// Raw HTML: comments are hidden texts, `<a href>` are links, `<small>` opens fine
    /// print, text between tags of an HTML block is visible text.
    fn html_chunk(&mut self, range: Span, is_block: bool) {
        let source = self.doc.source;
        let html = &source[range.clone()];
        let mut pos = 0;
        if is_block {
            self.ensure_open(range.start);
            self.cur.kind = Some(BlockKind::Html);
        }
        while pos < html.len() {
            let rest = &html[pos..];
            let Some(lt) = rest.find('<') else {
                if is_block {
                    self.html_text(&html[pos..], range.start + pos);
                }
                break;
            };
            if lt > 0 && is_block {
                self.html_text(&rest[..lt], range.start + pos);
            }
            let tag_start = pos + lt;
            let tag = &html[tag_start..];
            if tag.starts_with("<!--") {
                let end = tag.find("-->").map_or(html.len(), |i| tag_start + i + 3);
                let abs = range.start + tag_start..range.start + end;
                self.comment(abs);
                pos = end;
                continue;
            }
            let end = tag.find('>').map_or(html.len(), |i| tag_start + i + 1);
            let tag_text = &html[tag_start..end];
            let abs = range.start + tag_start..range.start + end;
            self.html_tag(tag_text, abs);
            pos = end;
        }
    }

    fn html_text(&mut self, text: &str, at: usize) {
        if text.trim().is_empty() {
            self.cur.push_gap(at);
            return;
        }
        self.cur.push(text, at..at + text.len(), true);
    }

    fn comment(&mut self, span: Span) {
        let source = self.doc.source;
        let raw = &source[span.clone()];
        if MORE.is_match(raw) && self.doc.more_break.is_none() {
            self.doc.more_break = Some(span.start);
        }
        let inner_start = span.start + 4;
        let inner_end = if raw.ends_with("-->") && raw.len() >= 7 {
            span.end - 3
        } else {
            span.end
        };
        let inner_end = inner_end.max(inner_start).min(source.len());
        let inner = &source[inner_start.min(inner_end)..inner_end];
        self.doc.comments.push(Comment {
            text: inner.to_string(),
            span: span.clone(),
        });
        let mut b = Builder {
            kind: Some(BlockKind::Hidden),
            start: span.start,
            end: span.end,
            ..Builder::default()
        };
        b.push(inner, inner_start..inner_end, true);
        self.finish_hidden(b, Visibility::HtmlComment);
    }

    fn html_tag(&mut self, tag: &str, span: Span) {
        // An MDX/Astro component (`<AffiliateLink href="…">`, `<ProductBox asin="…" />`).
        let raw_name: String = tag
            .trim_start_matches('<')
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '.')
            .collect();
        if raw_name.starts_with(|c: char| c.is_ascii_uppercase()) {
            let attrs = &tag[1 + raw_name.len()..]
                .trim_end_matches('>')
                .trim_end_matches('/');
            self.ensure_open(span.start);
            self.components.push(super::Shortcode {
                name: raw_name,
                args: parse_args(attrs),
                span: span.clone(),
                block: usize::MAX,
            });
        }
        let name = tag_name(tag);
        if self.html_body && HTML_BLOCK_TAGS.contains(&name.trim_start_matches('/')) {
            // A heading's text is a heading block; any block tag ends the block before.
            let opens_heading = name.len() == 2 && name.starts_with('h');
            self.close();
            self.heading = opens_heading;
            return;
        }
        match name.as_str() {
            "strong" | "b" | "em" | "i" => {
                self.ensure_open(span.start);
                self.emphasis_start.push(self.cur.text.len());
            }
            "/strong" | "/b" | "/em" | "/i" => {
                if let Some(start) = self.emphasis_start.pop() {
                    let end = self.cur.text.len();
                    self.cur.emphasis.push(start..end);
                }
            }
            "small" | "sub" | "sup" => {
                self.ensure_open(span.start);
                self.fine_print_start
                    .push((self.cur.text.len(), span.start));
            }
            "/small" | "/sub" | "/sup" => {
                if let Some((start, src_start)) = self.fine_print_start.pop() {
                    let end = self.cur.text.len();
                    self.cur.fine_print.push(start..end);
                    self.doc.fine_print.push(src_start..span.end);
                }
            }
            // A custom element (its name has a hyphen, as the HTML standard requires)
            // with an `href` is a link as much as `<a>` is: `<external-link href="…">`.
            custom if custom.contains('-') && !custom.starts_with('/') => {
                let opened = self.html_href(tag, &span);
                if !tag.trim_end_matches('>').ends_with('/') {
                    self.custom_elements.push(opened);
                }
            }
            // Its closing tag (the guard takes the element off the stack either way).
            custom if custom.contains('-') && self.custom_elements.pop() == Some(true) => {
                self.close_html_link(&span);
            }
            "a" => {
                self.html_href(tag, &span);
                if let Some(c) = HTML_ALT.captures(tag) {
                    let t = c.get(1).or(c.get(2)).map_or("", |m| m.as_str()).to_string();
                    self.hidden_text(&t, &span, Visibility::LinkTitle);
                }
            }
            "/a" => self.close_html_link(&span),
            "img" => {
                if let Some(c) = HTML_ALT.captures(tag) {
                    let t = c.get(1).or(c.get(2)).map_or("", |m| m.as_str()).to_string();
                    self.hidden_text(&t, &span, Visibility::AltText);
                }
            }
            "br" | "p" | "/p" | "div" | "/div" | "li" | "/li" | "td" | "/td" => {
                self.cur.push_gap(span.start)
            }
            _ => {}
        }
    }
}

impl Walker<'_, '_> {
    /// Opens a link at an element's `href`; false when it has none.
    fn html_href(&mut self, tag: &str, span: &Span) -> bool {
        let Some(c) = HTML_HREF.captures(tag) else {
            return false;
        };
        let url = c
            .get(1)
            .or(c.get(2))
            .or(c.get(3))
            .map_or("", |m| m.as_str());
        self.ensure_open(span.start);
        // An attribute's `&amp;` is `&`: `?ie=UTF8&amp;tag=x-21` has a `tag`.
        let url = url.replace("&amp;", "&").replace("&#38;", "&");
        self.html_links.push((url, span.start, self.cur.text.len()));
        true
    }

    fn close_html_link(&mut self, span: &Span) {
        if let Some((url, start, text_start)) = self.html_links.pop() {
            let text_end = self.cur.text.len();
            // An <a> opened in an earlier block: its text is not in this one.
            let text_start = text_start.min(text_end);
            self.push_link(url, LinkKind::Html, start..span.end, text_start..text_end);
        }
    }
}

/// A shortcode's or component's arguments: `key=value`, `key="quoted value"`,
/// `key='…'`, `key={"…"}` (JSX) or a bare value. Read by hand, not with a regex of
/// captures: a post's figures and embeds have many arguments and the capture engine
/// cost more than all the rest of the shortcode handling (the regex in the tests is
/// the definition this follows).
fn parse_args(text: &str) -> Vec<(Option<String>, String)> {
    let mut args = Vec::new();
    let mut at = 0;
    while at < text.len() {
        match arg_at(text, at) {
            Some((name, value, end)) => {
                args.push((name.map(str::to_string), value.to_string()));
                at = end;
            }
            None => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    args
}

/// The argument starting at byte `at`: its name, its value and where it ends.
fn arg_at(text: &str, at: usize) -> Option<(Option<&str>, &str, usize)> {
    let name_len = text[at..]
        .find(|c: char| !(regex_syntax::is_word_character(c) || c == '-'))
        .unwrap_or(text.len() - at);
    if name_len > 0 {
        let after_name = skip_spaces(text, at + name_len);
        if text[after_name..].starts_with('=')
            && let Some((value, end)) = value_at(text, skip_spaces(text, after_name + 1))
        {
            return Some((Some(&text[at..at + name_len]), value, end));
        }
    }
    value_at(text, at).map(|(value, end)| (None, value, end))
}

/// A value at byte `at`: quoted, a JSX `{"…"}`, or a bare run (no spaces, quotes or `=`).
fn value_at(text: &str, at: usize) -> Option<(&str, usize)> {
    let rest = &text[at..];
    for quote in ['"', '\''] {
        if let Some(inner) = rest.strip_prefix(quote) {
            let close = inner.find(quote)?;
            return Some((&inner[..close], at + 1 + close + 1));
        }
    }
    if let Some(inner) = rest.strip_prefix('{') {
        let open = at + 1 + (inner.len() - inner.trim_start().len());
        if text[open..].starts_with(['"', '\'', '`']) {
            let value_start = open + 1;
            if let Some(close) = text[value_start..].find(['"', '\'', '`']) {
                let after = skip_spaces(text, value_start + close + 1);
                if text[after..].starts_with('}') {
                    return Some((&text[value_start..value_start + close], after + 1));
                }
            }
        }
    }
    let bare = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '='))
        .unwrap_or(rest.len());
    (bare > 0).then(|| (&rest[..bare], at + bare))
}

fn skip_spaces(text: &str, at: usize) -> usize {
    at + (text[at..].len() - text[at..].trim_start().len())
}

/// Shortcodes in visible text become [`super::Shortcode`]s and are blanked out of the
/// block text (same length, so spans still map), so their arguments are not prose.
/// Shortcode pairs whose content is code shown to readers, not links or prose:
/// Hugo `{{< highlight go >}}…{{< /highlight >}}`, Liquid `{% highlight %}…{% endhighlight %}`.
const CODE_PAIRS: &[&str] = &["highlight", "code", "codeblock", "raw", "prism", "syntax"];

fn add_shortcodes(doc: &mut Document) {
    let mut found = Vec::new();
    // An open code pair: its name and where it starts in the source.
    let mut open_code: Option<(String, usize)> = None;
    let mut code = Vec::new();
    for (index, block) in doc.blocks.iter_mut().enumerate() {
        // One memchr for `{` first: most blocks have none.
        if block.visibility != Visibility::Visible
            || !block.text.as_bytes().contains(&b'{')
            || !(block.text.contains("{{") || block.text.contains("{%"))
        {
            continue;
        }
        let mut blanks = Vec::new();
        for whole in SHORTCODE.find_iter(&block.text) {
            blanks.push(whole.range());
            let Some((closing, name, args)) = shortcode_parts(whole.as_str()) else {
                continue;
            };
            let span = block.source_span(whole.range());
            let bare = name.strip_prefix("end").unwrap_or(name);
            match &open_code {
                Some((open, start)) if (closing || name.starts_with("end")) && open == bare => {
                    code.push(*start..span.end);
                    open_code = None;
                }
                None if !closing && CODE_PAIRS.contains(&name) => {
                    open_code = Some((name.to_string(), span.start));
                }
                _ => {}
            }
            // Liquid control flow is not a shortcode.
            const LIQUID: &[&str] = &[
                "if",
                "endif",
                "else",
                "elsif",
                "for",
                "endfor",
                "raw",
                "endraw",
                "assign",
                "capture",
                "endcapture",
                "comment",
                "endcomment",
                "unless",
                "endunless",
                "case",
                "when",
                "set",
                "block",
                "endblock",
                "extends",
                "macro",
                "endmacro",
                "highlight",
                "endhighlight",
            ];
            if closing || LIQUID.contains(&name) || name.starts_with("end") {
                continue;
            }
            found.push(super::Shortcode {
                name: name.to_string(),
                args: parse_args(args),
                span,
                block: index,
            });
        }
        for r in blanks {
            let spaces = " ".repeat(r.len());
            block.text.replace_range(r, &spaces);
        }
    }
    doc.shortcodes.extend(found);
    if !code.is_empty() {
        doc.code.extend(code);
        doc.code.sort_by_key(|r| r.start);
    }
}

/// The closing slash, name and arguments of a whole match of [`SHORTCODE`]: what its
/// capture groups hold, read from the match by hand (capturing cost a backtracking
/// search per shortcode, a measurable share of parsing; `shortcode_parts_are_the_captures`
/// checks the two readings agree).
fn shortcode_parts(whole: &str) -> Option<(bool, &str, &str)> {
    if let Some(rest) = whole.strip_prefix("{{") {
        // `{{[<%]-?\s*(/?)\s*([\w.-]+)(args)\s*-?[%>]}}`, args as short as possible.
        let rest = rest.get(1..)?;
        after_dash(rest, hugo_parts).or_else(|| hugo_parts(rest))
    } else {
        // `{%-?\s*(?:include\s+)?([\w./-]+)(args)-?%}`, args as short as possible.
        let rest = whole.strip_prefix("{%")?;
        after_dash(rest, liquid_parts).or_else(|| liquid_parts(rest))
    }
}

/// The `-` after the opening is the name's first character when no name follows it.
fn after_dash(
    rest: &str,
    parts: fn(&str) -> Option<(bool, &str, &str)>,
) -> Option<(bool, &str, &str)> {
    rest.strip_prefix('-')
        .and_then(parts)
        .filter(|(_, name, _)| !name.is_empty())
}

fn is_name_char(c: char) -> bool {
    regex_syntax::is_word_character(c) || c == '.' || c == '-'
}

/// A Hugo shortcode after `{{<` (or `{{%`) and its optional `-`.
fn hugo_parts(rest: &str) -> Option<(bool, &str, &str)> {
    let rest = rest.trim_start();
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r.trim_start()),
        None => (false, rest),
    };
    let name_end = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
    let (name, tail) = rest.split_at(name_end);
    let tail = tail.strip_suffix("}}")?;
    let tail = &tail[..tail.len().checked_sub(1)?];
    let stripped = tail.strip_suffix('-').unwrap_or(tail);
    Some((closing, name, args_end(tail, stripped.trim_end(), '}')))
}

/// A Liquid tag after `{%` and its optional `-`.
fn liquid_parts(rest: &str) -> Option<(bool, &str, &str)> {
    let rest = rest.trim_start();
    let is_liquid_name = |c: char| is_name_char(c) || c == '/';
    // `include` and its spaces go when a name follows them.
    let rest = match rest.strip_prefix("include") {
        Some(r) if r.starts_with(char::is_whitespace) => {
            let r = r.trim_start();
            if r.starts_with(is_liquid_name) {
                r
            } else {
                rest
            }
        }
        _ => rest,
    };
    let name_end = rest
        .find(|c: char| !is_liquid_name(c))
        .unwrap_or(rest.len());
    let (name, tail) = rest.split_at(name_end);
    let tail = tail.strip_suffix("%}")?;
    let stripped = tail.strip_suffix('-').unwrap_or(tail);
    Some((false, name, args_end(tail, stripped, '%')))
}

/// The arguments are read in units: a `}` (Hugo) or `%` (Liquid) takes the character
/// after it along. Where the shortest reading would split such a pair, the arguments
/// end after the pair.
fn args_end<'a>(tail: &'a str, args: &str, pair_start: char) -> &'a str {
    let mut chars = tail.char_indices();
    let mut end = 0;
    while end < args.len() {
        let Some((_, c)) = chars.next() else { break };
        end += c.len_utf8();
        if c == pair_start
            && let Some((_, next)) = chars.next()
        {
            end += next.len_utf8();
        }
    }
    &tail[..end.max(args.len())]
}

/// Bare URLs in visible text: site generators (Hugo, Jekyll with kramdown/GFM) turn
/// them into links, so an affiliate URL pasted as text is an affiliate link.
fn add_bare_urls(doc: &mut Document) {
    let mut found = Vec::new();
    for (index, block) in doc.blocks.iter().enumerate() {
        if block.visibility != Visibility::Visible
            || !block.text.as_bytes().contains(&b'/')
            || !block.text.contains("://")
        {
            continue;
        }
        let mut pos = 0;
        while let Some(m) = BARE_URL.find_at(&block.text, pos) {
            let range = m.start()..url_end(doc.source, block, m.range());
            // The next search starts where this URL ends, so a URL in the next element
            // (an autolink, emphasis) is found on its own.
            pos = range.end.max(m.start() + 1);
            if block.text[range.clone()].ends_with("://") {
                continue;
            }
            let span = block.source_span(range.clone());
            if doc
                .links
                .iter()
                .any(|l| l.span.start <= span.start && span.end <= l.span.end)
            {
                continue;
            }
            found.push(Link {
                url: block.text[range.clone()].to_string(),
                kind: LinkKind::Bare,
                span,
                block: index,
                text_range: range,
            });
        }
    }
    doc.links.extend(found);
}

/// Where a bare URL matched in block text really ends: at the first place where the
/// text stops following the source (markup such as `<`, `**` or `_` was left out of
/// the text: the next inline element starts there; a backslash escape is not such a
/// place), without the final punctuation.
fn url_end(source: &str, block: &Block, range: std::ops::Range<usize>) -> usize {
    let mut end = range.end;
    for pair in block.pieces.windows(2) {
        let (q, p) = (&pair[0], &pair[1]);
        let skipped = source.get(q.src_start + q.len..p.src_start);
        if p.text_start > range.start
            && p.text_start < end
            && skipped.is_none_or(|s| !s.is_empty() && s != "\\")
        {
            end = p.text_start;
            break;
        }
    }
    let url = block.text[range.start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '*']);
    range.start + url.len()
}

#[cfg(test)]
mod tests {
    use super::{SHORTCODE, parse_args, shortcode_parts};
    use crate::parse::{BlockKind, LinkKind, Visibility, parse};

    /// The capture groups of `SHORTCODE`, the reading `shortcode_parts` replaced.
    fn captured(text: &str) -> Vec<(bool, String, String)> {
        SHORTCODE
            .captures_iter(text)
            .filter_map(|c| {
                let closing = c.get(1).is_some_and(|m| !m.as_str().is_empty());
                let (name, args) = match (c.get(2), c.get(4)) {
                    (Some(n), _) => (n.as_str(), c.get(3).map_or("", |m| m.as_str())),
                    (None, Some(n)) => (n.as_str(), c.get(5).map_or("", |m| m.as_str())),
                    _ => return None,
                };
                Some((closing, name.to_string(), args.to_string()))
            })
            .collect()
    }

    fn read_by_hand(text: &str) -> Vec<(bool, String, String)> {
        SHORTCODE
            .find_iter(text)
            .filter_map(|m| shortcode_parts(m.as_str()))
            .map(|(c, n, a)| (c, n.to_string(), a.to_string()))
            .collect()
    }

    #[test]
    fn shortcodes_and_urls_spelled_with_entities_are_still_found() {
        let doc = parse("&#123;&#123;< amazon asin >}} and https&#58;//amzn.to/x\n");
        assert_eq!(doc.shortcodes.len(), 1, "{:?}", doc.blocks);
        assert!(
            doc.links.iter().any(|l| l.url == "https://amzn.to/x"),
            "{:?}",
            doc.links
        );
    }

    #[test]
    fn shortcode_parts_are_the_captures() {
        for text in [
            r#"{{< youtube id="abc" >}} and {{% amazon asin="B0" -%}}"#,
            "{{< x a - >}} {{< x a ->}} {{< x a- >}} {{<x->}} {{< / x >}} {{<  -x>}}",
            "{{< x a} >}} {{< x a}->}} {{< x a}>}} x}} >}} {{< é.ñ-1 ü >}}",
            "{% include x.html a=1 %} {% include %} {% includes/x.html %} {%- x -%}",
            "{% x a% %} {% x a%-%} {% include  y %} {%include\tz%}",
            "{%-%%-%} {{< x }}->}} {{< x a}}} >}} {% x %%%}",
        ] {
            assert_eq!(read_by_hand(text), captured(text), "{text}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        #[test]
        fn shortcode_parts_agree_on_any_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{{", "}}", "{%", "%}", "<", ">", "%", "-", "/", " ", "\t", "\u{a0}",
                    "x", "é", ".", "}", "{", "include", "a=\"1\"", "amazon", "\n",
                ]),
                0..24,
            )
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(read_by_hand(&text), captured(&text), "{:?}", text);
        }
    }

    /// The arguments as the capture regex `parse_args` replaced reads them.
    fn args_by_regex(text: &str) -> Vec<(Option<String>, String)> {
        static ARG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(
                r#"(?:([\w-]+)\s*=\s*)?(?:"([^"]*)"|'([^']*)'|\{\s*["'`]([^"'`]*)["'`]\s*\}|([^\s"'=]+))"#,
            )
            .unwrap()
        });
        ARG.captures_iter(text)
            .filter_map(|c| {
                let value = c.get(2).or(c.get(3)).or(c.get(4)).or(c.get(5))?;
                Some((
                    c.get(1).map(|k| k.as_str().to_string()),
                    value.as_str().to_string(),
                ))
            })
            .collect()
    }

    #[test]
    fn arguments_read_as_the_regex_reads_them() {
        for text in [
            r#"src="/a b.jpg" caption='Ein Bild' width=300"#,
            r#"href={"https://amzn.to/x"} rel = "sponsored" data-x={ `y` }"#,
            r#"key="unterminated value"#,
            "a = = b {x} =c 'q",
            "ünïcödé_1-x=\u{a0}v",
        ] {
            assert_eq!(parse_args(text), args_by_regex(text), "{text}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20000))]
        #[test]
        fn arguments_agree_on_any_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "=", "\"", "'", "`", "{", "}", " ", "\t", "\u{a0}", "\n", "-", "_",
                    "x", "é", "\u{301}", "1", "src", ".", "/",
                ]),
                0..24,
            )
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(parse_args(&text), args_by_regex(&text), "{:?}", text);
        }
    }

    #[test]
    fn blocks_map_back_to_the_source() {
        let src = "---\ntitle: T\n---\n# Heading\n\nSome **bold** text\nwith a [link](https://amzn.to/x \"Anzeige\").\n\n- item one\n- item two\n";
        let doc = parse(src);
        let texts: Vec<_> = doc
            .blocks
            .iter()
            .map(|b| (b.kind, b.visibility, b.text.as_str()))
            .collect();
        assert!(texts.contains(&(BlockKind::Heading, Visibility::Visible, "Heading")));
        assert!(texts.contains(&(
            BlockKind::Paragraph,
            Visibility::Visible,
            "Some bold text with a link."
        )));
        assert!(texts.contains(&(BlockKind::Hidden, Visibility::LinkTitle, "Anzeige")));
        assert!(texts.contains(&(BlockKind::Paragraph, Visibility::Visible, "item one")));
        let para = doc
            .blocks
            .iter()
            .find(|b| b.text.starts_with("Some"))
            .unwrap();
        let at = para.text.find("bold").unwrap();
        assert_eq!(&src[para.source_span(at..at + 4)], "bold");
        let at = para.text.find("with").unwrap();
        assert_eq!(&src[para.source_span(at..at + 4)], "with");
        assert_eq!(doc.links.len(), 1);
        assert_eq!(doc.links[0].url, "https://amzn.to/x");
        assert_eq!(
            &src[doc.links[0].span.clone()],
            "[link](https://amzn.to/x \"Anzeige\")"
        );
    }

    #[test]
    fn code_comments_html_and_more() {
        let src = "Intro <small>Werbung</small>\n\n<!--more-->\n\n```\nsponsored by Acme\n```\n\n<div>Anzeige <a href=\"https://awin1.com/x\">shop</a></div>\n\nVisit https://amzn.to/abc today. `code`\n";
        let doc = parse(src);
        assert!(doc.more_break.is_some());
        assert!(!doc.blocks.iter().any(|b| b.text.contains("sponsored")));
        let intro = &doc.blocks[0];
        assert_eq!(&intro.text[intro.fine_print[0].clone()], "Werbung");
        let html = doc
            .blocks
            .iter()
            .find(|b| b.kind == BlockKind::Html)
            .unwrap();
        assert!(html.text.contains("Anzeige"));
        let kinds: Vec<_> = doc.links.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, vec![LinkKind::Html, LinkKind::Bare]);
        assert_eq!(doc.links[1].url, "https://amzn.to/abc");
        assert_eq!(doc.code.len(), 2);
    }

    #[test]
    fn bare_urls_stop_at_markup_but_not_at_escapes() {
        let urls = |src: &str| -> Vec<String> {
            parse(src)
                .links
                .iter()
                .filter(|l| l.kind == LinkKind::Bare)
                .map(|l| l.url.clone())
                .collect()
        };
        assert_eq!(urls("a https://amzn.to/abc* b\n"), ["https://amzn.to/abc"]);
        assert_eq!(
            urls("a https://amzn.to/a_b**https://amzn.to/c**\n"),
            ["https://amzn.to/a_b", "https://amzn.to/c"]
        );
        assert_eq!(urls("a https://x.de/a\\_b c\n"), ["https://x.de/a_b"]);
    }

    #[test]
    fn crlf_and_multibyte_spans() {
        let src = "Grüße aus Köln\r\nmit **Werbung**\r\n";
        let doc = parse(src);
        let b = &doc.blocks[0];
        let at = b.text.find("Werbung").unwrap();
        assert_eq!(&src[b.source_span(at..at + "Werbung".len())], "Werbung");
    }

    #[test]
    fn html_body_is_html_not_markdown() {
        use crate::parse::{Syntax, parse_as};
        let src = "---\ntitle: T\n---\n<h2>Gear</h2>\n<p>My *pick*:\n    <a href=\"https://amzn.to/x\">the <b>lamp</b></a></p>\n\n    Indented text is prose.\n\n<pre>\nsponsored by Acme\n</pre>\n<!-- a\n\ncomment -->\n<p>Line one\nline two</p>\n";
        let doc = parse_as(src, Syntax::Html);
        let visible: Vec<_> = doc
            .blocks
            .iter()
            .filter(|b| b.visibility == Visibility::Visible && b.kind != BlockKind::Title)
            .map(|b| (b.kind, b.text.trim()))
            .collect();
        assert_eq!(
            visible,
            vec![
                (BlockKind::Heading, "Gear"),
                (BlockKind::Paragraph, "My *pick*: the lamp"),
                (BlockKind::Paragraph, "Indented text is prose."),
                (BlockKind::Paragraph, "Line one line two"),
            ]
        );
        let pick = doc.blocks.iter().find(|b| b.text.contains("lamp")).unwrap();
        let at = pick.text.find("lamp").unwrap();
        assert_eq!(&src[pick.source_span(at..at + 4)], "lamp");
        assert_eq!(&pick.text[pick.emphasis[0].clone()], "lamp");
        assert_eq!(doc.links.len(), 1);
        assert_eq!(doc.links[0].url, "https://amzn.to/x");
        assert_eq!(doc.comments.len(), 1);
        let escaped = parse_as(
            "<a href=\"https://www.amazon.co.uk/dp/1?ie=UTF8&amp;tag=x-21\">b</a>",
            Syntax::Html,
        );
        assert_eq!(
            escaped.links[0].url,
            "https://www.amazon.co.uk/dp/1?ie=UTF8&tag=x-21"
        );
        assert!(
            doc.code
                .iter()
                .any(|c| src[c.clone()].contains("sponsored by Acme"))
        );
        assert!(
            !doc.blocks
                .iter()
                .any(|b| b.text.contains("sponsored") && b.visibility == Visibility::Visible)
        );
        // Unclosed tags and a stray `<` never panic.
        for bad in [
            "---\n---\n<pre>never closed",
            "---\n---\na < b <",
            "---\n---\n<code",
        ] {
            let _ = parse_as(bad, Syntax::Html);
        }
    }
}

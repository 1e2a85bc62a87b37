//! Suppression comments in the Markdown itself:
//! `<!-- adlint-disable-next-line AD102 -- reason -->`,
//! `<!-- adlint-disable AD101 -- reason -->` … `<!-- adlint-enable -->`.

use crate::diagnostic::Span;
use crate::parse::Comment;

/// One suppression directive.
#[derive(Debug, Clone)]
pub struct Directive {
    /// Codes it names; empty means every code.
    pub codes: Vec<String>,
    pub reason: Option<String>,
    /// The byte range of the file it covers.
    pub covers: Span,
    pub span: Span,
}

/// A problem with a directive (an unknown code), reported as a warning.
#[derive(Debug, Clone)]
pub struct DirectiveProblem {
    pub span: Span,
    pub message: String,
}

/// Reads the directives out of a post's HTML comments.
pub fn directives(
    source: &str,
    comments: &[Comment],
    known: &dyn Fn(&str) -> bool,
) -> (Vec<Directive>, Vec<DirectiveProblem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut open: Vec<(Vec<String>, Option<String>, usize, Span)> = Vec::new();
    for c in comments {
        let text = c.text.trim();
        let (kind, rest) = if let Some(r) = text.strip_prefix("adlint-disable-next-line") {
            ("next-line", r)
        } else if let Some(r) = text.strip_prefix("adlint-disable-file") {
            ("file", r)
        } else if let Some(r) = text.strip_prefix("adlint-disable") {
            ("disable", r)
        } else if let Some(r) = text.strip_prefix("adlint-enable") {
            ("enable", r)
        } else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        // A comment never closed with `-->` runs to the end of the file: its first line
        // is the directive, the rest is post text (read as codes, every word of it was
        // a warning of its own). Say once that it is open.
        let closed = source
            .get(c.span.clone())
            .is_some_and(|t| t.ends_with("-->"));
        let rest = if closed {
            rest
        } else {
            problems.push(DirectiveProblem {
                span: c.span.start..c.span.start,
                message: "this adlint comment is never closed with `-->`: everything after it is inside the comment, hidden from readers; close it on the same line".into(),
            });
            &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())]
        };
        let (codes_text, reason) = match rest.split_once("--") {
            Some((c, r)) => (c, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
            None => (rest, None),
        };
        let codes: Vec<String> = codes_text
            .split([' ', ',', '\t', '\n'])
            .filter(|s| !s.is_empty())
            .map(|s| s.to_ascii_uppercase())
            .collect();
        for code in &codes {
            if !known(code) {
                problems.push(DirectiveProblem {
                    span: c.span.clone(),
                    message: format!(
                        "`{code}` in this adlint comment is not a rule code (see `adlint rules`)"
                    ),
                });
            }
        }
        match kind {
            "next-line" => {
                // Lines end at `\n` or a lone `\r`, as everywhere in adlint.
                let line_end = crate::positions::next_line_start(source, c.span.end);
                let next_end = crate::positions::next_line_start(source, line_end);
                out.push(Directive {
                    codes,
                    reason,
                    covers: line_end..next_end,
                    span: c.span.clone(),
                });
            }
            "file" => out.push(Directive {
                codes,
                reason,
                covers: 0..source.len(),
                span: c.span.clone(),
            }),
            "disable" => open.push((codes, reason, c.span.end, c.span.clone())),
            _ => {
                // `adlint-enable` closes the matching (or every) open region.
                let mut i = 0;
                while i < open.len() {
                    let closes = codes.is_empty() || open[i].0.iter().any(|oc| codes.contains(oc));
                    if closes {
                        let (codes, reason, start, span) = open.remove(i);
                        out.push(Directive {
                            codes,
                            reason,
                            covers: start..c.span.start,
                            span,
                        });
                    } else {
                        i += 1;
                    }
                }
            }
        }
    }
    for (codes, reason, start, span) in open {
        out.push(Directive {
            codes,
            reason,
            covers: start..source.len(),
            span,
        });
    }
    (out, problems)
}

/// The directive that suppresses a finding of `code` starting at `at`, if any.
pub fn suppressing<'a>(
    directives: &'a [Directive],
    code: &str,
    at: usize,
) -> Option<&'a Directive> {
    directives.iter().find(|d| {
        d.covers.start <= at
            && at < d.covers.end
            && (d.codes.is_empty() || d.codes.iter().any(|c| c == code))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn next_line_and_regions() {
        let src = "a\n<!-- adlint-disable-next-line AD102 -- old post -->\nlink here\nafter\n<!-- adlint-disable AD101 -->\nx\n<!-- adlint-enable -->\ny\n<!-- adlint-disable AD999 -->\n";
        let doc = parse(src);
        let (dirs, problems) = directives(src, &doc.comments, &|c| c.starts_with("AD1"));
        let at = src.find("link").unwrap();
        let d = suppressing(&dirs, "AD102", at).unwrap();
        assert_eq!(d.reason.as_deref(), Some("old post"));
        assert!(suppressing(&dirs, "AD101", at).is_none());
        assert!(suppressing(&dirs, "AD102", src.find("after").unwrap()).is_none());
        assert!(suppressing(&dirs, "AD101", src.find("\nx").unwrap() + 1).is_some());
        assert!(suppressing(&dirs, "AD101", src.find("\ny").unwrap() + 1).is_none());
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn an_unclosed_comment_is_one_warning() {
        let mut src = String::from("Intro.\n\n<!-- adlint-disable AD104\n");
        for i in 0..500 {
            src.push_str(&format!("Use code ANNA{i} at checkout.\n\n"));
        }
        let doc = parse(&src);
        let (dirs, problems) = directives(&src, &doc.comments, &|c| c.starts_with("AD1"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("never closed"));
        // The codes are those of its first line.
        assert_eq!(dirs[0].codes, ["AD104"]);
    }
}

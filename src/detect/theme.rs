//! Whether a site's theme label (`[[site.theme_labels]]`, docs/sites.md) applies to a
//! post: decided here, where the front matter is read, so that the packs, which are
//! data, parse no posts.

use crate::diagnostic::Span;
use crate::packs::ThemeLabel;
use crate::parse::{FrontMatter, Value};

/// Does this post's front matter trigger the theme label? The span is the value's
/// (or the whole front matter's, when the value has none).
pub(super) fn applies(label: &ThemeLabel, fm: &FrontMatter) -> Option<Span> {
    let (key, want) = label.when.split_once('=')?;
    let value = fm.get(key.trim())?;
    let want = want.trim().trim_matches(['"', '\'']);
    let matches = match value {
        Value::Bool(b, _) => want.parse::<bool>().ok() == Some(*b),
        Value::Str(s, _) | Value::Number(s, _) => s.eq_ignore_ascii_case(want),
        Value::List(items) => items
            .iter()
            .any(|i| i.as_str().is_some_and(|s| s.eq_ignore_ascii_case(want))),
        _ => false,
    };
    matches.then(|| value.span().unwrap_or(fm.span.clone()))
}

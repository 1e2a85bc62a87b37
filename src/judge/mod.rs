//! Signals to findings, once per jurisdiction. Judging knows laws, not languages: every
//! legal fact comes from the jurisdiction pack.

pub mod registry;

use crate::detect::{Burial, Endorsement, EndorsementKind, LabelMatch, Signals, Vocabulary};
use crate::diagnostic::{Applicability, Edit, Finding, Fix, Secondary, Span};
use crate::messages::Catalog;
use crate::packs::{AffiliateRule, Jurisdiction, LabelKind, LabelVerdict, PlacementRule, Rules};
use crate::parse::{BlockKind, Document, Visibility};
use registry::Rule;

/// Everything the judge reads for one post.
pub struct Case<'a> {
    pub doc: &'a Document<'a>,
    pub signals: &'a Signals,
    pub vocab: &'a Vocabulary,
    pub rules: &'a Rules,
    /// Index into `Vocabulary::languages`.
    pub post_lang: Option<usize>,
    /// The words findings are written in (`--message-language`).
    pub messages: &'a Catalog,
}

/// How a label stands for one jurisdiction and one endorsement, best first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    Good,
    Late,
    Buried,
    Foreign,
    Hidden,
    Insufficient,
    Ambiguous,
}

/// What the label is wanted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Paid content: sponsorship, discount codes, front-matter flags, a self-declared post.
    Paid,
    Gift,
    /// Affiliate links under the `notice` rule.
    AffiliateNotice,
}

/// How far into a post (in words) a label still speaks for the whole post.
const DECLARING_WORDS: usize = 100;

/// Judges one post under one jurisdiction.
pub fn judge(case: &Case, j: &Jurisdiction) -> Vec<Finding> {
    let mut out = Vec::new();
    // The post's endorsements and this pack's brand mentions, by reference: judging
    // under many packs must not copy the post's signals for each.
    let mentions = brand_mentions(case, j);
    let mut ends: Vec<&Endorsement> = case.signals.endorsements.iter().chain(&mentions).collect();
    ends.sort_by_key(|e| e.span.start);
    let ends = &ends;
    let by_kind = |k: EndorsementKind| {
        ends.iter()
            .copied()
            .filter(move |e| e.kind == k)
            .collect::<Vec<_>>()
    };

    let sponsorship = by_kind(EndorsementKind::Sponsorship);
    let gifts = if j.gifts.require_label {
        by_kind(EndorsementKind::Gift)
    } else {
        vec![]
    };
    let discounts = if j.discount_codes.require_label {
        by_kind(EndorsementKind::Discount)
    } else {
        vec![]
    };
    let flags = by_kind(EndorsementKind::Flag);
    let body_paid = !sponsorship.is_empty() || !gifts.is_empty() || !discounts.is_empty();

    let mut groups: Vec<(Purpose, Vec<&Endorsement>, &'static Rule)> = vec![
        (
            Purpose::Paid,
            sponsorship,
            &registry::UNDISCLOSED_ENDORSEMENT,
        ),
        (Purpose::Gift, gifts, &registry::UNDISCLOSED_GIFT),
        (
            Purpose::Paid,
            discounts,
            &registry::UNDISCLOSED_DISCOUNT_CODE,
        ),
    ];
    if !body_paid {
        groups.push((
            Purpose::Paid,
            flags.clone(),
            &registry::FRONT_MATTER_MISMATCH,
        ));
    }
    // Where the market treats a post with affiliate links as advertising as a whole,
    // the links also need the post's label (a paid post's label covers them).
    let links = by_kind(EndorsementKind::Affiliate);
    // A post that says it has affiliate links ("my referral link", "this post contains
    // affiliate links") has them, even where their URLs are not known to adlint (an
    // own redirect, a link shortener).
    let needs_label = j.affiliate.label_required && !body_paid && flags.is_empty();
    let declared = (needs_label && links.is_empty())
        .then(|| declared_affiliate(case))
        .flatten();
    if needs_label {
        let first_link = links.first().copied().or(declared.as_ref());
        if let Some(first) = first_link {
            let mut group = vec![first];
            group.extend(links.iter().copied().filter(|l| !std::ptr::eq(*l, first)));
            groups.push((Purpose::Paid, group, &registry::UNDISCLOSED_AFFILIATE_LINK));
        }
    }
    let mut label_problems: Vec<(Standing, usize)> = Vec::new();
    for (purpose, endorsements, missing_rule) in groups {
        let Some(first) = endorsements.first() else {
            continue;
        };
        match best_label(case, j, purpose, Some(first)) {
            Some((Standing::Good, _)) => {}
            Some((standing, label)) => label_problems.push((standing, label)),
            None => out.push(missing(case, j, missing_rule, &endorsements, &flags)),
        }
    }
    // A post with no endorsement wording that labels itself ("#ad" at the end) declares
    // itself paid: its label must still be one this market accepts, where it wants it.
    if ends.iter().all(|e| e.kind == EndorsementKind::Affiliate) {
        // A thank-you alone ("Thanks Jeff!", "Thank you Gravity Sync!") names no payment:
        // it declares nothing.
        // It speaks for the post where a post's label stands: in the title, at the start
        // or as the sign-off in the last block. Mid-post, "Sponsored Post" or a
        // "Sponsrad länk" heading labels one linked item or one section.
        let last_block = case
            .doc
            .blocks
            .iter()
            .rposition(|b| b.visibility == Visibility::Visible && !b.text.trim().is_empty());
        let declared = case.signals.labels.iter().any(|l| {
            l.kind == LabelKind::Paid
                && l.visibility == Visibility::Visible
                && l.in_label_position
                && !l.item
                && case.vocab.label_id(l.id) != "thanks"
                && (l.in_title || l.word_pos < DECLARING_WORDS || Some(l.block) == last_block)
        });
        if declared
            && let Some((standing, label)) = best_label(case, j, Purpose::Paid, None)
            && standing != Standing::Good
            && standing != Standing::Hidden
        {
            label_problems.push((standing, label));
        }
    }
    label_problems.sort();
    label_problems.dedup_by_key(|(_, l)| *l);
    // One label problem per code: the same label is not reported twice.
    let mut seen_codes = Vec::new();
    for (standing, label) in label_problems {
        let rule = rule_for(&standing);
        if seen_codes.contains(&rule.code) {
            continue;
        }
        seen_codes.push(rule.code);
        out.push(label_finding(
            case,
            j,
            rule,
            &standing,
            &case.signals.labels[label],
        ));
    }

    if !links.is_empty() {
        match j.affiliate.rule {
            AffiliateRule::None => {}
            AffiliateRule::Notice => judge_notice(case, j, &links, &mut out),
            AffiliateRule::Marker => judge_markers(case, j, &links, &mut out),
        }
    }
    for f in &mut out {
        f.jurisdiction = j.code.clone();
        if let Some(rule) = registry::find(f.code) {
            f.message = case.messages.rule(rule.code, rule.summary);
        }
    }
    out.sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
    out
}

/// Where the post says, in its visible text, that it has affiliate or referral links:
/// the first such notice or marker, standing in for links adlint cannot recognise.
fn declared_affiliate(case: &Case) -> Option<Endorsement> {
    // Said of a link: the label stands like a label ("(affiliate link)", a heading) or
    // within a few words of a link. "Affiliate links" as the topic of a sentence far
    // from any link (a post about affiliate marketing) declares nothing.
    const NEAR: usize = 60;
    // Links are sorted by start: only those starting before the label's end + NEAR can
    // be near it, and a link is at most a few hundred bytes long.
    let links = &case.doc.links;
    let near_a_link = |l: &LabelMatch| {
        let upto = links.partition_point(|k| k.span.start <= l.span.end + NEAR);
        links[..upto]
            .iter()
            .rev()
            .take(64)
            .any(|k| k.block == l.block && l.span.start <= k.span.end + NEAR)
    };
    let l = case.signals.labels.iter().find(|l| {
        l.visibility == Visibility::Visible
            && !l.trusted
            && matches!(
                case.vocab.label_id(l.id),
                "affiliate-notice" | "affiliate-link" | "referral-link"
            )
            && (l.in_label_position || near_a_link(l))
    })?;
    Some(Endorsement::plain(
        EndorsementKind::Affiliate,
        l.span.clone(),
        Some(l.block),
        l.text.clone(),
    ))
}

/// A house pack's client brands: a mention of one in the visible text counts as a
/// sponsorship (docs/packs.md, `brands`).
fn brand_mentions(case: &Case, j: &Jurisdiction) -> Vec<Endorsement> {
    let mut out = Vec::new();
    for brand in j.brands.iter().filter(|b| !b.trim().is_empty()) {
        for (index, block) in case.doc.blocks.iter().enumerate() {
            if block.visibility != Visibility::Visible {
                continue;
            }
            for (at, _) in block.text.match_indices(brand.as_str()) {
                let end = at + brand.len();
                let before = block.text[..at].chars().next_back();
                let after = block.text[end..].chars().next();
                if before.is_some_and(char::is_alphanumeric)
                    || after.is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
                let span = block.source_span(at..end);
                out.push(Endorsement::plain(
                    EndorsementKind::Sponsorship,
                    span,
                    Some(index),
                    brand.clone(),
                ));
                break;
            }
        }
    }
    out
}

fn rule_for(standing: &Standing) -> &'static Rule {
    match standing {
        Standing::Good | Standing::Late => &registry::LATE_DISCLOSURE,
        Standing::Buried => &registry::BURIED_DISCLOSURE,
        Standing::Foreign => &registry::FOREIGN_LANGUAGE_LABEL,
        Standing::Hidden => &registry::HIDDEN_DISCLOSURE,
        Standing::Insufficient => &registry::INSUFFICIENT_LABEL,
        Standing::Ambiguous => &registry::AMBIGUOUS_LABEL,
    }
}

/// Does a label of this kind and id speak to this purpose at all?
fn relevant(case: &Case, j: &Jurisdiction, purpose: Purpose, label: &LabelMatch) -> bool {
    let id = case.vocab.label_id(label.id);
    match purpose {
        Purpose::Paid => label.kind == LabelKind::Paid,
        Purpose::Gift => label.kind == LabelKind::Paid || label.kind == LabelKind::Gift,
        Purpose::AffiliateNotice => {
            // "Sponsored by Acme", "thanks to Acme for sponsoring" tell who paid for the
            // post, not that the author earns on purchases through other links.
            const NAMES_A_PARTNER: &[&str] = &[
                "sponsored-by",
                "in-collaboration-with",
                "promoted-by",
                "presented-by",
                "thanks",
                "ambassador",
                "brand-partner",
            ];
            (label.kind == LabelKind::Paid && !NAMES_A_PARTNER.contains(&id))
                || label.kind == LabelKind::Affiliate
                || j.affiliate.notices.iter().any(|n| n == id)
        }
    }
}

/// A pack's view of a label, for one purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Acceptance {
    Accepted,
    Ambiguous,
    Rejected,
}

fn accepted_for(case: &Case, j: &Jurisdiction, purpose: Purpose, label: &LabelMatch) -> Acceptance {
    let id = case.vocab.label_id(label.id);
    if purpose == Purpose::AffiliateNotice && j.affiliate.notices.iter().any(|n| n == id) {
        return Acceptance::Accepted;
    }
    match j.verdict(id) {
        LabelVerdict::Accepted => Acceptance::Accepted,
        LabelVerdict::Ambiguous(_) => Acceptance::Ambiguous,
        LabelVerdict::Insufficient(_) | LabelVerdict::Unlisted => Acceptance::Rejected,
    }
}

/// Where the label stands relative to what it must precede.
fn placement_ok(
    case: &Case,
    j: &Jurisdiction,
    label: &LabelMatch,
    first: Option<&Endorsement>,
) -> bool {
    let above_more = !j.placement.above_more
        || label.in_title
        || case.doc.more_break.is_none_or(|m| label.span.start < m);
    match j.placement.rule {
        PlacementRule::Anywhere => true,
        PlacementRule::Start => {
            above_more && (label.in_title || label.word_pos < j.placement.start_words)
        }
        PlacementRule::BeforeFirstEndorsement => {
            // "Above more" is for what the teaser shows: a gift, code or link that only
            // comes below the break is disclosed well next to itself. A sponsored post is
            // an ad as a whole, so its teaser carries the label wherever the words are.
            let endorsement_below_more = first.is_some_and(|e| {
                matches!(
                    e.kind,
                    EndorsementKind::Gift | EndorsementKind::Discount | EndorsementKind::Affiliate
                ) && e.block.is_some()
                    && case.doc.more_break.is_some_and(|m| e.span.start >= m)
            });
            (above_more || endorsement_below_more)
                && (label.in_title
                    || first.is_none_or(|e| {
                        label.span.start <= e.span.start
                            || e.block == Some(label.block)
                            || (e.block.is_none() && front_matter_ok(case, e, label))
                            || note_right_after_links(case, e, label)
                    }))
        }
    }
}

/// A note that follows a run of links straight away (a list or table of products, then
/// "those are affiliate links") is seen with them, as the FTC asks: every block from the
/// first link's to the note's holds a link, and there are only a few of them. A footnote
/// is not such a note: it is shown at the end.
fn note_right_after_links(case: &Case, e: &Endorsement, label: &LabelMatch) -> bool {
    const MOST_BLOCKS: usize = 12;
    let Some(first) = e.block else { return false };
    if e.kind != EndorsementKind::Affiliate
        || label.block <= first
        || label.block - first > MOST_BLOCKS
    {
        return false;
    }
    // A footnote's text follows its paragraph in the source but is shown at the end.
    let block = &case.doc.blocks[label.block];
    let line_start = case.doc.source[..block.span.start]
        .rfind('\n')
        .map_or(0, |n| n + 1);
    if case.doc.source[line_start..].trim_start().starts_with("[^") {
        return false;
    }
    // Between them only list items or table rows with links (not paragraphs about
    // them), or a few words (a table's total row).
    (first..label.block).all(|b| {
        let block = &case.doc.blocks[b];
        block.visibility != Visibility::Visible
            || crate::parse::count_words(&block.text) <= 3
            || (in_list_or_table(case.doc.source, block.span.start)
                && case.doc.links.iter().any(|l| l.block == b))
    })
}

/// Whether the line holding `at` is a list item or a table row in Markdown.
fn in_list_or_table(source: &str, at: usize) -> bool {
    let line_start = source[..at].rfind('\n').map_or(0, |n| n + 1);
    let line = source[line_start..].trim_start_matches([' ', '\t', '>']);
    let ordered = line.split_once(['.', ')']).is_some_and(|(n, _)| {
        !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
    });
    line.starts_with(['|', '*', '-', '+']) || ordered
}

/// An endorsement read from front matter has no place in the text. A flag
/// (`sponsored: true`) is judged by the label alone, and so is a link inside a list
/// (a gallery the post includes where it likes); a link that is a field of its own
/// (`external-url: …`, a link post's target) is rendered with the title, so its notice
/// must come as early: in the title or the first block, not at the end of the post.
fn front_matter_ok(case: &Case, e: &Endorsement, label: &LabelMatch) -> bool {
    use crate::parse::front_matter::Value;
    let field_of_its_own = case.doc.front_matter.as_ref().is_some_and(|fm| {
        fm.fields
            .iter()
            .any(|(_, v)| matches!(v, Value::Str(s, _) if s.trim() == e.text))
    });
    if e.kind != EndorsementKind::Affiliate || !field_of_its_own || label.in_title {
        return true;
    }
    let first_block = case.doc.blocks.iter().position(|b| {
        b.visibility == Visibility::Visible
            && b.kind != BlockKind::Title
            && !b.text.trim().is_empty()
    });
    first_block.is_none_or(|first| label.block <= first)
}

fn standing(
    case: &Case,
    j: &Jurisdiction,
    purpose: Purpose,
    label: &LabelMatch,
    first: Option<&Endorsement>,
) -> Standing {
    if label.trusted {
        // The site renders its own disclosure here; only where it stands is judged.
        return if placement_ok(case, j, label, first) {
            Standing::Good
        } else {
            Standing::Late
        };
    }
    match accepted_for(case, j, purpose, label) {
        Acceptance::Accepted => {}
        Acceptance::Ambiguous => return Standing::Ambiguous,
        Acceptance::Rejected => return Standing::Insufficient,
    }
    if label.visibility != Visibility::Visible {
        return Standing::Hidden;
    }
    if j.labels.in_post_language
        && let Some(post) = case.post_lang
        && label.lang != post
        && !label_exists_in(case, label.id, post, &label.text)
    {
        return Standing::Foreign;
    }
    // Small print that also comes too late is late first: moving it up is the fix that
    // matters, and a notice only at the end is an error, not a warning. A hashtag lost
    // in a pile stays buried wherever the pile is.
    let late = !placement_ok(case, j, label, first);
    match label.buried {
        Some(Burial::FinePrint) if late => return Standing::Late,
        Some(_) => return Standing::Buried,
        None => {}
    }
    if late {
        return Standing::Late;
    }
    Standing::Good
}

/// Is this exact word also a label of the post's language (e.g. "Advertorial" in
/// German and English alike)?
fn label_exists_in(case: &Case, id: usize, lang: usize, text: &str) -> bool {
    let id = case.vocab.label_id(id);
    let word = crate::detect::fold_case(text.trim_start_matches('#'));
    case.rules.languages[lang]
        .labels
        .iter()
        .any(|l| l.id == id && l.forms.contains(&word))
}

/// The best label for a purpose (Good beats Late beats …), earliest on ties.
fn best_label(
    case: &Case,
    j: &Jurisdiction,
    purpose: Purpose,
    first: Option<&Endorsement>,
) -> Option<(Standing, usize)> {
    case.signals
        .labels
        .iter()
        .enumerate()
        .filter(|(_, l)| relevant(case, j, purpose, l))
        // A hidden or quoted word that is not an accepted label says nothing at all.
        .filter(|(_, l)| {
            l.visibility == Visibility::Visible
                || accepted_for(case, j, purpose, l) == Acceptance::Accepted
        })
        .filter(|(_, l)| {
            l.in_label_position || accepted_for(case, j, purpose, l) == Acceptance::Accepted
        })
        // An item's label ("… *SPONSORED*" closing a newsletter entry) speaks for its
        // own paragraph only.
        .filter(|(_, l)| !l.item || first.is_none_or(|e| e.block == Some(l.block)))
        .map(|(i, l)| (standing(case, j, purpose, l, first), i))
        .min_by_key(|(s, i)| (s.clone(), case.signals.labels[*i].span.start))
}

// ---------- messages ----------

/// A message of the run's catalog with its placeholders filled.
fn msg(case: &Case, key: &str, values: &[(&str, &str)]) -> String {
    case.messages.text(key, values)
}

/// The market's name in the message language: "Germany (DE)", "Deutschland (DE)".
fn jname(case: &Case, j: &Jurisdiction) -> String {
    format!(
        "{} ({})",
        case.messages.jurisdiction(&j.code, &j.name),
        j.code.to_uppercase()
    )
}

fn lang_name(case: &Case, lang: Option<usize>) -> String {
    lang.map_or_else(
        || msg(case, "post_language_unknown", &[]),
        |l| {
            let language = &case.rules.languages[l];
            case.messages
                .language(&language.lang, &language.name)
                .to_string()
        },
    )
}

/// A pack's prose (`english`) in the message language: English as the pack has it, or
/// the catalog's text for this pack, or for the pack it inherits the same text from.
/// Only shipped packs are translated: a house pack that replaces one has prose of its
/// own, which no catalog knows.
fn pack_prose(
    case: &Case,
    j: &Jurisdiction,
    english: impl Fn(&Jurisdiction) -> Option<&str>,
    translated: impl Fn(&crate::messages::PackTexts) -> Option<&str>,
) -> Option<String> {
    let own = english(j)?;
    if case.messages.is_english() {
        return Some(own.to_string());
    }
    let mut p = j;
    for _ in 0..8 {
        let shipped = p.source_path == format!("rules/jurisdictions/{}.toml", p.code);
        if shipped
            && english(p) == Some(own)
            && let Some(text) = case.messages.pack(&p.code).and_then(&translated)
        {
            return Some(text.to_string());
        }
        match p
            .extends
            .as_ref()
            .and_then(|e| case.rules.jurisdictions.get(e))
        {
            Some(parent) if english(parent) == Some(own) => p = parent,
            _ => break,
        }
    }
    None
}

/// The pack's summary in the message language, or a plain statement of the rule.
fn summary(case: &Case, j: &Jurisdiction) -> String {
    pack_prose(case, j, |p| Some(&p.summary), |t| t.summary.as_deref())
        .unwrap_or_else(|| msg(case, "paid_basis", &[]))
}

/// Why the pack rejects a label, in the message language.
fn reason(case: &Case, j: &Jurisdiction, id: &str, text: &str) -> String {
    pack_prose(
        case,
        j,
        |p| match p.verdict(id) {
            LabelVerdict::Insufficient(r) | LabelVerdict::Ambiguous(r) => Some(r.reason.as_str()),
            _ => None,
        },
        |t| t.reasons.get(id).map(String::as_str),
    )
    .unwrap_or_else(|| {
        msg(
            case,
            "unlisted_basis",
            &[("text", text), ("jurisdiction", &jname(case, j))],
        )
    })
}

/// The accepted words in the post's language, for help texts: "Werbung", "Anzeige".
fn accepted_words(case: &Case, j: &Jurisdiction) -> String {
    let slot = case.post_lang.map_or(0, |l| l + 1);
    match j.accepted_words.get(slot) {
        Some(cached) => cached.get_or_init(|| find_accepted_words(case, j)).clone(),
        None => find_accepted_words(case, j),
    }
}

/// [`accepted_words`], worked out.
fn find_accepted_words(case: &Case, j: &Jurisdiction) -> String {
    let langs: Vec<usize> = match case.post_lang {
        Some(l) if j.labels.in_post_language => vec![l],
        Some(l) => {
            let mut v = vec![l];
            v.extend(j.languages.iter().filter_map(|c| case.vocab.lang_index(c)));
            v
        }
        None => j
            .languages
            .iter()
            .filter_map(|c| case.vocab.lang_index(c))
            .collect(),
    };
    let mut words: Vec<String> = Vec::new();
    for id in &j.labels.accepted {
        for &lang in &langs {
            let language = &case.rules.languages[lang];
            let form = language
                .labels
                .iter()
                .find(|l| &l.id == id)
                .and_then(|def| usual_spelling(&def.forms));
            // A hashtag-only form ("gesponsertvon") reads better as the phrase it joins.
            let written = form.and_then(|f| {
                language
                    .signals
                    .iter()
                    .filter(|s| s.label.as_ref() == Some(id))
                    .flat_map(|s| s.phrases.iter())
                    .find(|p| p.contains(' ') && p.replace(' ', "") == *f)
            });
            if let Some(form) = written.or(form) {
                let w = format!("“{}”", capitalise(form));
                if !words.contains(&w) {
                    words.push(w);
                }
                break;
            }
        }
        if words.len() >= 4 {
            break;
        }
    }
    words.join(", ")
}

/// The first form is the usual spelling (docs/packs.md), unless it is the joined hashtag
/// of another form ("gesponsertvon" for "gesponsert von").
fn usual_spelling(forms: &[String]) -> Option<&String> {
    let first = forms.first()?;
    Some(
        forms
            .iter()
            .find(|f| f.contains(' ') && f.replace(' ', "") == *first)
            .unwrap_or(first),
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

fn placement_text(case: &Case, j: &Jurisdiction) -> String {
    pack_prose(
        case,
        j,
        |p| p.placement.text.as_deref(),
        |t| t.placement.as_deref(),
    )
    .unwrap_or_else(|| {
        let key = match j.placement.rule {
            PlacementRule::Start => "placement_start",
            PlacementRule::BeforeFirstEndorsement => "placement_before",
            PlacementRule::Anywhere => "placement_anywhere",
        };
        msg(case, key, &[])
    })
}

/// The rule, the market and why; the sources as the pack cites them, untranslated.
fn note(case: &Case, rule: &Rule, j: &Jurisdiction, basis: &str, refs: &[String]) -> String {
    let cite = j.cite(refs);
    let values = [
        ("code", rule.code),
        ("name", rule.name),
        ("jurisdiction", &jname(case, j)),
        ("basis", basis.trim_end_matches('.')),
        ("cite", &cite),
    ];
    let key = if cite.is_empty() {
        "note"
    } else {
        "note_cited"
    };
    msg(case, key, &values)
}

/// The name after the first sponsorship phrase ("sponsored by Acme" → "Acme"), to fill
/// `{brand}` in a pack's label text.
fn sponsor_name(case: &Case) -> Option<String> {
    let e = case
        .signals
        .endorsements
        .iter()
        .find(|e| e.kind == EndorsementKind::Sponsorship)?;
    let after = case
        .doc
        .source
        .get(e.span.end..)?
        .trim_start_matches([' ', '@', '*', '_']);
    let name: Vec<&str> = after
        .split_whitespace()
        .take_while(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
        .take(3)
        .collect();
    let name = name.join(" ");
    let name = name.trim_end_matches(|c: char| !c.is_alphanumeric());
    (!name.is_empty()).then(|| name.to_string())
}

/// The pack's label text with `{brand}` filled in where the post names the sponsor.
fn label_text(case: &Case, j: &Jurisdiction) -> String {
    match sponsor_name(case) {
        Some(name) => j.fix.insert.replace("{brand}", &name),
        None => j
            .fix
            .insert
            .replace("{brand}", &msg(case, "the_brand", &[])),
    }
}

fn label_help(case: &Case, j: &Jurisdiction) -> String {
    let words = accepted_words(case, j);
    // A market that wants the post's language, for a post in another language than the
    // pack's fix text: name the accepted word in the post's language instead.
    let foreign_post = case.post_lang.is_some_and(|l| {
        !j.languages
            .iter()
            .any(|c| *c == case.rules.languages[l].lang)
    });
    let words = requote(case, &words);
    let label = match words.split(", ").next() {
        Some(first) if foreign_post && j.labels.in_post_language && !first.is_empty() => {
            format!("**{}**", unquote(case, first))
        }
        _ => label_text(case, j),
    };
    let placement = placement_text(case, j);
    let code = j.code.to_uppercase();
    let values = [
        ("label", label.as_str()),
        ("placement", &placement),
        ("code", &code),
        ("words", &words),
    ];
    if words.is_empty() {
        msg(case, "label_help", &values)
    } else {
        msg(case, "label_help_accepts", &values)
    }
}

/// The accepted words (“Werbung”, “Anzeige”) in the message language's quotation marks.
fn requote(case: &Case, words: &str) -> String {
    if case.messages.is_english() || words.is_empty() {
        return words.to_string();
    }
    words
        .split(", ")
        .map(|w| msg(case, "quoted", &[("text", w.trim_matches(['“', '”']))]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A word quoted by [`requote`], without its quotation marks.
fn unquote<'w>(case: &Case, word: &'w str) -> &'w str {
    let template = case.messages.template("quoted");
    let (open, close) = template.split_once("{text}").unwrap_or(("“", "”"));
    word.strip_prefix(open)
        .and_then(|w| w.strip_suffix(close))
        .unwrap_or(word)
}

/// Is the post in a language of this pack (or of no language adlint knows)?
fn own_language(case: &Case, j: &Jurisdiction) -> bool {
    case.post_lang
        .is_none_or(|l| j.languages.contains(&case.rules.languages[l].lang))
}

/// For a post in another language than the pack's, the text of a fix in the post's
/// language: the same text (`pick`) of a pack of that language ("Werbung" from `de`
/// for a German post checked under `us`) in which `accepts` finds a label this pack
/// takes. A user checking a German post against US rules expects German, as readers
/// do, and a pack that wants the post's language reports the English text (AD302).
fn text_in_post_language(
    case: &Case,
    j: &Jurisdiction,
    pick: impl Fn(&Jurisdiction) -> Option<&String>,
    accepts: impl Fn(&LabelMatch) -> bool,
) -> Option<String> {
    let post = &case.rules.languages[case.post_lang?].lang;
    // Packs with the same affiliate rule first: a notice that explains `*` markers does
    // not fit a market without them.
    let mut packs: Vec<&Jurisdiction> = case
        .rules
        .jurisdictions
        .values()
        .filter(|p| p.languages.contains(post))
        .collect();
    packs.sort_by_key(|p| p.affiliate.rule != j.affiliate.rule);
    packs.into_iter().find_map(|p| {
        let text = pick(p).filter(|t| !t.contains('{'))?;
        // The same few texts are read for every finding of every pack: once per run.
        let labels = case
            .vocab
            .labels_alone
            .get_or_read(text, case.post_lang, || {
                let doc = crate::parse::parse(text);
                crate::detect::detect(&doc, case.vocab, case.rules, case.post_lang).labels
            });
        labels.iter().any(&accepts).then(|| text.clone())
    })
}

/// [`text_in_post_language`] for a label or notice at the start of the body: it must be
/// good there, before `first` (an endorsement in the title comes before it).
fn label_in_post_language(
    case: &Case,
    j: &Jurisdiction,
    purpose: Purpose,
    first: Option<&Endorsement>,
    pick: impl Fn(&Jurisdiction) -> Option<&String>,
) -> Option<String> {
    let at = insertion_point(case);
    text_in_post_language(case, j, pick, |l| {
        let placed = LabelMatch {
            span: at + l.span.start..at + l.span.end,
            block: usize::MAX,
            word_pos: 0,
            ..l.clone()
        };
        relevant(case, j, purpose, l)
            && standing(case, j, purpose, &placed, first) == Standing::Good
    })
}

/// The label line the fix inserts (and help texts name), and whether it may be safe.
/// A pack's text with a placeholder (`{brand}`) gives the market's plain label
/// (`**Ad**`): no fix ever writes a placeholder, or a sponsor's name it guessed.
fn label_to_insert(case: &Case, j: &Jurisdiction) -> (String, bool) {
    let plain = |text: &str| {
        if text.contains('{') {
            format!("**{}**", j.fix.label)
        } else {
            text.to_string()
        }
    };
    let own = plain(&j.fix.insert);
    let first = case.signals.endorsements.iter().find(|e| e.block.is_some());
    if own_language(case, j) {
        (own, case.post_lang.is_some())
    } else if let Some(text) =
        label_in_post_language(case, j, Purpose::Paid, first, |p| Some(&p.fix.insert))
    {
        (plain(&text), true)
    } else {
        (own, false)
    }
}

/// Is it a fact of the post that it is paid: a front-matter flag (`sponsored: true`), a
/// label of its own ("Werbung" at the end, "#ad" in a hidden block), or an affiliate
/// link adlint recognised (a tagged shop link, which a market that wants a label for
/// affiliate posts counts as advertising)? Only then is putting the market's label at
/// the top a fix that cannot be wrong; on a post that words like "Kooperation" or a
/// discount code only hint at, it asserts what the text does not show.
fn declared_paid(case: &Case) -> bool {
    case.signals.endorsements.iter().any(|e| {
        e.kind == EndorsementKind::Flag
            || (e.kind == EndorsementKind::Affiliate && e.network.is_some())
    }) || case.signals.labels.iter().any(|l| {
        matches!(l.kind, LabelKind::Paid | LabelKind::Gift) && case.vocab.label_id(l.id) != "thanks"
    })
}

/// The safe fix: the jurisdiction's label as the first line of the body, when the post
/// is in a language of that market and the label needs no brand name, or the label of
/// the post's language that the market accepts (see [`text_in_post_language`]).
fn insert_label_fix(case: &Case, j: &Jurisdiction) -> Option<Fix> {
    let (text, safe) = label_to_insert(case, j);
    let safe = safe && declared_paid(case);
    let text = &text;
    let at = insertion_point(case);
    let newline = crate::positions::newline_of(case.doc.source);
    // After a closing `---` with no newline, start a new line first.
    let lead = if at > 0 && !case.doc.source[..at].ends_with(['\n', '\r']) {
        newline
    } else {
        ""
    };
    // The label already stands there and the finding is still raised (the endorsement
    // is in the title): a second one would not help, and --fix must settle.
    if case.doc.source[at..].starts_with(&as_written(case, text)) {
        return None;
    }
    Some(Fix {
        title: msg(case, "fix_insert_label", &[("label", text)]),
        applicability: if safe {
            Applicability::Safe
        } else {
            Applicability::Suggested
        },
        edits: vec![Edit {
            span: at..at,
            replacement: format!("{lead}{}{newline}{newline}", as_written(case, text)),
        }],
    })
}

/// A label or notice as the post's syntax writes it: Markdown, or for an `.html` post a
/// paragraph with `<strong>` for `**` (Markdown would show there as stars).
fn as_written(case: &Case, markdown: &str) -> String {
    if case.doc.syntax == crate::parse::Syntax::Markdown {
        return markdown.to_string();
    }
    let mut html = String::from("<p>");
    for (i, part) in markdown.split("**").enumerate() {
        if i > 0 {
            html.push_str(if i % 2 == 1 { "<strong>" } else { "</strong>" });
        }
        html.push_str(part);
    }
    if markdown.matches("**").count() % 2 == 1 {
        html.push_str("</strong>");
    }
    html.push_str("</p>");
    html
}

/// Where a label goes: the start of the body, after the blank lines that follow the
/// front matter.
fn insertion_point(case: &Case) -> usize {
    let body = &case.doc.source[case.doc.body_start..];
    let trimmed = body.trim_start_matches(['\n', '\r']);
    case.doc.body_start + (body.len() - trimmed.len())
}

/// The places of further endorsements, each with the message `key`.
fn secondaries(case: &Case, rest: &[&Endorsement], key: &str) -> Vec<Secondary> {
    let message = msg(case, key, &[]);
    rest.iter()
        .take(3)
        .map(|e| Secondary {
            span: e.span.clone(),
            message: message.clone(),
        })
        .collect()
}

/// The message that says where a hidden label is.
fn visibility_key(v: Visibility) -> &'static str {
    match v {
        Visibility::Visible => "in_visible_text",
        Visibility::HtmlComment => "in_html_comment",
        Visibility::AltText => "in_alt_text",
        Visibility::LinkTitle => "in_link_title",
        Visibility::FrontMatterField => "in_front_matter",
    }
}

fn snippet(case: &Case, span: &Span) -> String {
    case.doc
        .source
        .get(span.clone())
        .unwrap_or("")
        .chars()
        .take(120)
        .collect()
}

/// AD101, AD103, AD104, AD401: endorsements and no label at all.
fn missing(
    case: &Case,
    j: &Jurisdiction,
    rule: &'static Rule,
    ends: &[&Endorsement],
    flags: &[&Endorsement],
) -> Finding {
    let first = ends[0];
    let text = first.text.trim();
    let placement = placement_text(case, j);
    let (label, basis, refs) = match *rule {
        registry::UNDISCLOSED_GIFT => (
            msg(case, "gift_label", &[("text", text)]),
            msg(case, "gift_basis", &[]),
            j.gifts.refs.clone(),
        ),
        registry::UNDISCLOSED_DISCOUNT_CODE => (
            msg(case, "discount_label", &[("text", text)]),
            msg(case, "discount_basis", &[]),
            j.discount_codes.refs.clone(),
        ),
        registry::UNDISCLOSED_AFFILIATE_LINK => (
            match first.network {
                Some(_) => msg(
                    case,
                    "affiliate_post_label",
                    &[
                        ("link", &link_label(case, first)),
                        ("placement", &placement),
                    ],
                ),
                None => msg(
                    case,
                    "affiliate_declared_label",
                    &[("text", text), ("placement", &placement)],
                ),
            },
            msg(case, "affiliate_post_basis", &[]),
            j.affiliate.refs.clone(),
        ),
        registry::FRONT_MATTER_MISMATCH => (
            msg(case, "flag_label", &[("text", text)]),
            msg(case, "flag_basis", &[("summary", summary(case, j).trim())]),
            j.placement.refs.clone(),
        ),
        _ if j.brands.contains(&first.text) => (
            msg(
                case,
                "brand_label",
                &[("text", &first.text), ("pack", &j.code)],
            ),
            summary(case, j),
            j.placement.refs.clone(),
        ),
        _ => (
            msg(case, "endorsement_label", &[("text", text)]),
            summary(case, j),
            j.placement.refs.clone(),
        ),
    };
    let mut secondary = secondaries(case, &ends[1..], "and_here");
    if *rule != registry::FRONT_MATTER_MISMATCH {
        secondary.extend(flags.iter().take(1).map(|f| Secondary {
            span: f.span.clone(),
            message: msg(case, "flag_unseen", &[]),
        }));
    }
    let help = if *rule == registry::FRONT_MATTER_MISMATCH {
        msg(case, "flag_help", &[("help", &label_help(case, j))])
    } else if *rule == registry::UNDISCLOSED_GIFT {
        let word = j
            .fix
            .gift_label
            .clone()
            .unwrap_or_else(|| j.fix.label.clone());
        msg(
            case,
            "gift_help",
            &[("label", &word), ("placement", &placement)],
        )
    } else {
        label_help(case, j)
    };
    Finding {
        code: rule.code,
        jurisdiction: j.code.clone(),
        severity: rule.severity,
        span: first.span.clone(),
        message: String::new(),
        label,
        secondary,
        note: note(case, rule, j, &basis, &refs),
        help,
        fix: insert_label_fix(case, j),
        suggestions: vec![],
        snippet: snippet(case, &first.span),
    }
}

/// AD201–AD203, AD301–AD303: a label exists but does not do the job.
fn label_finding(
    case: &Case,
    j: &Jurisdiction,
    rule: &'static Rule,
    standing: &Standing,
    l: &LabelMatch,
) -> Finding {
    let id = case.vocab.label_id(l.id);
    let text = l.text.trim();
    let first = case.signals.endorsements.first();
    let mut secondary = Vec::new();
    let insert = label_to_insert(case, j).0;
    let placement = placement_text(case, j);
    let with_label = |key: &str| {
        msg(
            case,
            key,
            &[("label", insert.as_str()), ("placement", &placement)],
        )
    };
    let (primary, label, basis, refs, help) = match standing {
        Standing::Late => {
            let where_ = if case.doc.more_break.is_some_and(|m| l.span.start >= m)
                && j.placement.above_more
            {
                msg(case, "late_below_more", &[])
            } else if j.placement.rule == PlacementRule::BeforeFirstEndorsement {
                msg(case, "late_after_endorsement", &[])
            } else {
                msg(
                    case,
                    "late_after_words",
                    &[("count", &l.word_pos.to_string())],
                )
            };
            if first.is_some_and(|e| e.span.start < l.span.start) {
                secondary.push(Secondary {
                    span: l.span.clone(),
                    message: msg(case, "late_secondary", &[("where", &where_)]),
                });
            }
            let (p, lab) = match first.filter(|e| e.span.start < l.span.start) {
                Some(e) => (e.span.clone(), msg(case, "late_endorsement", &[])),
                None => (
                    l.span.clone(),
                    msg(case, "late_label", &[("text", text), ("where", &where_)]),
                ),
            };
            (
                p,
                lab,
                msg(case, "late_basis", &[("placement", &placement)]),
                j.placement.refs.clone(),
                with_label("late_help"),
            )
        }
        Standing::Hidden => {
            if let Some(e) = first {
                secondary.push(Secondary {
                    span: e.span.clone(),
                    message: msg(case, "hidden_secondary", &[]),
                });
            }
            let where_ = msg(case, visibility_key(l.visibility), &[]);
            (
                l.span.clone(),
                msg(case, "hidden_label", &[("text", text), ("where", &where_)]),
                msg(case, "hidden_basis", &[]),
                j.placement.refs.clone(),
                with_label("hidden_help"),
            )
        }
        Standing::Buried => {
            let key = match l.buried {
                Some(Burial::FinePrint) => "buried_fine_print",
                _ => "buried_hashtags",
            };
            (
                l.span.clone(),
                msg(case, key, &[("text", text)]),
                msg(case, "buried_basis", &[]),
                j.placement.refs.clone(),
                with_label("buried_help"),
            )
        }
        Standing::Foreign => {
            let post_language = lang_name(case, case.post_lang);
            (
                l.span.clone(),
                msg(
                    case,
                    "foreign_label",
                    &[
                        ("text", text),
                        ("label_language", &lang_name(case, Some(l.lang))),
                        ("post_language", &post_language),
                    ],
                ),
                msg(case, "foreign_basis", &[("jurisdiction", &jname(case, j))]),
                j.placement.refs.clone(),
                msg(
                    case,
                    "foreign_help",
                    &[
                        ("post_language", &post_language),
                        ("help", &label_help(case, j)),
                    ],
                ),
            )
        }
        Standing::Insufficient | Standing::Ambiguous | Standing::Good => {
            let rejection = match j.verdict(id) {
                LabelVerdict::Insufficient(r) | LabelVerdict::Ambiguous(r) => Some(r),
                _ => None,
            };
            let reason = reason(case, j, id, text);
            let refs = rejection.map(|r| r.refs.clone()).unwrap_or_default();
            let label = if *standing == Standing::Ambiguous {
                msg(case, "ambiguous_label", &[("text", text)])
            } else {
                msg(
                    case,
                    "insufficient_label",
                    &[
                        ("text", text),
                        ("country", case.messages.jurisdiction(&j.code, &j.name)),
                    ],
                )
            };
            (l.span.clone(), label, reason, refs, label_help(case, j))
        }
    };
    // A late, hidden or buried label moves to the top: the market's label is put there
    // (the old one may stay; it no longer matters). Deleting a late one is only
    // suggested: a fix never deletes what the user wrote.
    let suggestions: Vec<Fix> = remove_late_label(case, standing, l).into_iter().collect();
    let help = match suggestions.first() {
        Some(s) => msg(case, "help_then", &[("help", &help), ("fix", &s.title)]),
        None => help,
    };
    Finding {
        message: String::new(),
        code: rule.code,
        jurisdiction: j.code.clone(),
        severity: rule.severity,
        snippet: snippet(case, &l.span),
        span: primary,
        label,
        secondary,
        note: note(case, rule, j, &basis, &refs),
        help,
        fix: insert_label_fix(case, j),
        suggestions,
    }
}

/// For a late label that stands on a line of its own (`**Werbung**` as the last
/// paragraph), a suggestion that deletes that line (and a blank line after it): with
/// the label at the top, the late one only repeats it. Never applied.
fn remove_late_label(case: &Case, standing: &Standing, l: &LabelMatch) -> Option<Fix> {
    if *standing != Standing::Late || l.in_title {
        return None;
    }
    let source = case.doc.source;
    let (_, start) = crate::positions::line_of(source, l.span.start);
    let mut end = crate::positions::next_line_start(source, l.span.end);
    // Only markup and punctuation around the label on its line: `- **Werbung:**`.
    let alone = |s: &str| {
        s.chars()
            .all(|c| c.is_whitespace() || "*_#>~[]():.!-".contains(c))
    };
    // A label already where the fix inserts one cannot move up.
    if start <= insertion_point(case)
        || !alone(&source[start..l.span.start])
        || !alone(&source[l.span.end..end])
    {
        return None;
    }
    let next = crate::positions::next_line_start(source, end);
    if end < source.len() && source[end..next].trim().is_empty() {
        end = next;
    }
    Some(Fix {
        title: msg(case, "fix_remove_late", &[("label", l.text.trim())]),
        applicability: Applicability::Suggested,
        edits: vec![Edit {
            span: start..end,
            replacement: String::new(),
        }],
    })
}

/// `notice`: one accepted label or affiliate notice before the first link.
fn judge_notice(case: &Case, j: &Jurisdiction, links: &[&Endorsement], out: &mut Vec<Finding>) {
    let first = links[0];
    match best_label(case, j, Purpose::AffiliateNotice, Some(first)) {
        Some((Standing::Good, _)) => {}
        Some((standing, label)) => {
            let rule = rule_for(&standing);
            if !out.iter().any(|f| f.code == rule.code) {
                let mut f = label_finding(case, j, rule, &standing, &case.signals.labels[label]);
                if standing == Standing::Late {
                    f.span = first.span.clone();
                    f.snippet = snippet(case, &first.span);
                    f.label = msg(case, "late_notice", &[("link", &link_label(case, first))]);
                }
                out.push(f);
            }
        }
        None => {
            let rule = &registry::UNDISCLOSED_AFFILIATE_LINK;
            let own = j
                .fix
                .affiliate_notice
                .clone()
                .unwrap_or_else(|| j.fix.insert.clone());
            // A notice that no pack has in the post's language is only suggested where
            // the market wants the post's language: applied, it would be reported again.
            let (notice, safe) = if own_language(case, j) {
                (own, true)
            } else if let Some(text) =
                label_in_post_language(case, j, Purpose::AffiliateNotice, Some(first), |p| {
                    p.fix.affiliate_notice.as_ref()
                })
            {
                (text, true)
            } else {
                (own, !j.labels.in_post_language)
            };
            let at = insertion_point(case);
            let newline = crate::positions::newline_of(case.doc.source);
            let lead = if at > 0 && !case.doc.source[..at].ends_with(['\n', '\r']) {
                newline
            } else {
                ""
            };
            out.push(Finding {
                message: String::new(),
                code: rule.code,
                jurisdiction: j.code.clone(),
                severity: rule.severity,
                span: first.span.clone(),
                label: link_label(case, first),
                secondary: secondaries(case, &links[1..], "another_affiliate_link"),
                note: note(
                    case,
                    rule,
                    j,
                    &msg(case, "notice_basis", &[]),
                    &j.affiliate.refs,
                ),
                help: msg(case, "notice_help", &[("notice", &notice)]),
                suggestions: vec![],
                fix: Some(Fix {
                    title: msg(case, "fix_insert_notice", &[]),
                    applicability: if safe {
                        Applicability::Safe
                    } else {
                        Applicability::Suggested
                    },
                    edits: vec![Edit {
                        span: at..at,
                        replacement: format!(
                            "{lead}{}{newline}{newline}",
                            as_written(case, &notice)
                        ),
                    }],
                }),
                snippet: snippet(case, &first.span),
            });
        }
    }
}

/// "this link carries an Amazon Associates affiliate tag", or for a shortcode "this
/// `amazon` shortcode renders an affiliate link".
fn link_label(case: &Case, e: &Endorsement) -> String {
    let network = e.network.as_deref();
    // detect names a link shortcode "`amazon` shortcode".
    if let Some(name) = network.and_then(|n| n.strip_prefix('`')?.strip_suffix("` shortcode")) {
        return msg(case, "link_shortcode", &[("shortcode", name)]);
    }
    match network {
        Some(n) if n.starts_with('`') => format!("this {n} renders an affiliate link"),
        Some(crate::detect::MARKED_BY_THE_POST) => msg(case, "link_marked_by_post", &[]),
        _ => {
            // English wants "a" or "an" before the name.
            let name = network.unwrap_or("an");
            let vowel = name
                .chars()
                .next()
                .is_some_and(|c| "AEIOUaeiou".contains(c));
            let key = if vowel {
                "link_tagged_an"
            } else {
                "link_tagged_a"
            };
            msg(case, key, &[("network", name)])
        }
    }
}

/// `marker`: every link needs a marker next to it, or `*` explained up front.
fn judge_markers(case: &Case, j: &Jurisdiction, links: &[&Endorsement], out: &mut Vec<Finding>) {
    let rule = &registry::UNDISCLOSED_AFFILIATE_LINK;
    let labels = &case.signals.labels;
    // A marker in fine print counts next to a link in fine print: it is as visible as
    // the link it marks.
    let is_marker = |link: &Endorsement, i: &usize| {
        let l = &labels[*i];
        j.affiliate
            .markers
            .iter()
            .any(|m| m == case.vocab.label_id(l.id))
            && (l.buried.is_none() || (link.fine_print && l.buried == Some(Burial::FinePrint)))
    };
    let legend = labels.iter().any(|l| {
        l.visibility == Visibility::Visible
            && j.affiliate
                .notices
                .iter()
                .any(|n| n == case.vocab.label_id(l.id))
            && placement_ok(case, j, l, None)
    });
    let own_marker = j
        .fix
        .affiliate_marker
        .clone()
        .unwrap_or_else(|| format!("({})", j.fix.label));
    // A marker counts in any language; on a post in another language, one in the
    // post's language reads better ("(affiliate link)" on an English post under `de`).
    let marker_word = if own_language(case, j) {
        own_marker
    } else {
        let marks = |l: &LabelMatch| {
            l.buried.is_none()
                && j.affiliate
                    .markers
                    .iter()
                    .any(|m| m == case.vocab.label_id(l.id))
        };
        text_in_post_language(case, j, |p| p.fix.affiliate_marker.as_ref(), marks)
            .unwrap_or(own_marker)
    };
    for link in links {
        // A link the theme renders from front matter cannot carry a marker: a notice
        // at the start stands for it.
        if link.nearby_labels.iter().any(|i| is_marker(link, i))
            || (j.affiliate.asterisk && link.asterisk && legend)
            || (link.block.is_none() && legend)
        {
            continue;
        }
        let (label, help) = if link.asterisk && j.affiliate.asterisk {
            (
                msg(case, "asterisk_label", &[]),
                msg(
                    case,
                    "asterisk_help",
                    &[
                        ("placement", &placement_text(case, j)),
                        (
                            "notice",
                            j.fix.affiliate_notice.as_deref().unwrap_or_default(),
                        ),
                    ],
                ),
            )
        } else {
            let key = if j.affiliate.asterisk {
                "marker_help_asterisk"
            } else {
                "marker_help"
            };
            (
                msg(case, "marker_label", &[("link", &link_label(case, link))]),
                msg(case, key, &[("marker", &marker_word)]),
            )
        };
        // Where no marker next to the link would count (the link ends deep inside a
        // long quotation), the fix is only a suggestion.
        let at = link.marker_at.unwrap_or(link.span.end);
        // No marker goes into front matter: its value is a URL the theme reads.
        let fix = (!link.asterisk && link.block.is_some()).then(|| Fix {
            title: msg(case, "fix_add_marker", &[("marker", &marker_word)]),
            applicability: if link.marker_at.is_some() {
                Applicability::Safe
            } else {
                Applicability::Suggested
            },
            edits: vec![Edit {
                span: at..at,
                replacement: format!(" {marker_word}"),
            }],
        });
        out.push(Finding {
            message: String::new(),
            code: rule.code,
            jurisdiction: j.code.clone(),
            severity: rule.severity,
            span: link.span.clone(),
            label,
            secondary: vec![],
            note: note(
                case,
                rule,
                j,
                &msg(case, "marker_basis", &[]),
                &j.affiliate.refs,
            ),
            help,
            fix,
            suggestions: vec![],
            snippet: snippet(case, &link.span),
        });
    }
}

//! Resolving `extends` and checking that every id a pack names exists.

use super::{
    AffiliatePolicy, FixText, LabelKind, LabelPolicy, PackError, PackFile, Placement, Reference,
    Rejection, Requirement,
};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// Where a label must stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlacementRule {
    /// In the title or within the first `start_words` words of the body.
    Start,
    /// Before (or in the same paragraph as) the first endorsement it covers.
    BeforeFirstEndorsement,
    /// Anywhere visible.
    Anywhere,
}

/// How affiliate links must be marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AffiliateRule {
    /// Each link needs a marker next to it.
    Marker,
    /// One notice (or accepted label) before the first link.
    Notice,
    /// Affiliate links need no label of their own.
    None,
}

/// What a jurisdiction thinks of one label id.
#[derive(Debug, Clone)]
pub enum LabelVerdict<'a> {
    Accepted,
    Insufficient(&'a Rejection),
    Ambiguous(&'a Rejection),
    /// Neither accepted nor named: treated as insufficient with a generic reason.
    Unlisted,
}

/// A jurisdiction pack with `extends` resolved: what the judge reads.
#[derive(Debug, Clone)]
pub struct Jurisdiction {
    pub code: String,
    pub name: String,
    pub source_path: String,
    pub extends: Option<String>,
    pub languages: Vec<String>,
    pub last_checked: Option<String>,
    pub summary: String,
    pub labels: LabelPolicy,
    pub placement: Placement,
    pub affiliate: AffiliatePolicy,
    pub gifts: Requirement,
    pub discount_codes: Requirement,
    pub fix: FixText,
    pub references: Vec<Reference>,
    pub brands: Vec<String>,
    /// The accepted labels as words to write, per post language (slot 0: none): the
    /// same for every finding of a run, so worked out once (`judge::accepted_words`).
    pub accepted_words: Vec<std::sync::OnceLock<String>>,
}

/// Languages a pack can cache [`Jurisdiction::accepted_words`] for (more are worked
/// out each time).
const CACHED_LANGUAGES: usize = 64;

impl Jurisdiction {
    /// This pack's view of a label id.
    pub fn verdict(&self, id: &str) -> LabelVerdict<'_> {
        if self.labels.accepted.iter().any(|a| a == id) {
            return LabelVerdict::Accepted;
        }
        if let Some(r) = self.labels.insufficient.iter().find(|r| r.id == id) {
            return LabelVerdict::Insufficient(r);
        }
        if let Some(r) = self.labels.ambiguous.iter().find(|r| r.id == id) {
            return LabelVerdict::Ambiguous(r);
        }
        LabelVerdict::Unlisted
    }

    /// The references with these ids, in the order given.
    pub fn refs<'a>(&'a self, ids: &'a [String]) -> impl Iterator<Item = &'a Reference> + 'a {
        ids.iter()
            .filter_map(|id| self.references.iter().find(|r| &r.id == id))
    }

    /// A short citation such as "BGH I ZR 2/11; KG 5 W 221/17" for the given ref ids.
    pub fn cite(&self, ids: &[String]) -> String {
        let titles: Vec<&str> = self
            .refs(ids)
            .map(|r| short_title(&r.title))
            .take(2)
            .collect();
        titles.join("; ")
    }
}

fn err(path: &str, message: String) -> PackError {
    PackError {
        path: path.to_string(),
        line: None,
        message,
    }
}

/// Resolves every pack against its parent chain and validates ids.
pub fn resolve_all(
    packs: &BTreeMap<String, (String, PackFile)>,
    label_kinds: &BTreeMap<String, LabelKind>,
    languages: &BTreeSet<String>,
) -> Result<BTreeMap<String, Jurisdiction>, PackError> {
    let mut out = BTreeMap::new();
    for code in packs.keys() {
        let j = resolve_one(code, packs, &mut Vec::new())?;
        validate(&j, label_kinds, languages)?;
        out.insert(code.clone(), j);
    }
    Ok(out)
}

fn pick<T: Clone>(own: Option<&T>, inherited: Option<T>) -> Option<T> {
    own.cloned().or(inherited)
}

/// The most packs an `extends` chain may hold. Each pack is resolved through its whole
/// chain, recursively: 30,000 house packs in a chain overflowed the stack, and 3,000
/// took 32 s. Real chains are two or three long (`agentur-de` → `de`).
pub const MAX_EXTENDS: usize = 32;

fn resolve_one(
    code: &str,
    packs: &BTreeMap<String, (String, PackFile)>,
    chain: &mut Vec<String>,
) -> Result<Jurisdiction, PackError> {
    let (path, pack) = &packs[code];
    if chain.iter().any(|c| c == code) {
        return Err(err(
            path,
            format!("`extends` forms a cycle: {} -> {code}", chain.join(" -> ")),
        ));
    }
    if chain.len() == MAX_EXTENDS {
        // Named at the pack whose chain is too long: the file to change.
        return Err(err(
            &packs[&chain[0]].0,
            format!(
                "`extends` goes deeper than {MAX_EXTENDS} packs ({} -> {} -> … -> {code}); adlint follows at most {MAX_EXTENDS}",
                chain[0], chain[1]
            ),
        ));
    }
    chain.push(code.to_string());
    let parent = match &pack.extends {
        Some(parent) if packs.contains_key(parent) => Some(resolve_one(parent, packs, chain)?),
        Some(parent) => {
            return Err(err(
                path,
                format!("`extends = \"{parent}\"`: no such jurisdiction"),
            ));
        }
        None => None,
    };
    let missing = |table: &str| {
        err(
            path,
            format!("missing table `[{table}]` (and no parent pack sets it)"),
        )
    };
    let labels = pick(
        pack.labels.as_ref(),
        parent.as_ref().map(|p| p.labels.clone()),
    )
    .ok_or_else(|| missing("labels"))?;
    let placement = pick(
        pack.placement.as_ref(),
        parent.as_ref().map(|p| p.placement.clone()),
    )
    .ok_or_else(|| missing("placement"))?;
    let affiliate = pick(
        pack.affiliate.as_ref(),
        parent.as_ref().map(|p| p.affiliate.clone()),
    )
    .ok_or_else(|| missing("affiliate"))?;
    let gifts = pick(
        pack.gifts.as_ref(),
        parent.as_ref().map(|p| p.gifts.clone()),
    )
    .unwrap_or(Requirement {
        require_label: true,
        refs: vec![],
    });
    let discount_codes = pick(
        pack.discount_codes.as_ref(),
        parent.as_ref().map(|p| p.discount_codes.clone()),
    )
    .unwrap_or(Requirement {
        require_label: true,
        refs: vec![],
    });
    let fix = pick(pack.fix.as_ref(), parent.as_ref().map(|p| p.fix.clone()))
        .ok_or_else(|| missing("fix"))?;
    let mut references = pack.references.clone();
    let mut brands = pack.brands.clone();
    if let Some(p) = &parent {
        for r in &p.references {
            if !references.iter().any(|own| own.id == r.id) {
                references.push(r.clone());
            }
        }
        brands.extend(p.brands.iter().cloned());
    }
    let languages = if pack.languages.is_empty() {
        parent
            .as_ref()
            .map(|p| p.languages.clone())
            .unwrap_or_default()
    } else {
        pack.languages.clone()
    };
    Ok(Jurisdiction {
        code: pack.code.clone(),
        name: pack.name.clone(),
        source_path: path.clone(),
        extends: pack.extends.clone(),
        languages,
        last_checked: pack
            .last_checked
            .clone()
            .or_else(|| parent.as_ref().and_then(|p| p.last_checked.clone())),
        summary: pack
            .summary
            .clone()
            .or_else(|| parent.as_ref().map(|p| p.summary.clone()))
            .unwrap_or_default(),
        labels,
        placement,
        affiliate,
        gifts,
        discount_codes,
        fix,
        references,
        brands,
        accepted_words: (0..=CACHED_LANGUAGES)
            .map(|_| std::sync::OnceLock::new())
            .collect(),
    })
}

fn validate(
    j: &Jurisdiction,
    label_kinds: &BTreeMap<String, LabelKind>,
    languages: &BTreeSet<String>,
) -> Result<(), PackError> {
    let path = &j.source_path;
    let ids = j
        .labels
        .accepted
        .iter()
        .chain(j.labels.insufficient.iter().map(|r| &r.id))
        .chain(j.labels.ambiguous.iter().map(|r| &r.id))
        .chain(j.affiliate.markers.iter())
        .chain(j.affiliate.notices.iter());
    for id in ids {
        if !label_kinds.contains_key(id) {
            return Err(err(
                path,
                format!("unknown label id `{id}` (not defined in any rules/languages/*.toml)"),
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for id in j
        .labels
        .accepted
        .iter()
        .chain(j.labels.insufficient.iter().map(|r| &r.id))
        .chain(j.labels.ambiguous.iter().map(|r| &r.id))
    {
        if !seen.insert(id) {
            return Err(err(
                path,
                format!("label id `{id}` is listed twice in [labels]"),
            ));
        }
    }
    let refs = j
        .labels
        .insufficient
        .iter()
        .chain(j.labels.ambiguous.iter())
        .flat_map(|r| r.refs.iter())
        .chain(j.placement.refs.iter())
        .chain(j.affiliate.refs.iter())
        .chain(j.gifts.refs.iter())
        .chain(j.discount_codes.refs.iter());
    for r in refs {
        if !j.references.iter().any(|own| &own.id == r) {
            return Err(err(
                path,
                format!("reference `{r}` is not among [[references]]"),
            ));
        }
    }
    for lang in &j.languages {
        if !languages.contains(lang) {
            return Err(err(
                path,
                format!("language `{lang}` has no rules/languages/{lang}.toml"),
            ));
        }
    }
    Ok(())
}

/// "LG München I, 26.02.2019 – 33 O 2855/18: Irreführung …" → the part before the colon;
/// a trailing "(publisher)" is dropped. Full titles are in `adlint explain`.
fn short_title(title: &str) -> &str {
    let t = title.split(": ").next().unwrap_or(title).trim();
    match t.rfind(" (") {
        Some(i) if t.ends_with(')') && i > 10 => &t[..i],
        _ => t,
    }
}

//! Every rule, declared once: code, name, summary, default severity, fix availability
//! and the documentation that `adlint explain`, `adlint rules`, `docs/rules.md` and
//! SARIF rule metadata are generated from.

use crate::diagnostic::Severity;

/// Whether a rule's findings carry a fix, and of what kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    /// `--fix` may apply it when the jurisdiction has one unambiguous label.
    Safe,
    /// Shown as a suggestion; a person decides.
    Suggested,
    None,
}

/// A rule's maturity (ruff's stable/preview): a code's meaning never changes once stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Stable,
    Preview,
}

/// One rule. `PartialEq` and `Eq` are derived so that the judge can match on the rule
/// constants (`UNDISCLOSED_GIFT => …`) instead of on code strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    /// The headline of a finding, e.g. "affiliate link without a disclosure".
    pub summary: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    pub status: Status,
    /// Markdown with the sections What it flags / Why / Example / What to write / Not flagged.
    pub doc: &'static str,
}

macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $ident:ident {
            code: $code:literal,
            name: $name:literal,
            summary: $summary:literal,
            severity: $severity:ident,
            fix: $fix:ident $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub const $ident: Rule = Rule {
            code: $code,
            name: $name,
            summary: $summary,
            severity: Severity::$severity,
            fix: FixAvailability::$fix,
            status: Status::Stable,
            doc: concat!($($doc, "\n"),*),
        };
    };
}

declare_rule! {
    /// ## What it flags
    /// Wording that shows the post was made with or paid by a brand — "sponsored by
    /// Acme", "thanks to Acme for sponsoring this post", "in Zusammenarbeit mit
    /// Samsung", "in samenwerking met", "i samarbejde med", "in collaborazione con" —
    /// when the post carries no disclosure label at all.
    ///
    /// ## Why
    /// Every market treats undisclosed paid content as misleading: the reader must know
    /// an article is advertising before reading it (UCPD Annex I no. 11, 16 CFR 255.5,
    /// UWG §5a(4)).
    ///
    /// ## Example
    /// ```markdown
    /// In Zusammenarbeit mit Samsung habe ich das Galaxy getestet.
    /// ```
    ///
    /// ## What to write
    /// The label the jurisdiction accepts, where it wants it:
    /// ```markdown
    /// **Werbung**
    ///
    /// In Zusammenarbeit mit Samsung habe ich das Galaxy getestet.
    /// ```
    ///
    /// ## Not flagged
    /// The phrase inside quotation marks or code, in a hypothetical ("if a post is
    /// sponsored by a brand …"), followed by no name ("sponsored by a brand"), or about
    /// open-source sponsorship (GitHub Sponsors, Open Collective).
    UNDISCLOSED_ENDORSEMENT {
        code: "AD101",
        name: "undisclosed-endorsement",
        summary: "sponsored content without a disclosure",
        severity: Error,
        fix: Safe,
    }
}

declare_rule! {
    /// ## What it flags
    /// A link whose URL is an affiliate tracking link (Amazon `tag=`, amzn.to, Awin,
    /// CJ, Rakuten, Impact, Partnerize, Skimlinks, LTK, ShareASale, eBay Partner
    /// Network, Adcell, Belboon, Tradedoubler, Digistore24, Booking.com, … from
    /// `rules/affiliate-networks.toml`) in a Markdown link, autolink, reference link,
    /// raw `<a href>` or bare URL, without the marking the jurisdiction asks for: a
    /// marker next to each link (DE: "(Werbelink)", or `*` explained at the start) or a
    /// notice before the first link (US: "This post contains affiliate links …").
    ///
    /// ## Why
    /// A commission on sales is a material connection (16 CFR 255.5); German courts held
    /// an affiliate link in editorial content without a notice misleading (LG München I,
    /// 33 O 2855/18).
    ///
    /// ## Example
    /// ```markdown
    /// Ich nutze die [Anker 737](https://www.amazon.de/dp/B09?tag=blog-21).
    /// ```
    ///
    /// ## What to write
    /// ```markdown
    /// Ich nutze die [Anker 737](https://www.amazon.de/dp/B09?tag=blog-21) (Werbelink).
    /// ```
    /// A marker inside quotation marks is part of the quotation, so a quoted link is
    /// marked after the closing mark; a link set in fine print (`<small>`) may carry
    /// its marker in the same fine print, as visible as the link itself.
    ///
    /// ## Not flagged
    /// Plain shop links without an affiliate tag (`https://www.amazon.de/dp/B09`), links
    /// in code blocks or inline code.
    UNDISCLOSED_AFFILIATE_LINK {
        code: "AD102",
        name: "undisclosed-affiliate-link",
        summary: "affiliate link without a disclosure",
        severity: Error,
        fix: Safe,
    }
}

declare_rule! {
    /// ## What it flags
    /// Wording that says a product, stay or trip was given to the author — "PR sample",
    /// "was sent to me by", "kostenlos zur Verfügung gestellt", "gekregen van", "fået
    /// tilsendt", "ricevuto in regalo", "press trip", "hosted stay" — with no label.
    ///
    /// ## Why
    /// Free products are consideration: the FTC counts them as a material connection
    /// even when no post is required (16 CFR 255.5), the BGH counts them as
    /// consideration (Influencer III, I ZR 35/21), the UK CMA expects gifts disclosed.
    ///
    /// ## Example
    /// ```markdown
    /// Die Creme wurde mir kostenlos zur Verfügung gestellt.
    /// ```
    ///
    /// ## What to write
    /// The jurisdiction's label at the start ("Werbung" in DE; in the US a plain
    /// sentence such as "Acme sent me this product for free" is a disclosure itself).
    ///
    /// ## Not flagged
    /// Products the author bought ("I bought it myself"), quoted or hypothetical wording.
    UNDISCLOSED_GIFT {
        code: "AD103",
        name: "undisclosed-gift",
        summary: "gifted product or trip without a disclosure",
        severity: Error,
        fix: Safe,
    }
}

declare_rule! {
    /// ## What it flags
    /// A brand discount code — "use code ANNA20", "Rabattcode LISA15", "kortingscode
    /// SANNE10", "rabatkode METTE20", "codice sconto GIULIA10" — with no label.
    ///
    /// ## Why
    /// A personal code usually pays the author per sale, a material connection; the
    /// Italian Digital Chart names discount codes expressly, and the German DDG §6 wants
    /// sales promotions recognisable.
    ///
    /// ## Example
    /// ```markdown
    /// Mit dem Rabattcode LISA15 spart ihr 15 %.
    /// ```
    ///
    /// ## What to write
    /// The jurisdiction's label at the start of the post.
    ///
    /// ## Not flagged
    /// "Rabattcodes" as a topic, a code word without an actual code, codes in code blocks.
    UNDISCLOSED_DISCOUNT_CODE {
        code: "AD104",
        name: "undisclosed-discount-code",
        summary: "discount code without a disclosure",
        severity: Error,
        fix: Safe,
    }
}

declare_rule! {
    /// ## What it flags
    /// An accepted label that stands too late for the jurisdiction: DE, AT, DK, UK and
    /// others want it in the title or at the very start; the US wants it before the
    /// endorsement and above the `<!--more-->` break, never only at the end.
    ///
    /// ## Why
    /// Readers must know it is advertising before they read it (OLG Celle 13 U 53/17 on a
    /// trailing label; FTC: "at the end of posts" is likely to be missed).
    ///
    /// ## Example
    /// ```markdown
    /// … 300 words of review …
    ///
    /// #werbung
    /// ```
    ///
    /// ## What to write
    /// Move the label to the top: `**Werbung**` as the first line of the post. `--fix`
    /// inserts it there and deletes nothing; where the late label stands on a line of
    /// its own, removing that line is offered as a suggestion (help, JSON `suggestions`,
    /// SARIF `fixes`, editor code actions), never applied by `--fix`.
    ///
    /// ## Not flagged
    /// Jurisdictions whose placement is `anywhere` (NL), labels in the title.
    LATE_DISCLOSURE {
        code: "AD201",
        name: "late-disclosure",
        summary: "the disclosure comes too late",
        severity: Error,
        fix: Safe,
    }
}

declare_rule! {
    /// ## What it flags
    /// A post whose only accepted label is hidden from readers: in an HTML comment, in
    /// image alt text, in a link title or in a front-matter field other than the title.
    ///
    /// ## Why
    /// A disclosure must be "difficult to miss" (16 CFR 255.0(f)); what readers never see
    /// discloses nothing.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- Werbung -->
    /// Heute zeige ich euch …
    /// ```
    ///
    /// ## What to write
    /// The label as visible text at the start: `**Werbung**`.
    ///
    /// ## Not flagged
    /// Posts that also carry a visible, well-placed label.
    HIDDEN_DISCLOSURE {
        code: "AD202",
        name: "hidden-disclosure",
        summary: "the only disclosure is hidden",
        severity: Error,
        fix: Safe,
    }
}

declare_rule! {
    /// ## What it flags
    /// An accepted label lost in a row of five or more hashtags (after the third), or set
    /// in fine print (`<small>`, `<sub>`, `<sup>`).
    ///
    /// ## Why
    /// The FTC: "don't mix the disclosure into a group of hashtags"; the Dutch code warns
    /// against hiding it among many hashtags; Italy wants it within the first three.
    ///
    /// ## Example
    /// ```markdown
    /// #summer #beach #sun #travel #ad #sea
    /// ```
    ///
    /// ## What to write
    /// The label first, on its own: `**Ad:**` at the start of the post.
    ///
    /// ## Not flagged
    /// A label that opens the hashtag row, or stands in normal text.
    BURIED_DISCLOSURE {
        code: "AD203",
        name: "buried-disclosure",
        summary: "the disclosure is buried",
        severity: Warning,
        fix: Safe,
    }
}

declare_rule! {
    /// ## What it flags
    /// A label the jurisdiction does not accept, with nothing better: "Sponsored by" or
    /// "#ad" in Germany, "ad" or "spons" in Denmark, "#sp" or "#spon" in the US.
    ///
    /// ## Why
    /// Each market names the words its readers understand; the pack cites the ruling or
    /// guidance for each rejected label (`adlint explain AD301 --jurisdiction de`).
    ///
    /// ## Example
    /// ```markdown
    /// Sponsored by Acme
    /// ```
    ///
    /// ## What to write
    /// The market's own label: "Werbung" or "Anzeige" in Germany, "Reklame" in Denmark.
    ///
    /// ## Not flagged
    /// A rejected label next to an accepted one ("Werbung | Sponsored by Acme").
    INSUFFICIENT_LABEL {
        code: "AD301",
        name: "insufficient-label",
        summary: "this label is not enough here",
        severity: Error,
        fix: Safe,
    }
}

declare_rule! {
    /// ## What it flags
    /// An accepted kind of label written in another language than the post's, where the
    /// jurisdiction wants the audience's language: "Advertising" on a German post under
    /// DE, "#ad" on a Spanish post under the US.
    ///
    /// ## Why
    /// The FTC: the disclosure should be in the same language as the endorsement; German
    /// and Danish practice expect the German or Danish word.
    ///
    /// ## Example
    /// ```markdown
    /// **Advertising** – Heute teste ich …
    /// ```
    ///
    /// ## What to write
    /// The same label in the post's language: `**Werbung**`.
    ///
    /// ## Not flagged
    /// Jurisdictions without a language rule (UK, NL).
    FOREIGN_LANGUAGE_LABEL {
        code: "AD302",
        name: "foreign-language-label",
        summary: "the label is not in the post's language",
        severity: Warning,
        fix: Safe,
    }
}

declare_rule! {
    /// ## What it flags
    /// Words that stand in for a label but do not say "advertising": "#collab",
    /// "#partner", "thanks to Acme", a bare "ambassador".
    ///
    /// ## Why
    /// Regulators call them ambiguous: the FTC calls "#partner" ambiguous and "#thanks"
    /// inadequate; the UK ASA lists "thanks to [brand]" and "in collaboration with"
    /// among the labels not to use.
    ///
    /// ## Example
    /// ```markdown
    /// #collab #skincare
    /// ```
    ///
    /// ## What to write
    /// The jurisdiction's label: "#ad" / "Advertisement" in the US and UK.
    ///
    /// ## Not flagged
    /// Jurisdictions that list the word as accepted (NL accepts "#collab").
    AMBIGUOUS_LABEL {
        code: "AD303",
        name: "ambiguous-label",
        summary: "this label is ambiguous",
        severity: Warning,
        fix: Safe,
    }
}

declare_rule! {
    /// ## What it flags
    /// Front matter that marks the post as paid (`sponsored: true`, `sponsor: Acme`,
    /// `tags: [werbung]`) while the title and body carry no label readers can see.
    ///
    /// ## Why
    /// The flag shows the author knows the post is paid; unless the theme prints a
    /// notice from it, readers see nothing.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// sponsored: true
    /// ---
    /// Heute zeige ich euch …
    /// ```
    ///
    /// ## What to write
    /// The label in the post itself: `**Werbung**` as its first line.
    ///
    /// ## Not flagged
    /// Posts whose title or start carries an accepted label.
    FRONT_MATTER_MISMATCH {
        code: "AD401",
        name: "front-matter-mismatch",
        summary: "front matter says sponsored, but readers see no label",
        severity: Error,
        fix: Safe,
    }
}

/// Every rule, in code order.
pub const ALL: &[Rule] = &[
    UNDISCLOSED_ENDORSEMENT,
    UNDISCLOSED_AFFILIATE_LINK,
    UNDISCLOSED_GIFT,
    UNDISCLOSED_DISCOUNT_CODE,
    LATE_DISCLOSURE,
    HIDDEN_DISCLOSURE,
    BURIED_DISCLOSURE,
    INSUFFICIENT_LABEL,
    FOREIGN_LANGUAGE_LABEL,
    AMBIGUOUS_LABEL,
    FRONT_MATTER_MISMATCH,
];

/// A rule by code (`AD102`) or name (`undisclosed-affiliate-link`), case-insensitive.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// A doc section's text ("What it flags"), without its heading.
pub fn section(rule: &Rule, heading: &str) -> String {
    // Doc comments keep the space after `///`: without it, `## Why` starts a line and
    // each section ends where the next begins (not at the end of the doc).
    let doc: String = rule
        .doc
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let marker = format!("## {heading}");
    let Some(start) = doc.find(&marker) else {
        return String::new();
    };
    let rest = &doc[start + marker.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].trim().to_string()
}

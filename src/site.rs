//! Static site generators: which one a folder is (Hugo, Jekyll, Eleventy, Astro,
//! Docusaurus, MkDocs), where its posts are, what to leave out, which languages it has,
//! and which of its shortcodes or components render a disclosure or an affiliate link
//! (read from their templates). `adlint init` writes this as a commented adlint.toml.

use std::path::{Path, PathBuf};

/// A site generator adlint knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    Hugo,
    Jekyll,
    Eleventy,
    Astro,
    Docusaurus,
    MkDocs,
    Gatsby,
    NextJs,
}

impl Generator {
    pub fn name(self) -> &'static str {
        match self {
            Generator::Hugo => "Hugo",
            Generator::Jekyll => "Jekyll",
            Generator::Eleventy => "Eleventy",
            Generator::Astro => "Astro",
            Generator::Docusaurus => "Docusaurus",
            Generator::MkDocs => "MkDocs",
            Generator::Gatsby => "Gatsby",
            Generator::NextJs => "Next.js",
        }
    }
}

/// What adlint learned about a site.
#[derive(Debug, Clone)]
pub struct Site {
    pub generator: Generator,
    /// The file that told (`hugo.toml`, `_config.yml`).
    pub evidence: String,
    /// Globs of the posts to check.
    pub include: Vec<String>,
    /// Folders that are build output, themes or dependencies.
    pub exclude: Vec<String>,
    pub languages: Vec<String>,
    pub default_language: Option<String>,
    /// Shortcodes or components found whose templates render a disclosure / a link.
    pub disclosure_shortcodes: Vec<String>,
    pub link_shortcodes: Vec<String>,
    /// Why each link shortcode is one (its template builds an Amazon URL, its name says
    /// so), written beside it in the generated config.
    pub link_reasons: Vec<(String, String)>,
    /// Notices a layout prints on a front-matter flag: (flag, label id, text).
    pub theme_labels: Vec<(String, String, String)>,
    /// Hugo `ignoreFiles` patterns written as exclude globs, and those that could not be.
    pub ignore_files: Vec<String>,
    pub ignore_files_unread: Vec<String>,
    /// Files of the site that could not be read (a FIFO, a device, too large), left out.
    pub warnings: Vec<String>,
}

impl Site {
    /// Everything left out: build output, themes, and what Hugo's `ignoreFiles` skips.
    pub fn left_out(&self) -> Vec<String> {
        self.exclude
            .iter()
            .chain(&self.ignore_files)
            .cloned()
            .collect()
    }
}

/// A file of the site (its config, a template) through the reader of every input file
/// (`load::read_input`): a FIFO or `/dev/zero` named like one must not hang or fill the
/// memory. A missing file is `None`; one that cannot be read is `None` with a warning.
fn read_text(path: &Path, warnings: &mut Vec<String>) -> Option<String> {
    match crate::load::read_input(path, crate::load::CONFIG_LIMIT) {
        Ok(text) => Some(text),
        Err(crate::load::LoadError::Io(_)) if !path.exists() => None,
        Err(e) => {
            warnings.push(format!("{}: {e}; left out", path.display()));
            None
        }
    }
}

fn exists(dir: &Path, name: &str) -> bool {
    dir.join(name).exists()
}

fn first_existing(dir: &Path, names: &[&str]) -> Option<String> {
    names.iter().find(|n| exists(dir, n)).map(|n| n.to_string())
}

fn md(folder: &str) -> Vec<String> {
    ["md", "markdown", "mdx"]
        .iter()
        .map(|e| format!("{folder}/**/*.{e}"))
        .collect()
}

/// Markdown and `.html` posts: Hugo, Jekyll and Eleventy render `.html` files with front
/// matter as pages too (only those that start with `---` are checked, see discover).
fn md_html(folder: &str) -> Vec<String> {
    let mut globs = md(folder);
    globs.push(format!("{folder}/**/*.html"));
    globs
}

/// Detects the generator of a site folder.
pub fn detect(dir: &Path) -> Option<Site> {
    let site = |generator, evidence: String, include: Vec<String>, exclude: &[&str]| Site {
        generator,
        evidence,
        include,
        exclude: exclude.iter().map(|s| s.to_string()).collect(),
        languages: vec![],
        default_language: None,
        disclosure_shortcodes: vec![],
        link_shortcodes: vec![],
        link_reasons: vec![],
        theme_labels: vec![],
        ignore_files: vec![],
        ignore_files_unread: vec![],
        warnings: vec![],
    };
    if let Some(cfg) = hugo_config(dir) {
        let mut s = site(
            Generator::Hugo,
            cfg.clone(),
            md_html("content"),
            HUGO_LEFT_OUT,
        );
        read_hugo_settings(dir, &cfg, &mut s);
        scan_templates(
            dir,
            &[
                "layouts/shortcodes",
                "layouts/_shortcodes",
                "themes/*/layouts/shortcodes",
                "themes/*/layouts/_shortcodes",
            ],
            &mut s,
        );
        scan_layouts(dir, &["layouts", "themes"], &mut s);
        return Some(s);
    }
    if let Some(cfg) = first_existing(dir, &["_config.yml", "_config.yaml", "_config.toml"])
        .filter(|_| exists(dir, "_posts") || exists(dir, "_drafts"))
    {
        let mut include = md_html("_posts");
        include.extend(md_html("_drafts"));
        let mut s = site(
            Generator::Jekyll,
            cfg,
            include,
            &["_site", "vendor", "node_modules", ".jekyll-cache"],
        );
        scan_templates(dir, &["_includes"], &mut s);
        scan_layouts(dir, &["_layouts"], &mut s);
        return Some(s);
    }
    if let Some(cfg) = first_existing(
        dir,
        &[
            "eleventy.config.js",
            "eleventy.config.mjs",
            "eleventy.config.cjs",
            "eleventy.config.ts",
            "eleventy.config.mts",
            ".eleventy.js",
            ".eleventy.cjs",
        ],
    ) {
        let mut s = site(
            Generator::Eleventy,
            cfg.clone(),
            vec!["**/*.md".into(), "**/*.markdown".into(), "**/*.html".into()],
            &["_site", "node_modules", "_includes", "_layouts", "_data"],
        );
        scan_eleventy_shortcodes(&dir.join(&cfg), &mut s);
        scan_templates(dir, &["_includes"], &mut s);
        scan_layouts(dir, &["_includes"], &mut s);
        return Some(s);
    }
    if let Some(cfg) = first_existing(
        dir,
        &[
            "astro.config.mjs",
            "astro.config.js",
            "astro.config.ts",
            "astro.config.mts",
            "astro.config.cjs",
        ],
    ) {
        let mut s = site(
            Generator::Astro,
            cfg,
            {
                // Content collections (src/content), and Markdown pages (src/pages).
                let mut include = md("src/content");
                include.extend(md("src/pages"));
                include
            },
            &["dist", "node_modules", ".astro"],
        );
        scan_templates(dir, &["src/components"], &mut s);
        scan_layouts(dir, &["src/layouts"], &mut s);
        return Some(s);
    }
    if let Some(cfg) = first_existing(
        dir,
        &[
            "docusaurus.config.js",
            "docusaurus.config.ts",
            "docusaurus.config.mjs",
            "docusaurus.config.cjs",
        ],
    ) {
        let mut include = md("blog");
        include.extend(md("docs"));
        include.extend(md("i18n"));
        let mut s = site(
            Generator::Docusaurus,
            cfg,
            include,
            &["build", "node_modules", ".docusaurus"],
        );
        if let Ok(entries) = std::fs::read_dir(dir.join("i18n")) {
            let mut langs: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            langs.sort();
            s.languages = langs;
        }
        scan_templates(dir, &["src/components", "src/theme"], &mut s);
        return Some(s);
    }
    if let Some(cfg) = first_existing(dir, &["mkdocs.yml", "mkdocs.yaml"]) {
        // `docs_dir:` moves the pages; the default is docs/.
        let text = read_text(&dir.join(&cfg), &mut Vec::new()).unwrap_or_default();
        let docs = text
            .lines()
            .find_map(|l| l.strip_prefix("docs_dir:"))
            .map(|v| {
                v.trim()
                    .trim_matches(['"', '\''])
                    .trim_end_matches('/')
                    .to_string()
            })
            .filter(|v| !v.is_empty() && !v.contains(".."))
            .unwrap_or_else(|| "docs".into());
        return Some(site(
            Generator::MkDocs,
            cfg,
            md(&docs),
            &["site", "node_modules", "overrides"],
        ));
    }
    if let Some(cfg) = first_existing(
        dir,
        &["gatsby-config.js", "gatsby-config.ts", "gatsby-config.mjs"],
    ) {
        let mut s = site(
            Generator::Gatsby,
            cfg.clone(),
            js_content_folders(dir, &cfg, &["content", "src/pages", "blog", "posts"]),
            &["public", ".cache", "node_modules", "static"],
        );
        scan_templates(dir, &["src/components"], &mut s);
        return Some(s);
    }
    if let Some(cfg) = first_existing(
        dir,
        &[
            "next.config.js",
            "next.config.mjs",
            "next.config.ts",
            "next.config.cjs",
        ],
    ) {
        // Next.js has no content folder of its own: MDX blogs keep posts where their
        // starter put them (posts/, _posts/, content/, data/blog/), or as MDX pages.
        let mut include = Vec::new();
        for folder in ["posts", "_posts", "content", "data", "blog"] {
            if exists(dir, folder) {
                include.extend(md(folder));
            }
        }
        for folder in ["app", "src/app", "pages", "src/pages"] {
            if exists(dir, folder) {
                include.push(format!("{folder}/**/*.mdx"));
                include.push(format!("{folder}/**/*.md"));
            }
        }
        if include.is_empty() {
            return None;
        }
        let mut s = site(
            Generator::NextJs,
            cfg,
            include,
            &[".next", "out", "node_modules", "public"],
        );
        scan_templates(dir, &["components", "src/components"], &mut s);
        return Some(s);
    }
    None
}

/// Left out of a Hugo site: build output, themes, and the templates of new posts
/// (`archetypes/default.md` holds `date = {{ .Date }}`: a template, not a post).
const HUGO_LEFT_OUT: &[&str] = &[
    "themes",
    "public",
    "resources",
    "node_modules",
    "archetypes",
];

const HUGO_NAMES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// Hugo's config, in every place Hugo reads it: `hugo.toml` (or .yaml/.json), the older
/// `config.toml`, or a config folder, `config/_default/hugo.toml`, where Blowfish, Congo,
/// PaperMod and Docsy tell users to keep it (with `languages.toml`, `params.toml` beside).
fn hugo_config(dir: &Path) -> Option<String> {
    for name in HUGO_NAMES {
        if !exists(dir, name) {
            continue;
        }
        if name.starts_with("hugo.") {
            return Some(name.to_string());
        }
        // `config.toml` is a common name: Hugo's only with its content folder, or a
        // key only Hugo writes.
        let text = read_text(&dir.join(name), &mut Vec::new())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if exists(dir, "content") && (text.contains("baseurl") || exists(dir, "archetypes")) {
            return Some(name.to_string());
        }
    }
    if dir.join("config/_default").is_dir() {
        return Some(
            HUGO_NAMES
                .iter()
                .map(|n| format!("config/_default/{n}"))
                .find(|p| dir.join(p).is_file())
                .unwrap_or_else(|| "config/_default/".into()),
        );
    }
    None
}

/// Gatsby's `gatsby-source-filesystem` folders (`path: `${__dirname}/content/blog``) that
/// hold Markdown; else the folders Gatsby's starters use.
fn js_content_folders(dir: &Path, cfg: &str, fallback: &[&str]) -> Vec<String> {
    let text = read_text(&dir.join(cfg), &mut Vec::new()).unwrap_or_default();
    let re = regex::Regex::new(r#"path:\s*[`'"](?:\$\{__dirname\}/|\./)?([\w./-]+?)/?[`'"]"#)
        .expect("valid regex");
    let mut folders: Vec<String> = re
        .captures_iter(&text)
        .map(|c| c[1].to_string())
        .filter(|f| !f.contains("..") && !f.starts_with("src/images") && dir.join(f).is_dir())
        .collect();
    if folders.is_empty() {
        folders = fallback
            .iter()
            .filter(|f| exists(dir, f))
            .map(|f| f.to_string())
            .collect();
    }
    folders.dedup();
    folders.iter().flat_map(|f| md(f)).collect()
}

/// Layouts that print a notice when a front-matter flag is set: `{{ if .Params.affiliate }}`
/// (Hugo), `{% if page.affiliate %}` (Jekyll), `{% if affiliate %}` (Eleventy),
/// `{frontmatter.affiliate && …}` (Astro), followed by disclosure words.
fn scan_layouts(dir: &Path, folders: &[&str], s: &mut Site) {
    let flag = regex::Regex::new(
        r#"(?:\{\{-?\s*if\s+\.Params\.|\{%-?\s*if\s+(?:page\.)?|\{\s*(?:frontmatter|data|post)\.)([A-Za-z_][\w-]*)"#,
    )
    .expect("valid regex");
    let tags = regex::Regex::new(r"<[^>]*>|\{\{[^}]*\}\}|\{%[^%]*%\}").expect("valid regex");
    for folder in folders {
        for entry in ignore::WalkBuilder::new(dir.join(folder))
            .hidden(true)
            .max_depth(Some(6))
            .build()
            .flatten()
        {
            let path = entry.path();
            let is_layout = path
                .extension()
                .is_some_and(|e| ["html", "njk", "liquid", "astro"].iter().any(|x| e == *x));
            if !is_layout
                || path
                    .components()
                    .any(|c| c.as_os_str() == "shortcodes" || c.as_os_str() == "_shortcodes")
            {
                continue;
            }
            let Some(text) = read_text(path, &mut s.warnings) else {
                continue;
            };
            for c in flag.captures_iter(&text) {
                let key = c[1].to_string();
                let end = c.get(0).map_or(0, |m| m.end());
                let window: String = text[end..].chars().take(400).collect();
                let plain = tags.replace_all(&window, " ");
                let lower = plain.to_lowercase();
                let affiliate = [
                    "affiliate",
                    "commission",
                    "provision",
                    "partnerlink",
                    "werbelink",
                ]
                .iter()
                .any(|w| lower.contains(w));
                let paid = [
                    "werbung",
                    "anzeige",
                    "advertisement",
                    "sponsored",
                    "reklame",
                    "pubblicità",
                    "publicité",
                ]
                .iter()
                .any(|w| lower.contains(w));
                if !(affiliate || paid) || s.theme_labels.iter().any(|(k, _, _)| *k == key) {
                    continue;
                }
                let sentence = plain.split_whitespace().collect::<Vec<_>>().join(" ");
                let sentence = sentence
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .to_string();
                let sentence = sentence
                    .split_inclusive(['.', '!'])
                    .next()
                    .unwrap_or(&sentence)
                    .trim()
                    .to_string();
                let label = if paid {
                    "advertising"
                } else {
                    "affiliate-notice"
                };
                s.theme_labels.push((key, label.to_string(), sentence));
            }
        }
    }
}

/// A Hugo config file (TOML, YAML or JSON) as JSON, to read a few keys the same way.
fn read_config_value(path: &Path, warnings: &mut Vec<String>) -> Option<serde_json::Value> {
    let text = read_text(path, warnings)?;
    match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => serde_json::to_value(text.parse::<toml::Table>().ok()?).ok(),
        Some("json") => serde_json::from_str(&text).ok(),
        _ => {
            let wrapped = format!("---\n{text}\n---\n");
            let fm = crate::parse::front_matter::split(&wrapped)
                .front_matter?
                .ok()?;
            Some(serde_json::Value::Object(
                fm.fields
                    .iter()
                    .map(|(k, v)| (k.clone(), to_json(v)))
                    .collect(),
            ))
        }
    }
}

fn to_json(v: &crate::parse::Value) -> serde_json::Value {
    use crate::parse::Value;
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b, _) => (*b).into(),
        Value::Str(s, _) | Value::Number(s, _) => s.clone().into(),
        Value::List(l) => l.iter().map(to_json).collect(),
        Value::Map(m) => {
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

/// Hugo keys are case-insensitive.
fn key<'a>(v: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// The languages, default language and `ignoreFiles` of a Hugo site: from its config
/// file, and in a config folder also from `languages.toml` beside it.
fn read_hugo_settings(dir: &Path, cfg: &str, s: &mut Site) {
    let main = dir.join(cfg);
    // Not `is_file`: a FIFO named hugo.toml is read (and refused) with a warning.
    let config = if !main.is_dir() {
        read_config_value(&main, &mut s.warnings)
    } else {
        None
    };
    if let Some(c) = &config {
        s.default_language = key(c, "defaultContentLanguage")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        if let Some(langs) = key(c, "languages").and_then(|v| v.as_object()) {
            s.languages = langs.keys().cloned().collect();
        }
        for pattern in key(c, "ignoreFiles")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
        {
            match hugo_regex_as_glob(pattern) {
                Some(glob) => s.ignore_files.push(glob),
                None => s.ignore_files_unread.push(pattern.to_string()),
            }
        }
    }
    // config/_default/languages.toml: each top-level key is a language.
    if let Some(folder) = cfg
        .strip_prefix("config/_default")
        .map(|_| dir.join("config/_default"))
        && s.languages.is_empty()
        && let Some(langs) = [
            "languages.toml",
            "languages.yaml",
            "languages.yml",
            "languages.json",
        ]
        .iter()
        .map(|n| folder.join(n))
        .find(|p| p.is_file())
        .and_then(|p| read_config_value(&p, &mut s.warnings))
        && let Some(map) = langs.as_object()
    {
        s.languages = map.keys().cloned().collect();
    }
    s.languages.sort();
}

/// `notes.md` → `*notes.md*`, `\.bak$` → `*.bak`: literal text with `\.` and `.*`, matched
/// anywhere in a file name as Hugo's unanchored regex does. Anything else is `None`.
fn hugo_regex_as_glob(regex: &str) -> Option<String> {
    let (body, anchored_end) = match regex.strip_suffix('$') {
        Some(b) => (b, true),
        None => (regex, false),
    };
    let mut glob = String::from("*");
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                chars.next();
                glob.push('.');
            }
            '.' if chars.peek() == Some(&'*') => {
                chars.next();
                if !glob.ends_with('*') {
                    glob.push('*');
                }
            }
            // An unescaped `.` is any character; in a file name it is nearly always a dot.
            c if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') => glob.push(c),
            _ => return None,
        }
    }
    if !anchored_end && !glob.ends_with('*') {
        glob.push('*');
    }
    (glob.len() > 2).then_some(glob)
}

/// `eleventyConfig.addShortcode("affiliateLink", …)` names, classified by the code that follows.
fn scan_eleventy_shortcodes(config: &Path, s: &mut Site) {
    let Some(text) = read_text(config, &mut s.warnings) else {
        return;
    };
    let re =
        regex::Regex::new(r#"add(?:Paired)?(?:Nunjucks|Liquid)?Shortcode\(\s*["'`]([\w-]+)["'`]"#)
            .expect("valid regex");
    let starts: Vec<(usize, String)> = re
        .captures_iter(&text)
        .map(|c| (c.get(0).map_or(0, |m| m.start()), c[1].to_string()))
        .collect();
    for (i, (start, name)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |n| n.0);
        classify(name, &text[*start..end], s);
    }
}

fn scan_templates(dir: &Path, folders: &[&str], s: &mut Site) {
    let mut paths: Vec<PathBuf> = Vec::new();
    for folder in folders {
        let pattern = dir.join(folder).join("*").to_string_lossy().into_owned();
        let Ok(glob) = globset::Glob::new(&pattern) else {
            continue;
        };
        let matcher = glob.compile_matcher();
        let base = dir.join(folder.split('*').next().unwrap_or(folder));
        for entry in ignore::WalkBuilder::new(&base)
            .hidden(true)
            .max_depth(Some(4))
            .build()
            .flatten()
        {
            if entry.file_type().is_some_and(|t| t.is_file()) && matcher.is_match(entry.path()) {
                paths.push(entry.path().to_path_buf());
            }
        }
    }
    paths.sort();
    for p in paths {
        let name = p
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(text) = read_text(&p, &mut s.warnings) {
            classify(&name, &text, s);
        }
    }
}

/// Why a template renders an affiliate link, if it does: it builds a URL of a known
/// network or with a tag parameter, marks the link `rel="sponsored"`, or its name says
/// so. A template that links to whatever URL it is given (`href="{{ .Get "url" }}"`, a
/// `translation-note` linking to the page's own translation) is no sign by itself.
fn link_reason(name: &str, template: &str, by_name: bool) -> Option<String> {
    const HOSTS: &[&str] = &[
        "amazon.",
        "amzn.",
        "awin1.com",
        "shareasale.com",
        "anrdoezrs.net",
        "dpbolvw.net",
        "jdoqocy.com",
        "tkqlhce.com",
        "kqzyfj.com",
        "skimresources.com",
        "linksynergy.com",
        "prf.hn",
        "partner-ads",
        "digistore24",
        "tradedoubler",
        "webgains",
    ];
    const PARAMS: &[&str] = &[
        "tag=", "?aff", "&aff", "affid=", "aff_id=", "ref_id=", "asin",
    ];
    const NAMES: &[&str] = &[
        "affiliat",
        "amazon",
        "amzn",
        "partnerlink",
        "werbelink",
        "referral",
        "reflink",
    ];
    let t = template.to_lowercase();
    if let Some(h) = HOSTS.iter().find(|h| t.contains(*h)) {
        return Some(format!("its template builds a link to `{h}`"));
    }
    if let Some(p) = PARAMS.iter().find(|p| t.contains(*p)) {
        return Some(format!("its template adds `{p}` to the link"));
    }
    if regex::Regex::new(r#"rel\s*=\s*["'][^"']*sponsored"#)
        .expect("valid regex")
        .is_match(&t)
    {
        return Some("its template marks the link rel=\"sponsored\"".into());
    }
    if !by_name {
        return None;
    }
    let n = name.to_lowercase();
    let named = NAMES.iter().find(|w| n.contains(*w)).copied().or_else(|| {
        n.split(['-', '_'])
            .any(|part| part == "aff")
            .then_some("aff")
    });
    named.map(|w| format!("its name says so (`{w}`)"))
}

/// A template that renders an affiliate link is a link (see [`link_reason`]); one that
/// renders disclosure words is a disclosure. Names adlint knows already are left out.
fn classify(name: &str, template: &str, s: &mut Site) {
    let t = template.to_lowercase();
    let disclosure = [
        "werbung",
        "anzeige",
        "advertisement",
        "sponsored",
        "disclosure",
        "commission",
        "provision",
        "affiliate-links",
        "affiliate links",
        "reklame",
        "pubblicità",
        "publicité",
        "#ad",
    ]
    .iter()
    .any(|w| t.contains(w));
    // The name counts only for a template that renders a link and no disclosure: an
    // `affiliate-disclosure` shortcode names affiliates and prints a notice.
    let has_link = t.contains("href") || t.contains("<a ") || t.contains("link");
    let reason = link_reason(name, template, has_link && !disclosure);
    if let Some(reason) = reason {
        if !s.link_shortcodes.iter().any(|n| n == name) {
            s.link_shortcodes.push(name.to_string());
            s.link_reasons.push((name.to_string(), reason));
        }
    } else if disclosure && !s.disclosure_shortcodes.iter().any(|n| n == name) {
        s.disclosure_shortcodes.push(name.to_string());
    }
}

fn quoted(list: &[String]) -> String {
    list.iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The adlint.toml `adlint init` writes for a site, with a comment for every choice.
pub fn config_text(site: &Site) -> String {
    let mut t = format!(
        "# adlint configuration for this {} site (found {}), written by `adlint init`.\n\
         # Every key is explained in the README; edit freely.\n\n",
        site.generator.name(),
        site.evidence
    );
    t.push_str(
        "# Which laws to check posts against. \"auto\" judges each post by the market of its\n\
         # language; a post's front matter `jurisdiction:` or `lang:` wins.\n\
         jurisdictions = [\"auto\"]\n\n",
    );
    let html_note = if site.include.iter().any(|g| g.ends_with(".html")) {
        "\n# An .html file counts only when it starts with front matter (`---`): a post, not a\n# built page or a layout."
    } else {
        ""
    };
    t.push_str(&format!(
        "# Where {} keeps the posts.{html_note}\ninclude = [{}]\n\n",
        site.generator.name(),
        quoted(&site.include)
    ));
    let exclude = site.left_out();
    let ignored = if site.ignore_files.is_empty() {
        String::new()
    } else {
        format!(
            "\n# {} from Hugo's ignoreFiles: files Hugo does not render.",
            site.ignore_files.join(", ")
        )
    };
    let unread: String = site
        .ignore_files_unread
        .iter()
        .map(|r| {
            format!(
                "\n# Hugo ignores `{}` too; add it as a glob here if it matches posts.",
                r.replace(['\n', '\r'], " ")
            )
        })
        .collect();
    t.push_str(&format!(
        "# Build output, themes, templates and dependencies: not your posts.{ignored}{unread}\nexclude = [{}]\n",
        quoted(&exclude)
    ));
    if !site.languages.is_empty() {
        t.push_str(&format!(
            "\n# The site's languages: {}{}. A post's language comes from its folder\n\
             # (content/<lang>/, i18n/<lang>/) or its name (post.<lang>.md), else from its words.\n",
            site.languages.join(", "),
            site.default_language
                .as_ref()
                .map(|d| format!(" (default {d})"))
                .unwrap_or_default()
        ));
    }
    t.push_str(
        "\n# Shortcodes and components: rules/shortcodes.toml lists the usual names; these are\n\
         # the site's own, read from their templates.\n[site]\n",
    );
    t.push_str(&format!(
        "# Their templates print a disclosure: they count as a label where they stand.\ndisclosure_shortcodes = [{}]\n",
        quoted(&site.disclosure_shortcodes)
    ));
    let why: String = site
        .link_reasons
        .iter()
        .map(|(name, reason)| format!("\n#   {name}: {reason}"))
        .collect();
    t.push_str(&format!(
        "# Their templates print an affiliate or shop link: they count as affiliate links.{why}\nlink_shortcodes = [{}]\n",
        quoted(&site.link_shortcodes)
    ));
    for (key, label, text) in &site.theme_labels {
        t.push_str(&format!(
            "\n# A layout prints this notice when front matter sets `{key}`; adlint counts it as a\n\
             # label at the top of such a post. Check that it is visible, then keep it.\n\
             [[site.theme_labels]]\nwhen = \"{key} = true\"\nlabel = \"{label}\"\nwhere = \"top\"\ntext = \"{}\"\n",
            text.replace('\\', "").replace('"', "'")
        ));
    }
    t
}

/// The settings file for a site, parsed (used when a site has no adlint.toml yet).
pub fn config_file(site: &Site) -> crate::config::ConfigFile {
    crate::config::parse(Path::new("adlint.toml"), &config_text(site)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_ignore_files_as_globs() {
        assert_eq!(
            hugo_regex_as_glob("notes.md").as_deref(),
            Some("*notes.md*")
        );
        assert_eq!(hugo_regex_as_glob("\\.bak$").as_deref(), Some("*.bak"));
        assert_eq!(
            hugo_regex_as_glob(".*_draft\\.md$").as_deref(),
            Some("*_draft.md")
        );
        assert_eq!(hugo_regex_as_glob("^content/private/"), None);
        assert_eq!(hugo_regex_as_glob("(a|b)\\.md"), None);
        assert_eq!(hugo_regex_as_glob(""), None);
    }
}

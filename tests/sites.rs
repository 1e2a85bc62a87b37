//! Static site generators: `adlint init` recognises the site and writes its settings;
//! `adlint check` with no config checks the site's posts and leaves out the rest.

use std::path::Path;

mod common;
use common::{adlint, write};

const UNDISCLOSED: &str = "---\ntitle: Kamera\n---\nMeine Kamera: [Sony](https://www.amazon.de/dp/B0?tag=blog-21) ist super.\n";

#[test]
fn hugo_site_is_recognised_and_its_theme_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "hugo.toml",
        "baseURL = 'https://example.org/'\ndefaultContentLanguage = 'de'\n[languages.de]\nweight = 1\n[languages.en]\nweight = 2\n",
    );
    write(p, "content/de/posts/kamera.md", UNDISCLOSED);
    // The site's own disclosure shortcode is a label; its link shortcode is a link.
    write(
        p,
        "content/de/posts/mit-hinweis.md",
        "---\ntitle: Kamera\n---\n{{< mein-hinweis >}}\n\nIn Zusammenarbeit mit Sony habe ich die Kamera getestet.\n",
    );
    write(
        p,
        "content/de/posts/shop.md",
        "---\ntitle: Kamera\n---\n**Werbung**\n\nMeine Kamera: {{< shop asin=\"B0\" >}} (Werbelink) ist super.\n",
    );
    write(p, "themes/paper/README.md", UNDISCLOSED);
    write(p, "public/index.md", UNDISCLOSED);
    write(
        p,
        "layouts/shortcodes/mein-hinweis.html",
        "<p class=\"notice\">Werbung: Dieser Beitrag enthält Affiliate-Links.</p>\n",
    );
    write(
        p,
        "layouts/shortcodes/shop.html",
        "<a href=\"https://www.amazon.de/dp/{{ .Get \"asin\" }}?tag=blog-21\">Bei Amazon</a>\n",
    );

    let err = String::from_utf8_lossy(&adlint(&["check"], p).stderr).into_owned();
    assert!(
        err.contains("this looks like a Hugo site (hugo.toml)"),
        "{err}"
    );
    let o = adlint(&["check", "--format", "short", "-q"], p);
    let out = String::from_utf8_lossy(&o.stdout);
    // Its two AD102 (no "Werbung" at the start, no marker at the link) are all.
    assert!(
        out.lines()
            .all(|l| l.starts_with("content/de/posts/kamera.md:4:15: error[AD102]")),
        "only the undisclosed post; theme and public are left out: {out}"
    );
    assert!(
        out.starts_with("content/de/posts/kamera.md:4:15: error[AD102]"),
        "{out}"
    );

    assert_eq!(adlint(&["init"], p).status.code(), Some(0));
    let config = std::fs::read_to_string(p.join("adlint.toml")).unwrap();
    assert!(config.contains("Hugo site (found hugo.toml)"), "{config}");
    assert!(
        config.contains("include = [\"content/**/*.md\""),
        "{config}"
    );
    assert!(
        config.contains(
            "exclude = [\"themes\", \"public\", \"resources\", \"node_modules\", \"archetypes\"]"
        ),
        "{config}"
    );
    assert!(
        config.contains("languages: de, en (default de)"),
        "{config}"
    );
    assert!(
        config.contains("disclosure_shortcodes = [\"mein-hinweis\"]"),
        "{config}"
    );
    assert!(config.contains("link_shortcodes = [\"shop\"]"), "{config}");
    // With the written config, the same verdicts.
    let o = adlint(&["check", "--format", "short", "-q"], p);
    assert_eq!(String::from_utf8_lossy(&o.stdout), out);
}

#[test]
fn other_generators_are_recognised() {
    // (generator, files, a folder that must be left out)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (
            "Jekyll",
            &[
                ("_config.yml", "title: blog\n"),
                ("_posts/2026-01-01-a.md", UNDISCLOSED),
            ],
            "_site",
        ),
        (
            "Eleventy",
            &[
                ("eleventy.config.js", "export default function () {}\n"),
                ("posts/a.md", UNDISCLOSED),
            ],
            "_site",
        ),
        (
            "Astro",
            &[
                ("astro.config.mjs", "export default {}\n"),
                ("src/content/blog/a.mdx", UNDISCLOSED),
            ],
            "dist",
        ),
        (
            "Docusaurus",
            &[
                ("docusaurus.config.js", "module.exports = {}\n"),
                ("blog/a.md", UNDISCLOSED),
            ],
            "build",
        ),
        (
            "MkDocs",
            &[("mkdocs.yml", "site_name: x\n"), ("docs/a.md", UNDISCLOSED)],
            "site",
        ),
    ];
    for (name, files, excluded) in cases {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for (path, text) in *files {
            write(p, path, text);
        }
        write(p, &format!("{excluded}/copy.md"), UNDISCLOSED);
        let err = String::from_utf8_lossy(&adlint(&["check"], p).stderr).into_owned();
        assert!(
            err.contains(&format!("this looks like a {name} site")),
            "{name}: {err}"
        );
        let o = adlint(&["check", "--format", "short", "-q"], p);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(out.lines().count(), 1, "{name}: {out}");
        assert!(!out.contains(excluded), "{name}: {out}");
    }
}

fn copy_dir(from: &Path, to: &Path, skip: &str) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == skip {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target, "");
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Each example site under fixtures/sites has the adlint.toml that `adlint init` writes
/// for it; `adlint check` there gives the verdicts in the snapshot (drafts included).
#[test]
fn example_sites_init_and_check() {
    let mut all = String::new();
    for site in [
        "astro",
        "docusaurus",
        "eleventy",
        "gatsby",
        "hugo",
        "hugo-config-dir",
        "jekyll",
        "mkdocs",
        "nextjs",
    ] {
        let fixture = Path::new("fixtures/sites").join(site);
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture, dir.path(), "adlint.toml");
        assert_eq!(adlint(&["init"], dir.path()).status.code(), Some(0));
        let written = std::fs::read_to_string(dir.path().join("adlint.toml")).unwrap();
        let committed = std::fs::read_to_string(fixture.join("adlint.toml")).unwrap();
        assert_eq!(
            written, committed,
            "{site}: fixtures/sites/{site}/adlint.toml is not what `adlint init` writes"
        );
        let o = adlint(&["check", "--format", "short", "-q"], &fixture);
        all.push_str(&format!(
            "== {site}\n{}",
            String::from_utf8_lossy(&o.stdout)
        ));
        let o = adlint(
            &["check", "--format", "short", "-q", "--skip-drafts"],
            &fixture,
        );
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains("_drafts/"),
            "{site}: --skip-drafts"
        );
    }
    insta::assert_snapshot!("example_sites", all);
}

#[test]
fn theme_labels_count_only_when_declared() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "affiliate.md",
        "---\nlang: en\naffiliate: true\n---\nMy pick: [the lamp](https://www.amazon.com/dp/B0?tag=blog-20).\n",
    );
    write(
        p,
        "sponsored.md",
        "---\nlang: en\nsponsored: true\n---\nA weekend in the mountains with great food.\n",
    );
    let before = String::from_utf8_lossy(&adlint(&["check", "--format", "short", "-q"], p).stdout)
        .into_owned();
    assert!(
        before.contains("affiliate.md:5:10: error[AD102]"),
        "{before}"
    );
    assert!(
        before.contains("sponsored.md:3:12: error[AD401]"),
        "{before}"
    );
    let human = String::from_utf8_lossy(&adlint(&["check", "sponsored.md"], p).stdout).into_owned();
    assert!(
        human.contains("[[site.theme_labels]]"),
        "the help says how to declare a theme label: {human}"
    );
    write(
        p,
        "adlint.toml",
        "[[site.theme_labels]]\nwhen = \"affiliate = true\"\nlabel = \"affiliate-notice\"\nwhere = \"top\"\ntext = \"This post contains affiliate links.\"\n\n\
         [[site.theme_labels]]\nwhen = \"sponsored = true\"\nlabel = \"advertising\"\nwhere = \"top\"\n",
    );
    let after = adlint(&["check", "--format", "short", "-q"], p);
    assert_eq!(
        String::from_utf8_lossy(&after.stdout),
        "",
        "the theme's notices count"
    );
    assert_eq!(after.status.code(), Some(0));
    // A notice the theme prints at the end is late where the market wants the start.
    write(
        p,
        "adlint.toml",
        "jurisdictions = [\"uk\"]\n[[site.theme_labels]]\nwhen = \"sponsored = true\"\nlabel = \"advertising\"\nwhere = \"end\"\n",
    );
    let long = format!(
        "---\nlang: en\nsponsored: true\n---\n{}\n",
        "A weekend in the mountains with great food and long walks. ".repeat(8)
    );
    write(p, "sponsored.md", &long);
    let late = String::from_utf8_lossy(
        &adlint(&["check", "sponsored.md", "--format", "short", "-q"], p).stdout,
    )
    .into_owned();
    assert!(late.contains("AD201"), "{late}");
}

/// `.html` files are posts only when they start with front matter and are not layouts:
/// a built site's pages and a theme's templates are never checked.
#[test]
fn html_posts_need_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let link =
        "<p>My pick: <a href=\"https://www.amazon.com/dp/B0?tag=blog-20\">the lamp</a></p>\n";
    write(
        p,
        "posts/lamp.html",
        format!("---\ntitle: Lamp\n---\n{link}"),
    );
    write(
        p,
        "posts/built.html",
        format!("<!DOCTYPE html>\n<html><body>{link}</body></html>\n"),
    );
    write(p, "_site/lamp/index.html", format!("<html>{link}</html>\n"));
    write(
        p,
        "_layouts/post.html",
        format!("---\nlayout: default\n---\n{link}"),
    );
    write(
        p,
        "layouts/_default/single.html",
        format!("---\nx: 1\n---\n{link}"),
    );
    let o = adlint(&["check", "--format", "short", "-q", "--no-config"], p);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        out,
        "posts/lamp.html:4:13: error[AD102] affiliate link without a disclosure: this link carries an Amazon Associates affiliate tag [us]\n"
    );
    // The fix writes HTML into an HTML post.
    let o = adlint(&["check", "--fix", "-q", "--no-config"], p);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let fixed = std::fs::read_to_string(p.join("posts/lamp.html")).unwrap();
    assert!(
        fixed.starts_with("---\ntitle: Lamp\n---\n<p>This post contains affiliate links"),
        "{fixed}"
    );
}

/// A post dated after today is not published yet: a draft for `--skip-drafts`, checked
/// by default. Far-future (2999) and past (2001) dates keep this test true for ever.
#[test]
fn future_dated_posts_are_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let body = "Meine Kamera: [Sony](https://www.amazon.de/dp/B0?tag=blog-21) ist super.\n";
    write(p, "_config.yml", "title: blog\n");
    write(
        p,
        "_posts/2999-01-01-by-name.md",
        format!("---\ntitle: a\n---\n{body}"),
    );
    write(
        p,
        "_posts/2001-01-01-old.md",
        format!("---\ntitle: b\n---\n{body}"),
    );
    // The front matter wins over the file name.
    write(
        p,
        "_posts/2001-01-02-moved.md",
        format!("---\ndate: 2999-06-01 08:00:00 -0700\n---\n{body}"),
    );
    write(
        p,
        "_posts/2999-01-02-moved-back.md",
        format!("---\ndate: \"2001-06-01\"\n---\n{body}"),
    );
    write(
        p,
        "_posts/toml.md",
        format!("+++\ndate = 2999-01-01T08:00:00Z\n+++\n{body}"),
    );
    // An unreadable date is no date: not a draft, no error.
    write(p, "_posts/soon.md", format!("---\ndate: soon\n---\n{body}"));
    let files = |args: &[&str]| -> Vec<String> {
        let o = adlint(args, p);
        let mut f: Vec<String> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect();
        f.sort();
        f
    };
    assert_eq!(files(&["check", "--format", "short", "-q"]).len(), 6);
    assert_eq!(
        files(&["check", "--format", "short", "-q", "--skip-drafts"]),
        vec![
            "_posts/2001-01-01-old.md",
            "_posts/2999-01-02-moved-back.md",
            "_posts/soon.md"
        ]
    );
}

/// Hugo's `ignoreFiles` are files Hugo never renders (a newsletter's notes next to each
/// issue): adlint leaves them out too, and `adlint init` writes them into `exclude`.
#[test]
fn hugo_ignore_files_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "hugo.yaml",
        "baseURL: 'https://example.org/'\nignoreFiles: ['notes.md', '(draft|wip)\\.md$']\n",
    );
    write(p, "content/archive/12/index.md", UNDISCLOSED);
    write(p, "content/archive/12/notes.md", UNDISCLOSED);
    let o = adlint(&["check", "--format", "short", "-q"], p);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("content/archive/12/index.md:"), "{out}");
    assert_eq!(adlint(&["init"], p).status.code(), Some(0));
    let config = std::fs::read_to_string(p.join("adlint.toml")).unwrap();
    assert!(
        config.contains("\"archetypes\", \"*notes.md*\"]"),
        "{config}"
    );
    assert!(
        config.contains("Hugo ignores `(draft|wip)\\.md$` too"),
        "{config}"
    );
    let o = adlint(&["check", "--format", "short", "-q"], p);
    assert_eq!(String::from_utf8_lossy(&o.stdout), out);
}

/// A Blowfish-style Hugo site (issue 18, item 1): the config in config/_default/ with
/// languages.toml beside it, an archetype with `{{ .Date }}`, a theme's shortcodes.
#[test]
fn hugo_config_folder_archetypes_and_theme_shortcodes() {
    let site = Path::new("fixtures/sites/hugo-config-dir");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(site, dir.path(), "adlint.toml");
    let p = dir.path();
    // Without a config: recognised, and the archetype and theme are not checked.
    let o = adlint(&["check", "--format", "short"], p);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("this looks like a Hugo site (config/_default/hugo.toml)"),
        "{err}"
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("archetypes/"), "{out}");
    assert!(!out.contains("themes/"), "{out}");
    assert!(!out.contains("public/"), "{out}");
    assert!(out.contains("content/de/posts/wanderschuhe.md"), "{out}");
    // Nothing but the undisclosed `amazon` shortcode: the theme's translation note and
    // button link to pages, not shops.
    assert!(!out.contains("hiking-boots"), "{out}");
    assert!(!out.contains("rucksack"), "{out}");
    assert_eq!(adlint(&["init"], p).status.code(), Some(0));
    let config = std::fs::read_to_string(p.join("adlint.toml")).unwrap();
    assert!(
        config.contains("languages: de, en (default de)"),
        "{config}"
    );
    assert!(config.contains("\"archetypes\""), "{config}");
    assert!(
        config.contains("link_shortcodes = [\"amazon\"]"),
        "{config}"
    );
    assert!(
        config.contains("#   amazon: its template builds a link to `amazon.`"),
        "{config}"
    );
    assert!(!config.contains("translation-note\""), "{config}");
    assert!(!config.contains("\"button\""), "{config}");
    // Named on the command line, an archetype is still checked (named files always are);
    // walked, never: not even without a site, by the default globs.
    let bare = tempfile::tempdir().unwrap();
    copy_dir(&p.join("archetypes"), &bare.path().join("archetypes"), "");
    copy_dir(&p.join("content"), &bare.path().join("content"), "");
    let o = adlint(
        &["check", "--format", "short", "--no-config", "."],
        bare.path(),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("archetypes/"), "{out}");
}

/// Item 2: a template linking to whatever URL it is given is no affiliate link; one
/// that builds a shop URL, adds a tag, says rel="sponsored", or is named so, is.
#[test]
fn link_shortcodes_only_when_the_template_builds_an_affiliate_link() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "hugo.toml", "baseURL = 'https://example.org/'\n");
    write(p, "content/post.md", UNDISCLOSED);
    let sc = "layouts/shortcodes";
    write(
        p,
        &format!("{sc}/translation-note.html"),
        "<a href=\"{{ .Get \"url\" }}\">{{ .Get \"lang\" }}</a>\n",
    );
    write(
        p,
        &format!("{sc}/figure-link.html"),
        "<a href=\"{{ .Get \"href\" }}\"><img src=\"{{ .Get \"src\" }}\"></a>\n",
    );
    write(
        p,
        &format!("{sc}/sponsored.html"),
        "<a href=\"{{ .Get 0 }}\" rel=\"sponsored nofollow\">{{ .Get 1 }}</a>\n",
    );
    write(
        p,
        &format!("{sc}/tagged.html"),
        "<a href=\"https://shop.example/{{ .Get 0 }}?tag=me-21\">{{ .Get 1 }}</a>\n",
    );
    write(
        p,
        &format!("{sc}/affiliate-button.html"),
        "<a class=\"btn\" href=\"{{ .Get 0 }}\">{{ .Get 1 }}</a>\n",
    );
    write(
        p,
        &format!("{sc}/affiliate-disclosure.html"),
        "<p>This post contains affiliate links; I earn a commission.</p>\n",
    );
    assert_eq!(adlint(&["init"], p).status.code(), Some(0));
    let config = std::fs::read_to_string(p.join("adlint.toml")).unwrap();
    assert!(
        config.contains("link_shortcodes = [\"affiliate-button\", \"sponsored\", \"tagged\"]"),
        "{config}"
    );
    assert!(
        config.contains("disclosure_shortcodes = [\"affiliate-disclosure\"]"),
        "{config}"
    );
    assert!(
        config.contains("#   affiliate-button: its name says so (`affiliat`)"),
        "{config}"
    );
    assert!(
        config.contains("#   sponsored: its template marks the link rel=\"sponsored\""),
        "{config}"
    );
    assert!(
        config.contains("#   tagged: its template adds `tag=` to the link"),
        "{config}"
    );
}

/// Item 3: paths resolve against the folder of the config file, as Vale and
/// markdownlint-cli2 do.
#[test]
fn paths_resolve_against_the_config_folder() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "adlint.toml",
        "include = [\"content/**/*.md\"]\nexclude = [\"content/drafts\"]\n",
    );
    write(p, "content/posts/a.md", UNDISCLOSED);
    write(p, "content/drafts/b.md", UNDISCLOSED);
    for (cwd, arg, shown) in [
        ("content", "posts", "posts/a.md:"),
        ("content/posts", ".", "a.md:"),
        ("content", ".", "posts/a.md:"),
        ("", "content", "content/posts/a.md:"),
    ] {
        let o = adlint(&["check", "--format", "short", "-q", arg], &p.join(cwd));
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(1), "{cwd} {arg}: {out}");
        assert!(
            out.lines().all(|l| l.starts_with(shown)),
            "{cwd} {arg}: {out}"
        );
        assert!(
            !out.is_empty() && !out.contains("b.md"),
            "{cwd} {arg}: {out}"
        );
    }
}

/// Item 3 without an adlint.toml: inside a git repository, a site above the current
/// folder is found, and its posts keep the language of their folder.
#[test]
fn a_site_above_the_current_folder_is_found_in_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        Path::new("fixtures/sites/hugo-config-dir"),
        dir.path(),
        "adlint.toml",
    );
    let posts = dir.path().join("content/de/posts");
    // Outside a repository only the current folder is looked at: the default globs.
    let o = adlint(&["check", "--format", "short"], &posts);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("looks like a Hugo site"), "{err}");
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let o = adlint(&["check", "--format", "short"], &posts);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("this looks like a Hugo site (../../../config/_default/hugo.toml)"),
        "{err}"
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.starts_with("wanderschuhe.md:8:19: error[AD102]"),
        "{out}"
    );
    assert!(
        out.lines()
            .filter(|l| l.contains("AD102"))
            .all(|l| l.ends_with("[de]")),
        "{out}"
    );
}

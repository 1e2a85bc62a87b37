//! Embeds every file of `rules/` into the binary, so adding a language or a pack
//! needs no code change (docs/packs.md).

use std::fmt::Write as _;
use std::path::Path;

fn list(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    files.sort();
    files
}

fn table(out: &mut String, name: &str, dir: &str) {
    writeln!(out, "pub const {name}: &[(&str, &str)] = &[").unwrap();
    for file in list(dir) {
        writeln!(
            out,
            "    (\"{dir}/{file}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{dir}/{file}\"))),"
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
}

/// A top-level `key = "value"` of a pack (before its first table).
fn top_level(text: &str, key: &str) -> Option<String> {
    text.lines()
        .take_while(|l| !l.trim_start().starts_with('['))
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
        })
}

/// `adlint version`: the version and every built-in jurisdiction pack with the date its
/// sources were last checked (inherited through `extends`, as the loader does).
fn long_version(out: &mut String) {
    struct Pack {
        code: String,
        name: String,
        extends: Option<String>,
        last_checked: Option<String>,
    }
    let dir = "rules/jurisdictions";
    let packs: Vec<Pack> = list(dir)
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
            Pack {
                code: top_level(&text, "code").unwrap_or_else(|| file.replace(".toml", "")),
                name: top_level(&text, "name").unwrap_or_default(),
                extends: top_level(&text, "extends"),
                last_checked: top_level(&text, "last_checked"),
            }
        })
        .collect();
    let checked = |p: &Pack| -> String {
        let mut p = p;
        for _ in 0..8 {
            if let Some(d) = &p.last_checked {
                return d.clone();
            }
            match p
                .extends
                .as_ref()
                .and_then(|e| packs.iter().find(|q| &q.code == e))
            {
                Some(parent) => p = parent,
                None => break,
            }
        }
        "-".into()
    };
    let mut text = format!(
        "{}\nbuilt-in jurisdiction packs (sources last checked; not legal advice):\n",
        std::env::var("CARGO_PKG_VERSION").unwrap()
    );
    for p in &packs {
        writeln!(text, "  {:<4} {:<26} {}", p.code, p.name, checked(p)).unwrap();
    }
    let langs: Vec<String> = list("rules/languages")
        .iter()
        .map(|f| f.replace(".toml", ""))
        .collect();
    write!(text, "languages: {}", langs.join(", ")).unwrap();
    writeln!(out, "pub const LONG_VERSION: &str = {text:?};").unwrap();
}

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut out = String::new();
    table(&mut out, "LANGUAGES", "rules/languages");
    table(&mut out, "JURISDICTIONS", "rules/jurisdictions");
    table(&mut out, "MESSAGES", "rules/messages");
    long_version(&mut out);
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_rules.rs");
    std::fs::write(dest, out).unwrap();
}

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

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut out = String::new();
    table(&mut out, "LANGUAGES", "rules/languages");
    table(&mut out, "JURISDICTIONS", "rules/jurisdictions");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_rules.rs");
    std::fs::write(dest, out).unwrap();
}

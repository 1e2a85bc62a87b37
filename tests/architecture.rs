//! The stages point one way (issue 19, docs/architecture.md): this test reads the
//! `crate::…` paths of every library module under `src/` and fails on an import that
//! points back up the pipeline or closes a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The binary's modules (`main.rs` declares them): their `crate::` is the binary's.
const BINARY: &[&str] = &["main", "run", "lsp"];

/// Imports that would make a stage know a later one or a neighbour it must not.
const FORBIDDEN: &[(&str, &str, &str)] = &[
    (
        "parse",
        "discover",
        "parsing does not know how files were found",
    ),
    ("parse", "packs", "parsing does not know the packs"),
    ("packs", "parse", "the packs are data and parse no posts"),
    (
        "detect::triggers",
        "detect::vocabulary",
        "they share only `fold`",
    ),
];

/// Imports that still close a cycle, each with why: the cycle test leaves them out, and
/// fails when a new one appears or when one of these is gone (then strike it here).
const KNOWN_BACK_EDGES: &[(&str, &str, &str)] = &[(
    "diagnostic",
    "judge",
    "a finding looks up its rule's summary in the registry (issue 19, item 1)",
)];

/// Module name of a file: `src/parse/lang.rs` is `parse`, `src/detect/fold.rs` is
/// `detect::fold` (the detector's submodules are checked among themselves too).
fn module_of(rel: &Path) -> Option<(String, String)> {
    let parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let top = parts[0].clone();
    if top == "lib" || BINARY.contains(&top.as_str()) {
        return None;
    }
    let sub = match parts.get(1).map(String::as_str) {
        None | Some("mod") => top.clone(),
        Some(sub) => format!("{top}::{sub}"),
    };
    Some((top, sub))
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every module that names another: top-level modules by `crate::x`, and the
/// submodules of `detect` by `super::x` and `crate::detect::x` as well.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|f| module_of(f.strip_prefix(&src).unwrap()))
        .map(|(top, _)| top)
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some((top, sub)) = module_of(file.strip_prefix(&src).unwrap()) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines().map(str::trim) {
            if line.starts_with("//") {
                continue;
            }
            for path in paths_in(line) {
                let mut names = path.split("::");
                let (Some(first), second) = (names.next(), names.next()) else {
                    continue;
                };
                let target = match (first, second) {
                    ("crate", Some(m)) if modules.contains(m) => match (m, names.next()) {
                        ("detect", Some(s)) if is_module(&src, "detect", s) => {
                            format!("detect::{s}")
                        }
                        _ => m.to_string(),
                    },
                    ("super", Some(s)) if top == "detect" && is_module(&src, "detect", s) => {
                        format!("detect::{s}")
                    }
                    _ => continue,
                };
                // A top-level module points at top-level modules; a submodule of
                // `detect` at its siblings as well.
                let to_top = target.split("::").next().unwrap().to_string();
                if to_top != top {
                    edges.entry(top.clone()).or_default().insert(to_top);
                }
                if sub.contains("::") {
                    edges.entry(sub.clone()).or_default().insert(target);
                }
            }
        }
    }
    for (from, to) in edges.iter_mut() {
        to.remove(from);
    }
    edges
}

fn is_module(src: &Path, dir: &str, name: &str) -> bool {
    src.join(dir).join(format!("{name}.rs")).exists() || src.join(dir).join(name).is_dir()
}

/// The paths a line names, `crate::{a, b::c}` spelled out as `crate::a`, `crate::b::c`.
fn paths_in(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for root in ["crate::", "super::"] {
        let mut rest = line;
        while let Some(at) = rest.find(root) {
            let before = &rest[..at];
            rest = &rest[at + root.len()..];
            // `super::super::` and `x::super::` are not the paths looked for.
            if before.ends_with("::") || before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let head = root.trim_end_matches("::");
            if let Some(group) = rest.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or("");
                for item in group.split(',') {
                    let item = item.trim();
                    if !item.is_empty() {
                        out.push(format!("{head}::{item}"));
                    }
                }
            } else {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .unwrap_or(rest.len());
                out.push(format!("{head}::{}", &rest[..end]));
            }
        }
    }
    out
}

#[test]
fn the_stages_point_one_way() {
    let edges = imports();
    let mut wrong = Vec::new();
    for (from, to, why) in FORBIDDEN {
        if edges.get(*from).is_some_and(|t| t.contains(*to)) {
            wrong.push(format!("{from} imports {to}: {why}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn triggers_and_vocabulary_do_not_import_each_other() {
    let edges = imports();
    let imports = |a: &str, b: &str| edges.get(a).is_some_and(|t| t.contains(b));
    assert!(
        !(imports("detect::triggers", "detect::vocabulary")
            && imports("detect::vocabulary", "detect::triggers")),
        "{edges:#?}"
    );
    assert!(imports("detect::triggers", "detect::fold"), "{edges:#?}");
}

#[test]
fn no_import_cycles_but_the_known_ones() {
    let mut edges = imports();
    for (from, to, why) in KNOWN_BACK_EDGES {
        let gone = !edges.get_mut(*from).is_some_and(|t| t.remove(*to));
        assert!(
            !gone,
            "{from} no longer imports {to} ({why}): strike it from KNOWN_BACK_EDGES"
        );
    }
    // Two modules are in a cycle when each reaches the other.
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(m) = stack.pop() {
            for next in edges.get(&m).into_iter().flatten() {
                if next == to {
                    return true;
                }
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        false
    };
    let mut cycles = Vec::new();
    let modules: Vec<&String> = edges.keys().collect();
    for (i, a) in modules.iter().enumerate() {
        for b in &modules[i + 1..] {
            if reaches(a, b) && reaches(b, a) {
                cycles.push(format!("{a} <-> {b}"));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "import cycles:\n{}\n{edges:#?}",
        cycles.join("\n")
    );
}

/// `parse::Syntax::of` repeats `discover::is_html` rather than importing it (parsing
/// does not know how files were found): the two must agree.
#[test]
fn parse_and_discover_agree_on_html() {
    for name in [
        "a.html",
        "a.HTM",
        "a.htm",
        "a.md",
        "a.markdown",
        "html",
        "a.html.md",
        "a.xhtml",
    ] {
        let path = Path::new(name);
        assert_eq!(
            adlint::discover::is_html(path),
            adlint::parse::Syntax::of(path) == adlint::parse::Syntax::Html,
            "{name}"
        );
    }
}

//! The fast YAML reader against saphyr: whenever the fast path answers, its fields must
//! equal saphyr's, spans included. Checked on every fixture's front matter, on posts made
//! like the generated benchmark corpus, and on generated awkward YAML.

// Its ignored comparison over whole blogs prints what it found (`--nocapture`).
#![allow(clippy::print_stdout)]

use super::simple_yaml::parse_simple_yaml;
use super::{Format, Value, parse_yaml_saphyr, split};
use proptest::prelude::*;
use proptest::sample::select;
use std::path::Path;

/// Both readers on one text; Ok(true) when the fast path took it.
fn agree(text: &str, offset: usize) -> Result<bool, String> {
    let Some(fast) = parse_simple_yaml(text, offset) else {
        return Ok(false);
    };
    match parse_yaml_saphyr(text, offset) {
        Ok(slow) if slow == fast => Ok(true),
        Ok(slow) => Err(format!("{text:?}\nfast:   {fast:?}\nsaphyr: {slow:?}")),
        Err(e) => Err(format!(
            "{text:?}\nfast:   {fast:?}\nsaphyr refused it: {}",
            e.message
        )),
    }
}

/// The text between the fences of `source` and its offset, as `split` finds them.
fn block(source: &str) -> Option<(Format, &str, usize)> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let format = if source[start..].starts_with("---") {
        Format::Yaml
    } else {
        Format::Toml
    };
    let s = split(source);
    match s.front_matter? {
        Err(e) if !e.body_checked => return None,
        _ => {}
    }
    let content_start = start + source[start..].find('\n')? + 1;
    let head = &source[..s.body_start];
    let head = head.strip_suffix('\n').unwrap_or(head);
    let content_end = head.rfind('\n').map_or(0, |i| i + 1).max(content_start);
    Some((format, &source[content_start..content_end], content_start))
}

/// One post through `split`, and its YAML through both readers. Returns whether the fast
/// path took it.
fn check_post(source: &str) -> Result<bool, String> {
    let Some((format, text, offset)) = block(source) else {
        return Ok(false);
    };
    // Whatever the fence, the fast path must not misread the text.
    let hit = agree(text, offset)?;
    if format == Format::Toml {
        return Ok(false);
    }
    // And `split`, which now goes through the fast path, still answers as saphyr does.
    let via_split = split(source).front_matter.map(|r| r.map(|fm| fm.fields));
    let slow = parse_yaml_saphyr(text, offset);
    match (via_split, slow) {
        (Some(Ok(a)), Ok(b)) if a == b => Ok(hit),
        (Some(Err(_)), Err(_)) => Ok(hit),
        (a, b) => Err(format!(
            "split and saphyr differ on {source:?}:\n{:?}\n{:?}",
            a.map(|r| r.map_err(|e| e.message)),
            b.map_err(|e| e.message)
        )),
    }
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_fixture_front_matter_reads_as_saphyr_reads_it() {
    let mut files = Vec::new();
    files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut files,
    );
    assert!(files.len() > 300, "fixtures not found");
    let (mut yaml, mut hits) = (0, 0);
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        if block(&source).is_some_and(|(f, _, _)| f == Format::Yaml) {
            yaml += 1;
        }
        match check_post(&source) {
            Ok(hit) => hits += usize::from(hit),
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    // Without hits this test would compare nothing.
    assert!(yaml > 200 && hits > yaml / 2, "{hits} of {yaml}");
}

const SAMPLES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/front_matter_samples.txt"
));

/// Posts cut from the generated benchmark corpus, with their CRLF and BOM restored.
fn samples() -> Vec<String> {
    SAMPLES
        .split("%%%% ")
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (header, text) = s.split_once('\n').unwrap();
            let mut text = text.to_string();
            if header.contains(" crlf") {
                text = text.replace('\n', "\r\n");
            }
            if header.contains(" bom") {
                text.insert(0, '\u{feff}');
            }
            text
        })
        .collect()
}

/// A fixed sequence of numbers below `n`.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// 2,400 posts shaped like the benchmark corpus: each YAML field taken from a random
/// sample, some fields left out, 5% TOML, 2% CRLF, 1% with a BOM.
fn generated_posts() -> Vec<String> {
    let samples = samples();
    let yaml: Vec<&str> = samples
        .iter()
        .filter(|s| s.starts_with("---\n"))
        .map(String::as_str)
        .collect();
    let toml: Vec<&str> = samples
        .iter()
        .filter(|s| s.starts_with("+++"))
        .map(String::as_str)
        .collect();
    // Each sample's entries: a key line with the indented lines under it.
    let entries: Vec<Vec<String>> = yaml
        .iter()
        .map(|s| {
            let inner = s["---\n".len()..].split("\n---\n").next().unwrap();
            let mut out: Vec<String> = Vec::new();
            for line in inner.lines() {
                match out.last_mut() {
                    Some(last) if line.starts_with(' ') => {
                        last.push('\n');
                        last.push_str(line);
                    }
                    _ => out.push(line.to_string()),
                }
            }
            out
        })
        .collect();
    let keys = [
        "title",
        "date",
        "slug",
        "lang",
        "tags",
        "description",
        "author",
        "draft",
        "cover",
        "sponsored",
        "categories",
    ];
    let mut rng = Lcg(1);
    let mut posts = Vec::new();
    for _ in 0..2400 {
        if rng.below(100) < 5 {
            posts.push(toml[rng.below(toml.len())].to_string());
            continue;
        }
        let mut post = String::from("---\n");
        for key in keys {
            let with_key: Vec<&String> = entries
                .iter()
                .flatten()
                .filter(|e| e.starts_with(&format!("{key}:")))
                .collect();
            let optional = matches!(key, "sponsored" | "categories" | "draft");
            if with_key.is_empty() || (optional && rng.below(10) < 7) {
                continue;
            }
            post.push_str(with_key[rng.below(with_key.len())]);
            post.push('\n');
        }
        post.push_str("---\n\nBody.\n");
        if rng.below(100) < 2 {
            post = post.replace('\n', "\r\n");
        }
        if rng.below(100) < 1 {
            post.insert(0, '\u{feff}');
        }
        posts.push(post);
    }
    posts
}

#[test]
fn generated_posts_read_as_saphyr_reads_them() {
    let samples = samples();
    assert!(samples.len() >= 30);
    let mut hits = 0;
    let posts: Vec<String> = samples.into_iter().chain(generated_posts()).collect();
    for post in &posts {
        hits += usize::from(check_post(post).unwrap_or_else(|e| panic!("{e}")));
        // TOML front matter is not for the YAML fast path.
        if let Some((format, text, offset)) = block(post)
            && format == Format::Toml
        {
            assert!(parse_simple_yaml(text, offset).is_none(), "{post:?}");
        }
    }
    assert!(hits * 10 > posts.len() * 9, "{hits} of {}", posts.len());
}

// ---------- generated YAML: the accepted forms mixed with awkward ones ----------

/// Awkward values beyond `WORDS` (which `word` draws from too).
const ATOMS: &[&str] = &[
    "plain words",
    "on",
    "fAlse",
    "\"x\" # c",
    "\"x\"# c",
    "\"x\" y",
    "'x' # c",
    "''''",
    "'x'",
    "\"\"",
    "\"a\\\"b\"",
    "\"a\\nb\"",
    "\"a'b\"",
    "'a\"b'",
    "'a\\b'",
    "http://x.y/z?a=b#c",
    "/images/2019/x/cover.jpg",
    "[a, b]",
    "[a]b",
    "[]",
    "[ ]",
    "[a,]",
    "[a,,b]",
    "[a, [b]]",
    "[a] # c",
    "[a]#c",
    "[\"a\", 'b']",
    "[1, true, null, ~, 0x1F, 1e3, -1, -x, .5]",
    "[a b, c]",
    "[a:b]",
    "[a, b",
    "{a: 1}",
    "&a b",
    "!tag x",
    "!!str 1",
    "> x",
    "%x",
    "@x",
    "`x`",
    "---",
    "...",
    "a\tb",
    "a\u{85}b",
    "a\u{2028}b",
    "a\u{feff}b",
    "\u{feff}a",
    "a\rb",
];

/// Plain scalars the fast path takes, each typed or cut in its own way by saphyr.
const WORDS: [&[&str]; 4] = [
    &[
        "yes", "no", "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false",
        "False", "FALSE",
    ],
    &[
        "0x1F",
        "0x-1",
        "0xg",
        "0o17",
        "0o8",
        "0b101",
        "+12",
        "+-1",
        "-12",
        "-0",
        "0",
        "007",
        "1_000",
        "1e3",
        "1E3",
        "1.",
        "1.0",
        "3.14e-2",
        ".5",
        "-.5",
        "+.5",
        ".inf",
        "-.inf",
        "+.inf",
        ".NaN",
        ".nan",
        "nan",
        "inf",
        "infinity",
        "1e400",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
    ],
    &[
        "12:30",
        "2019-03-18T08:22:00+01:00",
        "2019-03-18",
        "a #b",
        "a#b",
        "C#",
        "a  #b",
        "it's",
        "say \"hi\"",
        "a:b",
        "a :b",
        "a,b",
        "a]b",
        "a}",
        "x [y]",
        "ünïcödé ✓",
        "日本語",
        "emoji 🎉",
        "a  b",
        "a\u{a0}b",
        "/a/b.jpg",
    ],
    // At the edge of the subset: each is refused or cut by one rule of the fast path.
    &[
        "- x", "-", "-x", "-1", "-.5", "-.", "--", "--- x", "a:", "a: b", "a :", "a : b", ":x",
        ": x", "?x", "? x", "a # b:", "a: #b", "#x", "[a", "[a]", "]a", "{a", "}a", ",a", "&a",
        "*a", "!a", "|", "|a", ">", ">a", "%a", "@a", "`a", "'a", "\"a", "a'", "a\"", "'a'b",
        "\"a\"b", "'a' #c", "\"a\"#c", "''", "'it''s'", "a\\b", "x y: z",
    ],
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(WORDS[0]).prop_map(str::to_string),
        3 => select(WORDS[1]).prop_map(str::to_string),
        3 => select(WORDS[2]).prop_map(str::to_string),
        2 => select(WORDS[3]).prop_map(str::to_string),
        1 => select(ATOMS).prop_map(str::to_string),
        3 => "[a-zA-Z0-9äé€][a-zA-Z0-9äé€ ]{0,9}",
        1 => "[a-zA-Z0-9 #:'\",\\[\\]{}&*!|>%@`?.+~äé€\\\\-]{0,12}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => word(),
        2 => word().prop_map(|w| format!("\"{w}\"")),
        2 => word().prop_map(|w| format!("'{w}'")),
        1 => Just(String::new()),
    ]
}

fn trailing() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        6 => Just(""),
        1 => select(&[" ", "   ", " # c", "  #c ", "# c", "\t", " \t# c"][..]),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z][a-z0-9_-]{0,8}",
        1 => select(&[
            "title", "tags", "draft", "1", "01", "0x1F", "1e3", "1.0", "true", "True", "null",
            "yes", "a-b", "_x", "A1", "-a", "a b", "\"q\"", "'q'", "?x", "~", "ü", ".inf",
        ][..])
        .prop_map(str::to_string),
    ]
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        12 => Just(": "),
        1 => select(&[":  ", ":", " : ", ":\t"][..]),
    ]
}

/// A list under `key:`; items usually share one indentation.
fn list() -> impl Strategy<Value = String> {
    let item = (
        value(),
        trailing(),
        prop_oneof![12 => Just(None), 1 => select(&["", " ", "   ", "    "][..]).prop_map(Some)],
        select(&[" ", " ", " ", " ", " ", "  ", ""][..]),
    );
    (
        key(),
        select(&[":", ":", ": ", ": # c"][..]),
        select(&["", "  ", "  ", "    ", " "][..]),
        proptest::collection::vec(item, 0..5),
    )
        .prop_map(|(key, colon, indent, items)| {
            let mut out = format!("{key}{colon}");
            for (value, trailing, odd_indent, dash_gap) in items {
                let indent = odd_indent.unwrap_or(indent);
                out.push_str(&format!("\n{indent}-{dash_gap}{value}{trailing}"));
            }
            out
        })
}

/// `key: [a, b]`, with odd items, commas and brackets now and then.
fn flow() -> impl Strategy<Value = String> {
    let item = prop_oneof![
        4 => "[a-z0-9]{1,6}",
        3 => word(),
        1 => value(),
        1 => select(&["[]", "[b]", "{b: c}", "", " "][..]).prop_map(str::to_string),
    ];
    (
        key(),
        proptest::collection::vec((item, select(&[", ", ", ", ",", " , ", ",  "][..])), 0..4),
        select(
            &[
                ("[", "]"),
                ("[", "]"),
                ("[ ", " ]"),
                ("[", ",]"),
                ("[", "]]"),
                ("[", ""),
            ][..],
        ),
        trailing(),
    )
        .prop_map(|(key, items, (open, close), trailing)| {
            let mut inner = String::new();
            for (i, (item, comma)) in items.iter().enumerate() {
                if i > 0 {
                    inner.push_str(comma);
                }
                inner.push_str(item);
            }
            format!("{key}: {open}{inner}{close}{trailing}")
        })
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        14 => (key(), separator(), value(), trailing())
            .prop_map(|(k, s, v, t)| format!("{k}{s}{v}{t}")),
        3 => list(),
        2 => flow(),
        1 => select(&[
            "", "", "# comment", "  # indented comment", "   ", "---", "--- x", "...", "  continued",
            "- stray", "\t", "key: |", "  block", "%YAML 1.2", "a: &x 1", "b: *x", "\u{feff}",
            "k: v\r", "nested:\n  a: b", "k: v\n  more", "k: \"two\n  lines\"",
        ][..])
        .prop_map(str::to_string),
    ]
}

/// Lines mostly of the accepted forms, still with awkward typed words and quoting.
fn tame_line() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        1 => select(WORDS[0]).prop_map(str::to_string),
        1 => select(WORDS[1]).prop_map(str::to_string),
        1 => select(WORDS[2]).prop_map(str::to_string),
        1 => select(WORDS[3]).prop_map(str::to_string),
        1 => "[a-zA-Z0-9äé€][a-zA-Z0-9äé€ ]{0,9}",
    ];
    let value = prop_oneof![
        4 => word.clone(),
        1 => word.clone().prop_map(|w| format!("\"{w}\"")),
        1 => word.clone().prop_map(|w| format!("'{w}'")),
    ];
    let key = "[a-z][a-z0-9_-]{0,8}";
    prop_oneof![
        6 => (key, value.clone(), trailing()).prop_map(|(k, v, t)| format!("{k}: {v}{t}")),
        1 => Just("empty:".to_string()),
        1 => Just("# comment".to_string()),
        2 => (key, select(&["", "  ", "    "][..]), proptest::collection::vec(value, 1..4))
            .prop_map(|(k, indent, items)| {
                let items: Vec<String> = items.iter().map(|v| format!("{indent}- {v}")).collect();
                format!("{k}:\n{}", items.join("\n"))
            }),
        1 => (key, proptest::collection::vec(word, 0..4))
            .prop_map(|(k, items)| format!("{k}: [{}]", items.join(", "))),
    ]
}

fn document() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(prop_oneof![3 => tame_line(), 2 => line()], 0..8),
        select(&["\n", "\n", ""][..]),
        select(&["\n", "\n", "\n", "\r\n"][..]),
    )
        .prop_map(|(lines, end, newline)| (lines.join("\n") + end).replace('\n', newline))
}

/// 2,000 cases from a fixed seed, so that a run is repeatable; set `PROPTEST_RNG_SEED`
/// (and `PROPTEST_CASES`) to search elsewhere.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 2000;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0xfa57);
    }
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_yaml_reads_as_saphyr_reads_it(text in document()) {
        if let Err(e) = agree(&text, 7) {
            return Err(TestCaseError::fail(e));
        }
    }
}

/// The generated documents must reach the fast path often, with every kind of value, or
/// the property above would check little. (2,000 cases, as `cargo test` runs it.)
#[test]
fn generated_yaml_reaches_the_fast_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    // The same seed as the property, so these are the cases it checks.
    let mut runner = TestRunner::new(config());
    let strategy = document();
    let (mut hits, mut kinds) = (0, [0usize; 5]);
    for _ in 0..2000 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        let Some(fields) = parse_simple_yaml(&text, 0) else {
            continue;
        };
        hits += 1;
        for (_, v) in fields {
            let kind = match v {
                Value::Null => 0,
                Value::Bool(..) => 1,
                Value::Number(..) => 2,
                Value::Str(..) => 3,
                Value::List(items) if !items.is_empty() => 4,
                _ => continue,
            };
            kinds[kind] += 1;
        }
    }
    println!("{hits} of 2000 taken; null, bool, number, string, list: {kinds:?}");
    assert!(hits > 600, "{hits} of 2000");
    assert!(kinds.iter().all(|&k| k > 50), "{kinds:?}");
}

/// Not a test: `ADLINT_FM_CORPUS=/a:/b cargo test --release --lib front_matter_corpus --
/// --ignored --nocapture` compares both readers on every post of those folders and prints
/// the hit rate and the time each reader takes.
#[test]
#[ignore]
fn front_matter_corpus() {
    use std::time::Instant;
    let dirs = std::env::var("ADLINT_FM_CORPUS").expect("set ADLINT_FM_CORPUS");
    for dir in dirs.split(':') {
        let mut files = Vec::new();
        files_under(Path::new(dir), &mut files);
        let sources: Vec<String> = files
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        let mut blocks = Vec::new();
        let mut hits = 0;
        for source in &sources {
            hits += usize::from(check_post(source).unwrap_or_else(|e| panic!("{e}")));
            if let Some((Format::Yaml, text, offset)) = block(source) {
                blocks.push((text, offset));
            }
        }
        let hit_blocks: Vec<_> = blocks
            .iter()
            .filter(|(t, o)| parse_simple_yaml(t, *o).is_some())
            .collect();
        // The best of five rounds, to keep the other load on the machine out of it.
        let time = |f: &dyn Fn() -> usize| {
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(f());
                    t.elapsed()
                })
                .min()
                .unwrap()
        };
        let saphyr_all = time(&|| {
            blocks
                .iter()
                .map(|(t, o)| parse_yaml_saphyr(t, *o).map_or(0, |f| f.len()))
                .sum()
        });
        let now_all = time(&|| {
            blocks
                .iter()
                .map(|(t, o)| super::parse_yaml(t, *o).map_or(0, |f| f.len()))
                .sum()
        });
        let saphyr_hits = time(&|| {
            hit_blocks
                .iter()
                .map(|(t, o)| parse_yaml_saphyr(t, *o).map_or(0, |f| f.len()))
                .sum()
        });
        let fast_hits = time(&|| {
            hit_blocks
                .iter()
                .map(|(t, o)| parse_simple_yaml(t, *o).map_or(0, |f| f.len()))
                .sum()
        });
        println!(
            "{dir}: {} files, {} YAML front matters, fast path {hits} ({:.1}%)\n  \
             all YAML: saphyr {saphyr_all:?}, now {now_all:?} ({:.1}x)\n  \
             fast-path posts only: saphyr {saphyr_hits:?}, fast {fast_hits:?} ({:.1}x)",
            sources.len(),
            blocks.len(),
            100.0 * hits as f64 / blocks.len().max(1) as f64,
            saphyr_all.as_secs_f64() / now_all.as_secs_f64(),
            saphyr_hits.as_secs_f64() / fast_hits.as_secs_f64(),
        );
    }
}

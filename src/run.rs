//! `adlint check`: which files, checked in parallel, printed in a stable order, with
//! fixes, baselines, reports and statistics. Part of the binary, since it prints.

use adlint::baseline::{self, Baseline, Entry};
use adlint::config::{self, Settings};
use adlint::discover::Found;
use adlint::report::{self, FileOutcome, Format, Summary};
use adlint::{Engine, git};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// rustc-style diagnostics
    Human,
    /// one line per finding
    Short,
    /// one JSON object (a stable format, version 1)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow annotations
    Github,
    /// GitLab Code Quality report
    Gitlab,
    /// JUnit XML, one test case per file
    Junit,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--shard K/N`: the K-th of N stable shares of the files.
#[derive(Clone, Copy, Debug)]
pub struct Shard {
    index: u64,
    count: u64,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let (k, n) = s.split_once('/').ok_or("expected K/N, e.g. 1/4")?;
    let index: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("`{k}` is not a number"))?;
    let count: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a number"))?;
    if count == 0 || index == 0 || index > count {
        return Err(format!("shard {index}/{count}: K must be between 1 and N"));
    }
    Ok(Shard { index, count })
}

impl Shard {
    /// A file's shard depends only on its path, so it never moves between runs.
    fn contains(&self, path: &Path) -> bool {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in path.to_string_lossy().replace('\\', "/").bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash % self.count == self.index - 1
    }
}

/// Each flag's help is one line (`-h`); `--help` adds an example. No help names a file
/// of adlint's own repository: users do not have it.
#[derive(Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: the current folder)
    ///
    /// Folders are walked for the config's `include` (Markdown, and .html posts that open
    /// with front matter); named files are always checked. Example: adlint check content/posts
    paths: Vec<PathBuf>,
    /// Markets to judge by, comma-separated; `auto` judges each post by its language
    ///
    /// Example: adlint check -j de,at content
    #[arg(short, long, value_delimiter = ',', value_name = "CODES")]
    jurisdiction: Option<Vec<String>>,
    /// Output format
    ///
    /// Example: adlint check --format sarif --output adlint.sarif
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Write the report to FILE; the terminal still gets the human output
    ///
    /// Example: adlint check --format junit --output adlint-junit.xml
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Config file (default: adlint.toml or .adlint.toml, searched upwards)
    ///
    /// Paths in it resolve against its folder. Example: adlint check --config ci/adlint.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any config file
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// When to use colour
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// Print only findings, no summary line
    #[arg(short, long)]
    quiet: bool,
    /// Worker threads (default: one per core)
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Apply the safe fixes, then report what is left
    ///
    /// Safe: a marker after a recognised affiliate link, the market's label on a post that
    /// declares itself paid. Example: adlint check --fix content
    #[arg(long, conflicts_with_all = ["diff", "staged"])]
    fix: bool,
    /// Print the diff of what --fix would change, and change nothing
    ///
    /// Example: adlint check --diff --unsafe-fixes content/posts/review.md
    #[arg(long)]
    diff: bool,
    /// With --fix or --diff, take the suggested fixes too; read them first
    ///
    /// A suggested fix asserts what the post may not say (that it is an ad). Example:
    /// adlint check --diff --unsafe-fixes post.md
    #[arg(long)]
    unsafe_fixes: bool,
    /// Check the staged content of staged posts (for a pre-commit hook)
    ///
    /// Example: adlint check --staged (what `adlint hook install` runs)
    #[arg(long, conflicts_with_all = ["since", "files_from"])]
    staged: bool,
    /// Check the posts changed since a git revision (for pull requests)
    ///
    /// Needs the revision in the clone (actions/checkout: fetch-depth: 0). Example:
    /// adlint check --since origin/main --format github
    #[arg(long, value_name = "REV", conflicts_with = "files_from")]
    since: Option<String>,
    /// Check the files listed in FILE, one per line (`-` for standard input)
    ///
    /// Example: git diff --name-only main | adlint check --files-from -
    #[arg(long, value_name = "FILE")]
    files_from: Option<PathBuf>,
    /// Check only the K-th of N stable shares of the files (CI matrix jobs)
    ///
    /// Example: adlint check --shard 2/4 content
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<Shard>,
    /// Report only findings that are not in this baseline file
    ///
    /// Example: adlint check --baseline adlint-baseline.json content
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record today's findings in a baseline file (exit 0 once written)
    ///
    /// Example: adlint check --write-baseline adlint-baseline.json content
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Let --output and --write-baseline replace a post, which they refuse otherwise
    ///
    /// A post: a file this run checks, or a .md, .mdx, .markdown or .html file in a
    /// checked folder.
    #[arg(long)]
    force: bool,
    /// Report only these codes or prefixes, comma-separated
    ///
    /// Example: adlint check --select AD1,AD201
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    select: Vec<String>,
    /// Never report these codes or prefixes, comma-separated
    ///
    /// Example: adlint check --ignore AD303
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    ignore: Vec<String>,
    /// Language of messages: post (the post's own, the default), en, or a code (de, nl …)
    ///
    /// `post` writes a German post's findings in German, an English post's in English.
    /// The law is cited in its own language. Example: adlint check --message-language en
    #[arg(long, value_name = "LANG", value_parser = adlint::messages::MessageLanguage::parse)]
    message_language: Option<adlint::messages::MessageLanguage>,
    /// Exit 0 even when something was found (2 still means the run failed)
    #[arg(long)]
    exit_zero: bool,
    /// Print counts per code and jurisdiction
    #[arg(long)]
    statistics: bool,
    /// Apply the config's `exclude` to files named on the command line too
    ///
    /// For hooks that pass file names. Example: adlint check --force-exclude $FILES
    #[arg(long)]
    force_exclude: bool,
    /// Leave out drafts; they are checked by default (adlint is a pre-publish check)
    ///
    /// Drafts: `draft: true`, `published: false`, Jekyll's `_drafts/`, a `date:` or file
    /// name date after today. Example: adlint check --skip-drafts content
    #[arg(long)]
    skip_drafts: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FixMode {
    Off,
    Apply,
    Diff,
}

/// What checking one file produced.
struct FileResult {
    outcome: FileOutcome,
    /// The outcome as JSON items, rendered by the thread that checked the file.
    json: Option<report::json::Items>,
    fixed: usize,
    /// Suggested fixes that --fix/--diff left out (no --unsafe-fixes).
    suggested: usize,
    diff: String,
    /// Baseline entries of this file that matched nothing.
    stale: Vec<Entry>,
    /// Entries for `--write-baseline`.
    record: Vec<Entry>,
    /// A draft left out by `--skip-drafts`.
    skipped: bool,
}

/// Shared, read-only state of a run.
struct Context<'a> {
    engine: &'a Engine,
    settings: &'a Settings,
    terminal: Format,
    color: bool,
    fix_mode: FixMode,
    unsafe_fixes: bool,
    staged: bool,
    skip_drafts: bool,
    baseline: Option<HashMap<String, Vec<Entry>>>,
    /// `--write-baseline`: keep every finding's baseline entry (only then: they would
    /// grow with the corpus).
    write_baseline: bool,
    /// The run writes a JSON report.
    json: bool,
}

fn read_source(path: &Path, staged: bool) -> Result<String, String> {
    if staged {
        let bytes = git::staged_content(path).map_err(|e| e.to_string())?;
        return adlint::load::decode(bytes).map_err(|e| e.to_string());
    }
    adlint::load::load(path).map_err(|e| e.to_string())
}

fn check_file(ctx: &Context, path: &Path) -> FileResult {
    let shown = path.display().to_string();
    let done = |outcome| FileResult {
        outcome,
        json: None,
        fixed: 0,
        suggested: 0,
        diff: String::new(),
        stale: vec![],
        record: vec![],
        skipped: false,
    };
    let source = match read_source(path, ctx.staged) {
        Ok(s) => s,
        Err(e) => return done(report::failed(&shown, e, ctx.terminal, ctx.color)),
    };
    let mut checked = adlint::check(ctx.engine, &source, path, ctx.settings);
    if ctx.skip_drafts && checked.draft {
        return FileResult {
            skipped: true,
            ..done(FileOutcome::default())
        };
    }
    let mut fixed_count = 0;
    let mut suggested = 0;
    let mut diff = String::new();
    // The text reported on: the source, or the fixed text once --fix wrote it.
    let mut fixed_text: Option<String> = None;
    let mut write_error = None;
    if ctx.fix_mode != FixMode::Off {
        let (fixed, rechecked) = adlint::fix::apply_until_stable(
            ctx.engine,
            &source,
            path,
            ctx.settings,
            checked.clone(),
            ctx.unsafe_fixes,
        );
        if !ctx.unsafe_fixes {
            // The same edit offered by several findings or markets is one fix.
            let mut edits: Vec<&Vec<adlint::diagnostic::Edit>> = Vec::new();
            for f in rechecked.findings.iter().filter_map(|f| f.fix.as_ref()) {
                if f.applicability == adlint::diagnostic::Applicability::Suggested
                    && !edits.contains(&&f.edits)
                {
                    edits.push(&f.edits);
                }
            }
            suggested = edits.len();
        }
        if !fixed.applied.is_empty() {
            fixed_count = fixed.applied.len();
            if ctx.fix_mode == FixMode::Diff {
                diff = adlint::fix::diff(&shown, &source, &fixed.text);
            } else {
                match adlint::fix::write_atomically(path, &source, &fixed.text) {
                    Ok(()) => {
                        // Report what is left in the fixed text.
                        checked = rechecked;
                        fixed_text = Some(fixed.text);
                    }
                    Err(e) => {
                        fixed_count = 0;
                        write_error = Some(e.to_string());
                    }
                }
            }
        }
    }
    let key = shown.replace('\\', "/");
    let record = if ctx.write_baseline {
        checked
            .findings
            .iter()
            .map(|f| baseline::entry(&key, f))
            .collect()
    } else {
        vec![]
    };
    let mut stale = vec![];
    if let Some(known) = &ctx.baseline {
        let entries = known.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        let (new, old, unmatched) =
            baseline::filter(&key, std::mem::take(&mut checked.findings), entries);
        checked.findings = new;
        checked
            .suppressed
            .extend(old.into_iter().map(|finding| adlint::Suppressed {
                finding,
                reason: Some("in the baseline".into()),
            }));
        stale = unmatched;
    }
    let text = fixed_text.as_deref().unwrap_or(&source);
    let mut outcome = report::outcome(&shown, text, &checked, ctx.terminal, ctx.color);
    if let Some(e) = write_error {
        let p = report::failed(&shown, e, ctx.terminal, ctx.color);
        outcome.rendered.push_str(&p.rendered);
        outcome.problems.extend(p.problems);
        outcome.fix_not_written = true;
    }
    // An error here is left for the writer, which renders the items again and reports it.
    let json = if ctx.json {
        report::json::Items::of(&outcome).ok()
    } else {
        None
    };
    FileResult {
        outcome,
        json,
        fixed: fixed_count,
        suggested,
        diff,
        stale,
        record,
        skipped: false,
    }
}

/// The most worker threads `--threads` starts: more only cost memory and start-up
/// (`--threads 10000` took 111 s to check one file).
const MAX_THREADS: usize = 256;

/// `--threads N`, capped at [`MAX_THREADS`] and, when the files are known up front (not
/// while a folder is walked), at their number: a thread with no file does nothing.
fn worker_threads(requested: usize, files: Option<usize>) -> usize {
    requested
        .min(MAX_THREADS)
        .min(files.unwrap_or(usize::MAX))
        .max(1)
}

/// How many files are checked between two writes of output: keeps memory bounded and
/// output flowing, while the order stays that of the sorted paths.
const CHUNK: usize = 512;

fn read_list(from: &Path) -> Result<Vec<PathBuf>, String> {
    use adlint::load::{LIST_LIMIT, LoadError, read_input, read_stream};
    let text = if from == Path::new("-") {
        // Standard input may be a pipe: allowed, but bounded like a file.
        read_stream(std::io::stdin().lock(), LIST_LIMIT)
            .map_err(|e| format!("--files-from -: cannot read standard input: {e}"))?
    } else {
        read_input(from, LIST_LIMIT).map_err(|e| {
            let hint = match e {
                LoadError::NotRegular(_) => " (to pipe a list, use `--files-from -`)",
                _ => "",
            };
            format!("--files-from {}: {e}{hint}", from.display())
        })?
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect())
}

/// The site the current folder is in: this folder, or, inside a git repository, a
/// folder above it up to the repository's top (`cd content && adlint check posts` in a
/// Hugo site is still checked as the Hugo site). Outside a repository, only this folder.
fn find_site() -> Option<(PathBuf, adlint::site::Site)> {
    if let Some(s) = adlint::site::detect(Path::new(".")) {
        return Some((PathBuf::from("."), s));
    }
    let cwd = std::env::current_dir().ok()?;
    let top = cwd.ancestors().find(|d| d.join(".git").exists())?;
    let mut up = PathBuf::new();
    // Never above the repository's top.
    for dir in cwd.ancestors().skip(1).take_while(|d| d.starts_with(top)) {
        up.push("..");
        if let Some(s) = adlint::site::detect(dir) {
            return Some((up, s));
        }
    }
    None
}

/// Where a run's files come from.
enum Source {
    /// Known up front, sorted, with the paths that could not be walked.
    List(Vec<PathBuf>, Vec<(PathBuf, String)>),
    /// One folder, walked on a thread of its own while the files already found are
    /// checked: the walk costs no wall time, and memory does not grow with the number
    /// of files.
    Walk(PathBuf),
}

/// The files of this run.
fn source(args: &CheckArgs, settings: &Settings) -> Result<Source, String> {
    let from_tool = |list: Vec<PathBuf>| -> Vec<PathBuf> {
        let mut l: Vec<PathBuf> = list
            .into_iter()
            .filter(|p| adlint::discover::wanted(p, settings))
            .collect();
        l.sort();
        l.dedup();
        l
    };
    let (files, errors) = if args.staged {
        (
            from_tool(git::staged_files().map_err(|e| e.to_string())?),
            vec![],
        )
    } else if let Some(rev) = &args.since {
        let changed = git::changed_since(rev).map_err(|e| e.to_string())?;
        (
            from_tool(changed.into_iter().filter(|p| p.exists()).collect()),
            vec![],
        )
    } else if let Some(from) = &args.files_from {
        (from_tool(read_list(from)?), vec![])
    } else if let [root] = args.paths.as_slice()
        && root.is_dir()
    {
        return Ok(Source::Walk(root.clone()));
    } else {
        let (files, errors) = adlint::discover::discover(&args.paths, settings);
        (
            files,
            errors.into_iter().map(|e| (e.path, e.message)).collect(),
        )
    };
    Ok(Source::List(files, errors))
}

/// Extensions of files that are posts in any site adlint knows.
const POST_EXTENSIONS: &[&str] = &["md", "mdx", "markdown", "html", "htm"];

/// `check . --output post.md` would replace a post with the report: refuses a report
/// or baseline path that is a file this run checks, or a post (by extension or the
/// config's `include`) in a folder it checks, unless `--force`.
fn refuse_overwriting_posts(
    args: &CheckArgs,
    settings: &Settings,
    source: &Source,
) -> Result<(), String> {
    // Two writes to one file: one would silently replace the other.
    if let (Some(o), Some(b)) = (&args.output, &args.write_baseline)
        && full_path(o).is_some_and(|o| Some(o) == full_path(b))
    {
        return Err(format!(
            "--output and --write-baseline both name {}; give each a file of its own",
            o.display()
        ));
    }
    if args.force {
        return Ok(());
    }
    // Folders checked: those named (or walked), or the repository's for --staged/--since.
    let folders: Vec<PathBuf> = match source {
        Source::Walk(root) => vec![root.clone()],
        Source::List(..) if args.staged || args.since.is_some() => vec![PathBuf::from(".")],
        Source::List(..) if args.files_from.is_some() => vec![],
        Source::List(..) => args.paths.iter().filter(|p| p.is_dir()).cloned().collect(),
    };
    let folders: Vec<PathBuf> = folders
        .iter()
        .filter_map(|f| f.canonicalize().ok())
        .collect();
    let files = match source {
        Source::List(files, _) => files.as_slice(),
        Source::Walk(_) => &[],
    };
    for (flag, target) in [
        ("--output", &args.output),
        ("--write-baseline", &args.write_baseline),
    ] {
        let Some(target) = target else { continue };
        let Some(full) = full_path(target) else {
            continue;
        };
        let post_like = full
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| POST_EXTENSIONS.iter().any(|p| e.eq_ignore_ascii_case(p)))
            || adlint::discover::wanted(target, settings);
        let checked = files
            .iter()
            // The name as given, or the file a symlink named it leads to.
            .any(|f| {
                full_path(f).as_ref() == Some(&full) || f.canonicalize().ok() == Some(full.clone())
            })
            || (post_like && folders.iter().any(|d| full.starts_with(d)));
        if checked {
            return Err(format!(
                "{flag} {} would replace a post this run checks (or one the next run would); choose another path, or add --force if that is what you mean",
                target.display()
            ));
        }
    }
    Ok(())
}

/// `path` from the root, through the real folder it is in (which must exist), without
/// following the last name: that is what a write would replace.
fn full_path(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(dir.canonicalize().ok()?.join(name))
}

/// The files of a run, in order, a chunk at a time, with `--shard` and
/// `--force-exclude` applied.
struct Feed<'a> {
    list: std::vec::IntoIter<PathBuf>,
    walk: Option<std::sync::mpsc::Receiver<Found>>,
    /// Paths that could not be walked, met since the last chunk.
    errors: Vec<(PathBuf, String)>,
    /// The walk has not finished: the number of files is not known yet.
    walking: bool,
    keep: Box<dyn Fn(&Path) -> bool + 'a>,
}

impl<'a> Feed<'a> {
    fn start(source: Source, args: &'a CheckArgs, settings: &'a Settings) -> Feed<'a> {
        let keep = Box::new(move |p: &Path| {
            args.shard.is_none_or(|s| s.contains(p))
                && !(args.force_exclude && settings.exclude.is_match(settings.relative(p)))
        });
        match source {
            Source::List(mut files, errors) => Feed {
                list: {
                    files.retain(|p| keep(p));
                    files.into_iter()
                },
                walk: None,
                errors,
                walking: false,
                keep,
            },
            Source::Walk(root) => {
                // Bounded, so a walk far ahead of the check does not pile up paths.
                let (tx, rx) = std::sync::mpsc::sync_channel(4 * CHUNK);
                let settings = settings.clone();
                std::thread::spawn(move || {
                    // A send fails once the run has stopped listening: stop walking.
                    adlint::discover::walk(&root, &settings, &mut |found| tx.send(found).is_ok());
                });
                Feed {
                    list: Vec::new().into_iter(),
                    walk: Some(rx),
                    errors: Vec::new(),
                    walking: true,
                    keep,
                }
            }
        }
    }

    /// Files known but not taken yet (none known ahead of a walk).
    fn remaining(&self) -> usize {
        self.list.len()
    }

    /// Up to `n` more files; fewer only at the end.
    fn take(&mut self, n: usize) -> Vec<PathBuf> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            // A list was filtered when the feed started; a walk's files are filtered here.
            let next = match &self.walk {
                Some(rx) => match rx.recv() {
                    Ok(Found::File(p)) if (self.keep)(&p) => Some(p),
                    Ok(Found::File(_)) => continue,
                    Ok(Found::Error(e)) => {
                        self.errors.push((e.path, e.message));
                        continue;
                    }
                    Err(_) => {
                        self.walking = false;
                        None
                    }
                },
                None => self.list.next(),
            };
            let Some(path) = next else { break };
            out.push(path);
        }
        out
    }
}

pub fn check(mut args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    if args.unsafe_fixes && !args.fix && !args.diff {
        return crate::fail("--unsafe-fixes goes with --fix or --diff");
    }
    // Paths the user named must hold posts; the default folder may hold none.
    let named = !args.paths.is_empty();
    if !named {
        args.paths = vec![PathBuf::from(".")];
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    } && !(args.output.is_some() && args.format == OutputFormat::Human);
    let config_path = if args.no_config {
        None
    } else {
        args.config
            .clone()
            .or_else(|| std::env::current_dir().ok().and_then(|d| config::find(&d)))
    };
    // A site generator's folder with no adlint.toml: check it the way `adlint init` would.
    let found =
        (config_path.is_none() && !args.no_config && !args.staged && args.files_from.is_none())
            .then(find_site)
            .flatten();
    let (site_root, site) = match found {
        Some((root, s)) => (root, Some(s)),
        None => (PathBuf::from("."), None),
    };
    if let Some(s) = &site
        && !args.quiet
    {
        let evidence = site_root.join(&s.evidence);
        eprintln!(
            "note: this looks like a {} site ({}); checking {} and leaving out {}. `adlint init` writes this down as adlint.toml.",
            s.generator.name(),
            evidence.strip_prefix("./").unwrap_or(&evidence).display(),
            s.include.join(", "),
            s.left_out().join(", ")
        );
    }
    for w in site.iter().flat_map(|s| &s.warnings) {
        eprintln!("warning: {}", report::printable(w, true));
    }
    let resolved = match &site {
        Some(s) => Settings::build(
            adlint::site::config_file(s),
            site_root.clone(),
            None,
            args.jurisdiction.clone(),
            &adlint::is_rule_code,
        ),
        None => Settings::resolve(
            config_path,
            args.jurisdiction.clone(),
            &adlint::is_rule_code,
        ),
    };
    let mut settings = match resolved {
        Ok(s) => s,
        Err(e) => return crate::fail(e),
    };
    for (flag, codes) in [("--select", &args.select), ("--ignore", &args.ignore)] {
        if let Some(bad) = codes.iter().find(|c| !adlint::is_rule_code(c.trim())) {
            return crate::fail(format!(
                "{flag}: `{bad}` is not a rule code or prefix (see `adlint rules`)"
            ));
        }
    }
    settings.select = args.select.iter().map(|c| c.trim().to_string()).collect();
    if let Some(l) = &args.message_language {
        settings.message_language = l.clone();
    }
    settings.ignore = args.ignore.iter().map(|c| c.trim().to_string()).collect();
    let source = match source(&args, &settings) {
        Ok(s) => s,
        Err(e) => return crate::fail(e),
    };
    if let Err(e) = refuse_overwriting_posts(&args, &settings, &source) {
        return crate::fail(e);
    }
    // The report and the baseline are opened before anything is checked: a target the
    // writer refuses (a link to a file, a folder) stops the run before --fix writes.
    let open = |p: &Option<PathBuf>| p.as_deref().map(adlint::output::Output::create).transpose();
    let (mut report_file, baseline_file) = match (open(&args.output), open(&args.write_baseline)) {
        (Ok(r), Ok(b)) => (r, b),
        (Err(e), _) | (_, Err(e)) => return crate::fail(e),
    };
    // The walk (if any) runs on a thread of its own, from now on: beside building the
    // engine, then beside the check.
    let mut feed = Feed::start(source, &args, &settings);
    let engine = match Engine::new(&settings.extensions) {
        Ok(e) => e,
        Err(e) => return crate::fail(e),
    };
    for j in &settings.jurisdictions {
        if j != "auto" && !engine.rules.jurisdictions.contains_key(j) {
            return crate::fail(crate::unknown_jurisdiction(&engine, j));
        }
    }
    let known = match &args.baseline {
        Some(p) => match Baseline::read(p) {
            Ok(b) => Some(b.by_path()),
            Err(e) => return crate::fail(e),
        },
        None => None,
    };
    if let Some(n) = args.threads {
        let known = feed.walk.is_none().then(|| feed.remaining());
        let n = worker_threads(n, known);
        // A pool that failed to start cannot be replaced: rayon would panic at its
        // first use. Say so instead.
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            return crate::fail(format!(
                "--threads: cannot start {n} worker threads ({e}); ask for fewer"
            ));
        }
    }

    // Per-file text for the terminal; machine formats are rendered once at the end.
    let machine = !matches!(args.format, OutputFormat::Human | OutputFormat::Short);
    let terminal = match (args.format, &args.output) {
        (OutputFormat::Short, None) => Format::Short,
        (_, Some(_)) | (OutputFormat::Human, None) => Format::Human,
        (_, None) => Format::Json,
    };
    let fix_mode = if args.fix {
        FixMode::Apply
    } else if args.diff {
        FixMode::Diff
    } else {
        FixMode::Off
    };
    let ctx = Context {
        engine: &engine,
        settings: &settings,
        terminal,
        color,
        fix_mode,
        unsafe_fixes: args.unsafe_fixes,
        staged: args.staged,
        skip_drafts: args.skip_drafts,
        baseline: known,
        write_baseline: args.write_baseline.is_some(),
        json: args.format == OutputFormat::Json && fix_mode != FixMode::Diff,
    };

    let stdout = std::io::stdout();
    let mut out = Sink::new(std::io::BufWriter::new(stdout.lock()));
    let mut summary = Summary::default();
    let mut kept: Vec<FileOutcome> = Vec::new();
    let mut file_text = String::new();
    let mut failed = false;
    let mut fixes = 0;
    let mut suggested = 0;
    let mut stale: Vec<Entry> = Vec::new();
    let mut record: Vec<Entry> = Vec::new();
    let mut stats: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    // JSON is written as the run goes (memory stays flat however large the run); to
    // --output through a temporary file renamed at the end, so a reader never sees
    // half a report.
    let mut json = None;
    let mut json_file = None;
    if args.format == OutputFormat::Json && fix_mode != FixMode::Diff {
        json_file = report_file.take().map(std::io::BufWriter::new);
        let target: &mut dyn Write = match &mut json_file {
            Some(f) => f,
            None => &mut out,
        };
        json = report::json::JsonStream::start(target).ok();
    }
    let mut progress = Progress::new();
    let mut found = 0;
    loop {
        let chunk: Vec<PathBuf> = feed.take(CHUNK);
        found += chunk.len();
        // Paths the walk could not read, in the order met.
        for (path, message) in feed.errors.drain(..) {
            failed = true;
            let o = report::failed(&path.display().to_string(), message, terminal, color);
            summary.files_failed += 1;
            let _ = out.write_all(o.rendered.as_bytes());
            if let Some(stream) = &mut json {
                let target: &mut dyn Write = match &mut json_file {
                    Some(f) => f,
                    None => &mut out,
                };
                stream.add(target, &o);
            } else {
                kept.push(o);
            }
        }
        if chunk.is_empty() {
            break;
        }
        progress.update(found + feed.remaining(), feed.walking);
        let results: Vec<FileResult> = chunk
            .par_iter()
            .map(|path| {
                let r = check_file(&ctx, path);
                progress.bar.inc(1);
                r
            })
            .collect();
        for r in results {
            if r.skipped {
                continue;
            }
            fixes += r.fixed;
            suggested += r.suggested;
            stale.extend(r.stale);
            record.extend(r.record);
            if fix_mode == FixMode::Diff {
                let _ = out.write_all(r.diff.as_bytes());
                continue;
            }
            let o = r.outcome;
            summary.add(&o);
            failed |= o.problems.iter().any(|p| p.fatal || p.fails_run);
            for d in &o.diagnostics {
                *stats.entry((d.code, d.jurisdiction.clone())).or_default() += 1;
            }
            if terminal != Format::Json {
                let _ = out.write_all(o.rendered.as_bytes());
            }
            match (&args.output, args.format) {
                (Some(_), OutputFormat::Short) => {
                    file_text.push_str(&report::human::render_short(&o.diagnostics, &o.problems))
                }
                // The same text as the terminal's (without colour, see `color` above).
                (Some(_), OutputFormat::Human) => file_text.push_str(&o.rendered),
                _ => {}
            }
            if let Some(stream) = &mut json {
                let target: &mut dyn Write = match &mut json_file {
                    Some(f) => f,
                    None => &mut out,
                };
                match &r.json {
                    Some(items) => stream.add_items(target, items),
                    None => stream.add(target, &o),
                }
            } else if machine {
                // Only what the reports need is kept: findings, not sources.
                kept.push(FileOutcome {
                    rendered: String::new(),
                    ..o
                });
            }
        }
    }
    progress.bar.finish_and_clear();
    summary.elapsed_ms = started.elapsed().as_millis();
    // Nothing passes silently: a run that found no post says so, and fails where the
    // user named the paths (a typo, a wrong `include`), as ruff's "No Python files found".
    let from_git = args.staged || args.since.is_some() || args.files_from.is_some();
    if found == 0 && !failed {
        let _ = out.flush();
        let shown: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        if from_git {
            if !args.quiet {
                eprintln!("note: no posts to check (none staged, changed or listed)");
            }
        } else {
            let what = format!(
                "no posts found in {} (include: {})",
                report::printable(&shown.join(", "), false),
                settings.include_patterns.join(", ")
            );
            if named {
                return crate::fail(format!(
                    "{what}; check the path, or `include` in the config"
                ));
            } else if !args.quiet {
                eprintln!("warning: {what}");
            }
        }
    }

    if fix_mode == FixMode::Diff {
        if let Err(e) = out.finish() {
            return crate::fail(e);
        }
        if !args.quiet {
            eprintln!("{fixes} fix(es) would be applied by --fix");
            if suggested > 0 {
                eprintln!(
                    "{suggested} suggested fix(es) not shown: they assert what the post may not say; `--diff --unsafe-fixes` shows them"
                );
            }
        }
        return exit(failed, fixes > 0 && !args.exit_zero);
    }
    if let Some(stream) = json {
        let finished = match json_file {
            Some(mut f) => stream
                .finish(&mut f, &summary)
                .and_then(|()| f.into_inner().map_err(|e| e.into_error()))
                .map_err(|e| format!("cannot write {}: {e}", output_shown(&args)))
                .and_then(|f| f.commit()),
            None => stream
                .finish(&mut out, &summary)
                .map_err(|e| format!("cannot write {}: {e}", output_shown(&args))),
        };
        if let Err(e) = finished {
            let _ = out.flush();
            return crate::fail(e);
        }
    } else if machine {
        let report = match args.format {
            OutputFormat::Json => report::json::render(&kept, &summary),
            OutputFormat::Sarif => report::sarif::render(&kept, &summary),
            OutputFormat::Gitlab => report::gitlab::render(&kept, &summary),
            OutputFormat::Junit => report::junit::render(&kept, &summary),
            _ => report::github::render(&kept, &summary),
        };
        if args.format == OutputFormat::Github
            && let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY")
        {
            // GitHub shows only ten annotations per severity; the summary lists them all.
            let text = report::github::step_summary(&kept, &summary);
            if let Err(e) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(text.as_bytes()))
            {
                let _ = out.flush();
                return crate::fail(format!(
                    "cannot write {} (GITHUB_STEP_SUMMARY): {e}",
                    Path::new(&path).display()
                ));
            }
        }
        match &args.output {
            Some(_) => file_text = report,
            None => {
                let _ = out.write_all(report.as_bytes());
            }
        }
    }
    // Every format but streamed JSON (which took the file above).
    if let Some(mut f) = report_file.take()
        && let Err(e) = f
            .write_all(file_text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", output_shown(&args)))
            .and_then(|()| f.commit())
    {
        let _ = out.flush();
        return crate::fail(e);
    }
    if fix_mode == FixMode::Apply && !args.quiet && terminal != Format::Json {
        let _ = writeln!(
            out,
            "Applied {fixes} fix(es); what is left is reported above."
        );
        if suggested > 0 {
            let _ = writeln!(
                out,
                "{suggested} suggested fix(es) not applied: they assert what the post may not say (that it is an ad); `--diff --unsafe-fixes` shows them"
            );
        }
    }
    if args.statistics && terminal != Format::Json {
        for ((code, j), n) in &stats {
            let name = adlint::judge::registry::find(code).map_or("", |r| r.name);
            let _ = writeln!(out, "{n:>6}  {code}  {j:<4} {name}");
        }
    }
    if !stale.is_empty() && !args.quiet {
        let _ = out.flush();
        eprintln!(
            "note: {} baseline entr{} no longer match a finding (fixed since?); refresh it with --write-baseline:",
            stale.len(),
            if stale.len() == 1 { "y" } else { "ies" }
        );
        for e in stale.iter().take(20) {
            eprintln!(
                "  {} {} [{}] {}",
                report::printable(&e.path, false),
                e.code,
                report::printable(&e.jurisdiction, false),
                report::printable(&e.text, false)
            );
        }
    }
    if let (Some(path), Some(mut f)) = (&args.write_baseline, baseline_file) {
        let b = Baseline {
            version: 1,
            findings: record,
        };
        let text = serde_json::to_string_pretty(&b).unwrap_or_default() + "\n";
        if let Err(e) = f
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
            .and_then(|()| f.commit())
        {
            let _ = out.flush();
            return crate::fail(e);
        }
        if !args.quiet {
            eprintln!(
                "wrote {} finding(s) to the baseline {}",
                b.findings.len(),
                path.display()
            );
        }
    }
    let findings = summary.errors > 0 || summary.problems > 0;
    if !args.quiet && terminal != Format::Json {
        let mut line = report::human::summary_line(&summary, color);
        // The exit code is 0 though something was found: say why.
        if findings && !failed {
            let why = if args.write_baseline.is_some() {
                Some("exit 0: the findings were written to the baseline")
            } else if args.exit_zero {
                Some("exit 0: --exit-zero")
            } else {
                None
            };
            if let Some(why) = why {
                line = format!("{}; {why}\n", line.trim_end());
            }
        }
        let _ = out.write_all(line.as_bytes());
    }
    if let Err(e) = out.finish() {
        return crate::fail(e);
    }
    // Writing a baseline records the findings: that is the job done, not a failure.
    // `--exit-zero` reports without failing the build (ruff's name).
    exit(
        failed,
        findings && args.write_baseline.is_none() && !args.exit_zero,
    )
}

/// Standard output that keeps its first failed write (a full disk, a closed pipe): the
/// run goes on (fixes are still written), then ends with exit 2 and a message instead
/// of a silent exit 0 with a cut report.
struct Sink<W: Write> {
    inner: W,
    error: Option<String>,
}

impl<W: Write> Sink<W> {
    fn new(inner: W) -> Self {
        Sink { inner, error: None }
    }

    fn keep<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &r {
            self.error.get_or_insert_with(|| e.to_string());
        }
        r
    }

    /// Flushes; the first error met, if any, as a message.
    fn finish(&mut self) -> Result<(), String> {
        let _ = self.flush();
        match &self.error {
            Some(e) => Err(format!("cannot write to standard output: {e}")),
            None => Ok(()),
        }
    }
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.inner.write(buf);
        self.keep(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.inner.flush();
        self.keep(r)
    }
}

/// A progress bar on stderr for runs long enough to wait on, only when a person watches
/// a terminal: never in CI logs or piped output. While a walk goes on, the total is not
/// known: a count, then the bar once the walk is done.
struct Progress {
    bar: indicatif::ProgressBar,
    watched: bool,
    /// The style shown: `Some(true)` the count of a walk going on, `Some(false)` the bar.
    style: Option<bool>,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            bar: indicatif::ProgressBar::hidden(),
            watched: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
            style: None,
        }
    }

    fn update(&mut self, total: usize, walking: bool) {
        if !self.watched || total < 2000 {
            return;
        }
        if self.style != Some(walking) {
            let template = if walking {
                "{spinner} {pos} posts, {rate}, still finding files"
            } else {
                "{bar:40} {pos}/{len} posts, {rate}, {eta} left"
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                // Whole files a second: indicatif's own `{per_sec}` shows four decimals.
                let style = style.with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.0} files/s", state.per_sec());
                    },
                );
                self.bar.set_style(style);
            }
            if self.style.is_none() {
                self.bar
                    .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            self.style = Some(walking);
        }
        self.bar.set_length(total as u64);
    }
}

/// The report's target, for messages.
fn output_shown(args: &CheckArgs) -> String {
    args.output
        .as_ref()
        .map_or_else(|| "to standard output".into(), |p| p.display().to_string())
}

fn exit(failed: bool, findings: bool) -> ExitCode {
    if failed {
        ExitCode::from(2)
    } else if findings {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_capped_at_the_files_and_a_maximum() {
        assert_eq!(worker_threads(10_000, None), MAX_THREADS);
        assert_eq!(worker_threads(10_000, Some(3)), 3);
        assert_eq!(worker_threads(4, Some(1000)), 4);
        assert_eq!(worker_threads(0, Some(5)), 1);
        assert_eq!(worker_threads(8, Some(0)), 1);
    }
}

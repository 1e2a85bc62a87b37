//! The command line: arguments → settings → run → exit code 0 (clean), 1 (findings),
//! 2 (the run could not be done: bad arguments, config or pack, unreadable files).

use adlint::config::{self, Settings};
use adlint::report::{self, FileOutcome, Format, Summary};
use adlint::{Engine, docs, judge::registry};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "adlint", version, about = "Lint blog posts for ad disclosures the law requires", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Short,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check posts (folders are walked for .md, .markdown, .mdx)
    Check {
        /// Files or folders to check
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Jurisdictions to judge by, comma-separated (`auto`: by each post's language)
        #[arg(short, long, value_delimiter = ',')]
        jurisdiction: Option<Vec<String>>,
        /// Output format
        #[arg(long, value_enum, default_value = "human")]
        format: OutputFormat,
        /// Config file (default: adlint.toml or .adlint.toml, searched upwards)
        #[arg(long)]
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
        #[arg(long)]
        threads: Option<usize>,
        /// Apply the safe fixes (insert the market's label, mark affiliate links), then
        /// report what is left
        #[arg(long, conflicts_with = "diff")]
        fix: bool,
        /// Print the diff of what --fix would change, and change nothing
        #[arg(long)]
        diff: bool,
    },
    /// Explain a rule, optionally under one jurisdiction
    Explain {
        /// A rule code (AD102) or name (undisclosed-affiliate-link)
        code: String,
        #[arg(short, long)]
        jurisdiction: Option<String>,
    },
    /// List every rule
    Rules,
    /// List the jurisdiction packs, or show one in full
    Jurisdictions { code: Option<String> },
    /// Write a commented starter adlint.toml
    Init {
        /// Overwrite an existing adlint.toml
        #[arg(long)]
        force: bool,
    },
    /// Print generated documentation (docs/rules.md, docs/jurisdictions.md)
    #[command(hide = true)]
    Docs { which: String },
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            paths,
            jurisdiction,
            format,
            config,
            no_config,
            color,
            quiet,
            threads,
            fix,
            diff,
        } => {
            let color = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let format = match format {
                OutputFormat::Human => Format::Human,
                OutputFormat::Short => Format::Short,
                OutputFormat::Json => Format::Json,
            };
            let config_path = if no_config {
                None
            } else {
                config.or_else(|| std::env::current_dir().ok().and_then(|d| config::find(&d)))
            };
            let fix_mode = if fix {
                FixMode::Apply
            } else if diff {
                FixMode::Diff
            } else {
                FixMode::Off
            };
            check(Run {
                paths,
                jurisdictions: jurisdiction,
                config_path,
                format,
                color,
                quiet,
                threads,
                fix_mode,
            })
        }
        Command::Explain { code, jurisdiction } => {
            let Some(rule) = registry::find(&code) else {
                return fail(format!(
                    "`{code}` is not a rule code or name; `adlint rules` lists them"
                ));
            };
            let engine = match Engine::new(&Default::default()) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            let j = match jurisdiction.as_deref().map(str::to_ascii_lowercase) {
                Some(code) => match engine.rules.jurisdictions.get(&code) {
                    Some(j) => Some(j),
                    None => return fail(unknown_jurisdiction(&engine, &code)),
                },
                None => None,
            };
            print!("{}", docs::explain(rule, j, &engine));
            ExitCode::SUCCESS
        }
        Command::Rules => {
            print!("{}", docs::rules_table());
            ExitCode::SUCCESS
        }
        Command::Jurisdictions { code } => {
            let engine = match Engine::new(&Default::default()) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            match code.map(|c| c.to_ascii_lowercase()) {
                None => print!("{}", docs::jurisdictions_list(&engine.rules)),
                Some(c) => match engine.rules.jurisdictions.get(&c) {
                    Some(j) => print!("{}", docs::jurisdiction_detail(j, &engine)),
                    None => return fail(unknown_jurisdiction(&engine, &c)),
                },
            }
            ExitCode::SUCCESS
        }
        Command::Init { force } => {
            let path = PathBuf::from("adlint.toml");
            if path.exists() && !force {
                return fail("adlint.toml already exists; use --force to overwrite it");
            }
            if let Err(e) = std::fs::write(&path, config::STARTER) {
                return fail(format!("cannot write adlint.toml: {e}"));
            }
            println!("wrote adlint.toml; edit `jurisdictions` for the markets you publish in");
            ExitCode::SUCCESS
        }
        Command::Docs { which } => {
            let engine = match Engine::new(&Default::default()) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            match which.as_str() {
                "rules" => print!("{}", docs::rules_markdown()),
                "jurisdictions" => print!("{}", docs::jurisdictions_markdown(&engine)),
                other => {
                    return fail(format!(
                        "unknown docs page `{other}` (rules, jurisdictions)"
                    ));
                }
            }
            ExitCode::SUCCESS
        }
    }
}

fn unknown_jurisdiction(engine: &Engine, code: &str) -> String {
    let known: Vec<&str> = engine
        .rules
        .jurisdictions
        .keys()
        .map(String::as_str)
        .collect();
    format!(
        "unknown jurisdiction `{code}`; known: auto, {}",
        known.join(", ")
    )
}

/// How many files are checked between two writes of output: keeps memory bounded and
/// output flowing, while the order stays that of the sorted paths.
const CHUNK: usize = 512;

#[derive(Clone, Copy, PartialEq, Eq)]
enum FixMode {
    Off,
    Apply,
    Diff,
}

/// Everything `check` was asked to do.
struct Run {
    paths: Vec<PathBuf>,
    jurisdictions: Option<Vec<String>>,
    config_path: Option<PathBuf>,
    format: Format,
    color: bool,
    quiet: bool,
    threads: Option<usize>,
    fix_mode: FixMode,
}

/// Checks one file, applying or showing fixes when asked. Returns the outcome, the
/// number of fixes applied, and the diff (for `--diff`).
fn check_file(
    engine: &Engine,
    settings: &Settings,
    path: &std::path::Path,
    run: &Run,
) -> (FileOutcome, usize, String) {
    let shown = path.display().to_string();
    let source = match adlint::load::load(path) {
        Ok(s) => s,
        Err(e) => {
            return (
                report::failed(&shown, e.to_string(), run.format, run.color),
                0,
                String::new(),
            );
        }
    };
    let checked = adlint::check(engine, &source, path, settings);
    if run.fix_mode == FixMode::Off {
        return (
            report::outcome(&shown, &source, &checked, run.format, run.color),
            0,
            String::new(),
        );
    }
    let fixed = adlint::fix::apply(&source, &checked.findings, false);
    if fixed.applied.is_empty() {
        return (
            report::outcome(&shown, &source, &checked, run.format, run.color),
            0,
            String::new(),
        );
    }
    if run.fix_mode == FixMode::Diff {
        let diff = adlint::fix::diff(&shown, &source, &fixed.text);
        return (
            report::outcome(&shown, &source, &checked, run.format, run.color),
            fixed.applied.len(),
            diff,
        );
    }
    match adlint::fix::write_atomically(path, &source, &fixed.text) {
        Ok(()) => {
            // Report what is left in the fixed text.
            let rechecked = adlint::check(engine, &fixed.text, path, settings);
            (
                report::outcome(&shown, &fixed.text, &rechecked, run.format, run.color),
                fixed.applied.len(),
                String::new(),
            )
        }
        Err(e) => {
            let mut o = report::outcome(&shown, &source, &checked, run.format, run.color);
            let p = report::failed(&shown, e.to_string(), run.format, run.color);
            o.rendered.push_str(&p.rendered);
            o.problems.extend(p.problems);
            (o, 0, String::new())
        }
    }
}

fn check(run: Run) -> ExitCode {
    let Run {
        ref paths,
        ref jurisdictions,
        ref config_path,
        format,
        color,
        quiet,
        threads,
        fix_mode,
    } = run;
    let started = Instant::now();
    let settings = match Settings::resolve(
        config_path.clone(),
        jurisdictions.clone(),
        &adlint::is_rule_code,
    ) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let engine = match Engine::new(&settings.extensions) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    for j in &settings.jurisdictions {
        if j != "auto" && !engine.rules.jurisdictions.contains_key(j) {
            return fail(unknown_jurisdiction(&engine, j));
        }
    }
    if let Some(n) = threads {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let (files, walk_errors) = adlint::discover::discover(paths, &settings);
    let mut fixes = 0;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    let mut kept: Vec<FileOutcome> = Vec::new();
    let mut failed = false;
    for e in &walk_errors {
        failed = true;
        let o = report::failed(
            &e.path.display().to_string(),
            e.message.clone(),
            format,
            color,
        );
        summary.files_failed += 1;
        let _ = out.write_all(o.rendered.as_bytes());
        if format == Format::Json {
            kept.push(o);
        }
    }
    for chunk in files.chunks(CHUNK) {
        let outcomes: Vec<(FileOutcome, usize, String)> = chunk
            .par_iter()
            .map(|path| check_file(&engine, &settings, path, &run))
            .collect();
        for (o, fixed, diff) in outcomes {
            fixes += fixed;
            if fix_mode == FixMode::Diff {
                let _ = out.write_all(diff.as_bytes());
                continue;
            }
            summary.add(&o);
            failed |= o.problems.iter().any(|p| p.fatal);
            if format == Format::Json {
                // Only what the JSON needs is kept: findings, not sources.
                kept.push(FileOutcome {
                    rendered: String::new(),
                    ..o
                });
            } else {
                let _ = out.write_all(o.rendered.as_bytes());
            }
        }
    }
    summary.elapsed_ms = started.elapsed().as_millis();
    if fix_mode == FixMode::Diff {
        let _ = out.flush();
        if !quiet {
            eprintln!("{fixes} fix(es) would be applied by --fix");
        }
        return if failed {
            ExitCode::from(2)
        } else if fixes > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    if fix_mode == FixMode::Apply && !quiet && format != Format::Json {
        let _ = writeln!(
            out,
            "Applied {fixes} fix(es); what is left is reported above."
        );
    }
    match format {
        Format::Json => {
            let _ = out.write_all(report::json::render(&kept, &summary).as_bytes());
        }
        _ if !quiet => {
            let _ = out.write_all(report::human::summary_line(&summary, color).as_bytes());
        }
        _ => {}
    }
    let _ = out.flush();
    if failed {
        ExitCode::from(2)
    } else if summary.errors > 0 || summary.problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

//! The command line: arguments → settings → run → exit code 0 (clean), 1 (findings),
//! 2 (the run could not be done: bad arguments, config or pack, unreadable files).

mod lsp;
mod run;

use adlint::config;
use adlint::{Engine, docs, judge::registry};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Parsing a post makes many small strings and vectors that live as long as the post;
/// mimalloc serves them faster than glibc's allocator (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "adlint", version, long_version = adlint::packs::LONG_VERSION, about = "Lint blog posts for ad disclosures the law requires", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check posts (folders are walked for .md, .markdown, .mdx and .html posts)
    #[command(after_long_help = CHECK_EXAMPLES)]
    Check(Box<run::CheckArgs>),
    /// Explain a rule, optionally under one jurisdiction
    Explain {
        /// A rule code (AD102) or name (undisclosed-affiliate-link)
        code: String,
        /// Show what one market accepts and why (de, us, …)
        #[arg(short, long)]
        jurisdiction: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value = "text")]
        format: ExplainFormat,
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
    /// Run a Language Server over stdio (diagnostics while you write, fixes as code actions)
    Lsp,
    /// Install or remove a plain git pre-commit hook that runs `adlint check --staged`
    Hook {
        #[command(subcommand)]
        action: HookAction,
    },
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    ///
    /// Example: adlint completions bash > ~/.local/share/bash-completion/completions/adlint
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff)
    ///
    /// Example: adlint man > ~/.local/share/man/man1/adlint.1
    Man,
    /// Print the version and the built-in rule packs with the dates their sources were last checked
    Version,
    /// Print generated documentation (docs/rules.md, docs/jurisdictions.md)
    #[command(hide = true)]
    Docs { which: String },
}

const CHECK_EXAMPLES: &str = "Examples:
  adlint check                                 the posts of this site (or folder)
  adlint check content/posts -j de             one folder, judged by German law
  adlint check --fix                           apply the safe fixes
  adlint check --since origin/main --format github   only posts changed in a pull request
  adlint check --staged                        the staged posts (pre-commit hook)";

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExplainFormat {
    /// for a terminal
    Text,
    /// the rule's page in Markdown
    Markdown,
    /// one JSON object
    Json,
}

#[derive(Subcommand)]
enum HookAction {
    /// Write .git/hooks/pre-commit
    Install {
        /// Replace a pre-commit hook that adlint did not write (it is kept as
        /// pre-commit.adlint-backup)
        #[arg(long)]
        force: bool,
    },
    /// Remove the hook adlint wrote
    Uninstall,
}

/// Prints `text`; a failed write (`> /dev/full`) is exit 2, where `print!` would panic.
fn emit(text: &str) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("cannot write to standard output: {e}")),
    }
}

pub(crate) fn fail(message: impl std::fmt::Display) -> ExitCode {
    // Messages name files, and a file name may hold escapes.
    eprintln!(
        "error: {}",
        adlint::report::printable(&message.to_string(), true)
    );
    ExitCode::from(2)
}

/// `mi_option_purge_delay`: entry 15 of `mi_option_e` in the bundled mimalloc's
/// `mimalloc.h` (v2 and v3 alike; libmimalloc-sys exports no name for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

// Setting a mimalloc option is an FFI call.
#[allow(unsafe_code)]
fn main() -> ExitCode {
    // Keep freed pages 10 ms, then return them: at once cost a tenth of a run in page
    // faults; mimalloc's own default (1 s) lets peak memory drift up with long runs
    // (docs/performance.md). The environment variable still wins, for measuring.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a plain integer option; mimalloc reads options atomically.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    }
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => run::check(*args),
        Command::Lsp => match lsp::serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        },
        Command::Hook { action } => {
            let result = match action {
                HookAction::Install { force } => adlint::git::install_hook(force).map(|i| {
                    let mut msg = format!("installed {}\n", i.path.display());
                    if let Some(b) = i.backup {
                        msg += &format!(
                            "the hook that was there is kept as {}; `adlint hook uninstall` puts it back\n",
                            b.display()
                        );
                    }
                    msg
                }),
                HookAction::Uninstall => adlint::git::uninstall_hook().map(|(p, backup)| {
                    let mut msg = format!("removed {}\n", p.display());
                    if let Some(b) = backup {
                        msg += &format!("restored the earlier hook from {}\n", b.display());
                    }
                    msg
                }),
            };
            match result {
                Ok(msg) => emit(&msg),
                Err(e) => fail(e),
            }
        }
        Command::Explain {
            code,
            jurisdiction,
            format,
        } => {
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
            emit(&match format {
                ExplainFormat::Text => docs::explain(rule, j, &engine),
                ExplainFormat::Markdown => docs::explain_markdown(rule, j, &engine),
                ExplainFormat::Json => docs::explain_json(rule, j, &engine),
            })
        }
        Command::Rules => emit(&docs::rules_table()),
        Command::Version => emit(&format!("adlint {}\n", adlint::packs::LONG_VERSION)),
        Command::Jurisdictions { code } => {
            let engine = match Engine::new(&Default::default()) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            match code.map(|c| c.to_ascii_lowercase()) {
                None => emit(&docs::jurisdictions_list(&engine.rules)),
                Some(c) => match engine.rules.jurisdictions.get(&c) {
                    Some(j) => emit(&docs::jurisdiction_detail(j, &engine)),
                    None => fail(unknown_jurisdiction(&engine, &c)),
                },
            }
        }
        Command::Init { force } => {
            let path = PathBuf::from("adlint.toml");
            if path.exists() && !force {
                return fail("adlint.toml already exists; use --force to overwrite it");
            }
            let site = adlint::site::detect(std::path::Path::new("."));
            for w in site.iter().flat_map(|s| &s.warnings) {
                eprintln!("warning: {}", adlint::report::printable(w, true));
            }
            let text = site
                .as_ref()
                .map_or_else(|| config::STARTER.to_string(), adlint::site::config_text);
            if let Err(e) = adlint::output::write_file(&path, text.as_bytes()) {
                return fail(e);
            }
            emit(&match site {
                Some(s) => format!(
                    "wrote adlint.toml for a {} site: checking {}, leaving out {}\n",
                    s.generator.name(),
                    s.include.join(", "),
                    s.left_out().join(", ")
                ),
                None => "wrote adlint.toml; edit `jurisdictions` for the markets you publish in\n"
                    .into(),
            })
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "adlint", &mut out);
            emit(&String::from_utf8_lossy(&out))
        }
        Command::Man => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => emit(&String::from_utf8_lossy(&out)),
                Err(e) => fail(e),
            }
        }
        Command::Docs { which } => {
            let engine = match Engine::new(&Default::default()) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            match which.as_str() {
                "rules" => emit(&docs::rules_markdown()),
                "jurisdictions" => emit(&docs::jurisdictions_markdown(&engine)),
                other => fail(format!(
                    "unknown docs page `{other}` (rules, jurisdictions)"
                )),
            }
        }
    }
}

pub(crate) fn unknown_jurisdiction(engine: &Engine, code: &str) -> String {
    engine.rules.unknown_jurisdiction(code)
}

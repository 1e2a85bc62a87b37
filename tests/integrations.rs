//! Every `adlint` command shown in docs/integrations.md runs as written, in a git
//! repository holding a copy of the example blog under `content/`.

use std::path::Path;
use std::process::Command;

fn commands(doc: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            continue;
        }
        let l = line
            .trim()
            .trim_start_matches("- run: ")
            .trim_start_matches("- ");
        if l.starts_with("adlint ") || l.contains("| adlint ") {
            out.push(l.replace("${{ matrix.shard }}", "1"));
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn sh(cmd: &str, dir: &Path) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_adlint")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap()
}

#[test]
fn every_documented_command_runs() {
    let doc = std::fs::read_to_string("docs/integrations.md").unwrap();
    let cmds = commands(&doc);
    assert!(cmds.len() >= 10, "found only {cmds:?}");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    copy_dir(Path::new("fixtures/blog"), &p.join("content"));
    for setup in [
        "git init -q",
        "git add .",
        "git commit -qm blog",
        "git update-ref refs/remotes/origin/main HEAD",
    ] {
        assert!(sh(setup, p).status.success(), "{setup}");
    }
    // A change since origin/main, and a staged one, so those commands have work.
    std::fs::write(
        p.join("content/new-post.md"),
        "---\nlang: en\n---\nUse code ANNA20 for 20% off!\n",
    )
    .unwrap();
    assert!(sh("git add content/new-post.md", p).status.success());
    for cmd in &cmds {
        let o = sh(cmd, p);
        let code = o.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "`{cmd}` exited with {code:?}\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        if let Some(file) = cmd
            .split("--output ")
            .nth(1)
            .map(|r| r.split_whitespace().next().unwrap())
        {
            assert!(p.join(file).exists(), "`{cmd}` wrote no {file}");
        }
    }
    assert!(
        p.join(".git/hooks/pre-commit").exists(),
        "`adlint hook install` ran"
    );
}

#[test]
fn pre_commit_hook_definition_matches_the_cli() {
    let hooks = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    assert!(
        hooks.contains("id: adlint")
            && hooks.contains("language: rust")
            && hooks.contains("types: [markdown]")
    );
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .unwrap();
    // The entry, run on a staged file by name as pre-commit does, must work.
    let o = sh(
        &format!("{entry} fixtures/blog/de/powerbanks.md"),
        Path::new("."),
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let action = std::fs::read_to_string("action.yml").unwrap();
    assert!(
        action.contains("using: composite")
            && action.contains("cargo install --locked --quiet --path")
    );
}

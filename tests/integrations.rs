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

/// The `entry:` of each hook in a .pre-commit-hooks.yaml, with its block of lines.
fn hooks(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if line.starts_with("- id: ") {
            out.push(String::new());
        }
        if let Some(h) = out.last_mut() {
            h.push_str(line.trim());
            h.push('\n');
        }
    }
    out
}

#[test]
fn pre_commit_hook_definitions_match_the_cli() {
    let root = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let mirror = std::fs::read_to_string("pre-commit/mirror/.pre-commit-hooks.yaml").unwrap();
    let all: Vec<String> = hooks(&root).into_iter().chain(hooks(&mirror)).collect();
    assert_eq!(all.len(), 3, "{all:?}");
    for (hook, id, language) in [
        (&all[0], "adlint", "python"),
        (&all[1], "adlint-system", "system"),
        (&all[2], "adlint", "python"),
    ] {
        assert!(
            hook.contains(&format!("id: {id}\n"))
                && hook.contains(&format!("language: {language}\n"))
                && hook.contains("types_or: [markdown, mdx, html]\n"),
            "{hook}"
        );
        let entry = hook
            .lines()
            .find_map(|l| l.strip_prefix("entry: "))
            .unwrap();
        // The entry, run on staged posts by name as pre-commit does, must work: a
        // Markdown post with findings, and an HTML and an MDX post (types_or).
        let o = sh(
            &format!(
                "{entry} fixtures/blog/de/powerbanks.md fixtures/sites/astro/src/content/blog/camera-bag-for-city-trips.mdx fixtures/sites/jekyll/_posts/2026-06-09-trail-shoes-i-retired-this-spring.html"
            ),
            Path::new("."),
        );
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // The mirror's package installs the wheel of this version.
    let v = env!("CARGO_PKG_VERSION");
    let mirror_project = std::fs::read_to_string("pre-commit/mirror/pyproject.toml").unwrap();
    assert!(
        mirror_project.contains(&format!("version = \"{v}\""))
            && mirror_project.contains(&format!("dependencies = [\"adlint=={v}\"]")),
        "pre-commit/mirror/pyproject.toml must name adlint {v}"
    );
}

/// A step of action.yml: its name, `env:` and `run:` script.
type Step = (String, Vec<(String, String)>, String);

/// The steps of action.yml.
fn action_steps() -> Vec<Step> {
    use saphyr::{LoadableYamlNode, Yaml};
    let text = std::fs::read_to_string("action.yml").unwrap();
    let docs = Yaml::load_from_str(&text).unwrap();
    let steps = docs[0]["runs"]["steps"].as_vec().unwrap();
    steps
        .iter()
        .map(|step| {
            let get = |k: &str| step.as_mapping_get(k);
            let name = get("name")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let env = get("env")
                .and_then(|v| v.as_mapping())
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            (
                                k.as_str().unwrap().to_string(),
                                v.as_str().unwrap_or_default().to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let run = get("run")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            (name, env, run)
        })
        .collect()
}

#[test]
fn the_action_downloads_a_verified_release_binary() {
    let text = std::fs::read_to_string("action.yml").unwrap();
    let v = env!("CARGO_PKG_VERSION");
    assert!(
        text.contains(&format!("default: \"{v}\"")),
        "action.yml's version input must default to {v}, this release"
    );
    assert!(text.contains("using: composite") && text.contains("actions/cache@"));
    assert!(
        !text.contains("cargo install"),
        "the action must not compile adlint"
    );
    if !(cfg!(target_os = "linux") && cfg!(target_arch = "x86_64")) {
        return;
    }
    // A release folder as GitHub serves it, with this build's binary.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let target = "x86_64-unknown-linux-musl";
    let release = p.join(format!("releases/v{v}"));
    std::fs::create_dir_all(p.join(format!("stage/adlint-{target}"))).unwrap();
    std::fs::create_dir_all(&release).unwrap();
    std::fs::copy(
        env!("CARGO_BIN_EXE_adlint"),
        p.join(format!("stage/adlint-{target}/adlint")),
    )
    .unwrap();
    let archive = format!("adlint-{target}.tar.gz");
    let pack = format!(
        "tar -C stage -czf releases/v{v}/{archive} adlint-{target} && cd releases/v{v} && sha256sum {archive} > SHA256SUMS"
    );
    assert!(sh(&pack, p).status.success());
    copy_dir(Path::new("fixtures/blog"), &p.join("content"));
    for f in ["output", "path", "tool-cache", "temp"] {
        std::fs::create_dir_all(p.join("gh")).unwrap();
        std::fs::write(p.join("gh").join(f), "").unwrap();
    }
    std::fs::create_dir_all(p.join("tool-cache")).unwrap();
    std::fs::create_dir_all(p.join("temp")).unwrap();
    let steps = action_steps();
    let run_step = |index: usize, extra: &[(&str, String)]| -> std::process::Output {
        let (_, env, run) = &steps[index];
        let mut cmd = Command::new("bash");
        cmd.arg("-c").arg(run).current_dir(p);
        for (k, _) in env {
            cmd.env_remove(k);
        }
        cmd.env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TOOL_CACHE", p.join("tool-cache"))
            .env("RUNNER_TEMP", p.join("temp"))
            .env("GITHUB_OUTPUT", p.join("gh/output"))
            .env("GITHUB_PATH", p.join("gh/path"))
            .env(
                "ADLINT_RELEASES_URL",
                format!("file://{}", p.join("releases").display()),
            )
            .env("NO_COLOR", "1");
        for (k, val) in extra {
            cmd.env(k, val);
        }
        cmd.output().unwrap()
    };
    let names: Vec<&str> = steps.iter().map(|s| s.0.as_str()).collect();
    let find = |prefix: &str| names.iter().position(|n| n.starts_with(prefix)).unwrap();
    // Which release and binary.
    let o = run_step(
        find("Which release"),
        &[("ADLINT_VERSION", format!("v{v}"))],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let outputs = std::fs::read_to_string(p.join("gh/output")).unwrap();
    let out = |k: &str| {
        outputs
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_string()
    };
    assert_eq!(out("version"), v);
    assert_eq!(out("archive"), archive);
    let download_env = [
        ("VERSION", out("version")),
        ("ARCHIVE", out("archive")),
        ("TARGET", out("target")),
        ("DIR", out("dir")),
        ("GH_REPO", "adlint/adlint".to_string()),
    ];
    // A checksum that does not match is refused, and nothing is installed.
    let sums = release.join("SHA256SUMS");
    let good = std::fs::read_to_string(&sums).unwrap();
    std::fs::write(&sums, format!("{}{}", "0".repeat(64), &good[64..])).unwrap();
    let o = run_step(find("Download"), &download_env);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("checksum mismatch"));
    assert!(!Path::new(&out("dir")).join("adlint").exists());
    // The right checksum: the binary lands in the tool cache and goes on PATH.
    std::fs::write(&sums, good).unwrap();
    let o = run_step(find("Download"), &download_env);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run_step(find("Put adlint"), &[("DIR", out("dir"))]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(p.join("gh/path")).unwrap().trim(),
        out("dir")
    );
    // Run it with the inputs' defaults, on the example blog.
    let path = format!(
        "{}:{}",
        out("dir"),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = run_step(
        find("Run adlint"),
        &[
            ("PATH", path),
            ("ADLINT_PATHS", "content".into()),
            ("ADLINT_JURISDICTIONS", "de,us".into()),
            ("ADLINT_FORMAT", "github".into()),
            ("ADLINT_SARIF", "adlint.sarif".into()),
            ("ADLINT_ARGS", String::new()),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("::error file=content/"));
    assert!(p.join("adlint.sarif").exists());
}

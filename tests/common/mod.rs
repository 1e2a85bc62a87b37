//! Helpers shared by the integration tests (each `tests/*.rs` is a crate of its own and
//! includes this with `mod common;`).

// Each test crate uses some of the helpers, none uses all.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary in `dir` without colours and waits for it.
pub fn adlint(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_adlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// A run's standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Writes a file under `dir`, making its folders.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, content).unwrap();
}

//! `--format json`: one object, `{"version":1, "files_checked":N, "diagnostics":[…],
//! "summary":{…}}` (DESIGN.md), plus file problems and suppressed findings.

use super::{Diagnostic, FileOutcome, FileProblem, Summary};
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    files_checked: usize,
    diagnostics: Vec<&'a Diagnostic>,
    suppressed: Vec<&'a Diagnostic>,
    problems: Vec<&'a FileProblem>,
    summary: &'a Summary,
}

pub fn render(outcomes: &[FileOutcome], summary: &Summary) -> String {
    let report = Report {
        version: 1,
        files_checked: summary.files_checked,
        diagnostics: outcomes.iter().flat_map(|o| o.diagnostics.iter()).collect(),
        suppressed: outcomes.iter().flat_map(|o| o.suppressed.iter()).collect(),
        problems: outcomes.iter().flat_map(|o| o.problems.iter()).collect(),
        summary,
    };
    let mut s =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

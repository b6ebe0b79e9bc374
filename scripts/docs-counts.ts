/**
 * `npm run docs:counts`: sets the line counts of the READMEs' "Read the code" tables, and their
 * size summaries ("6 files, 585 lines (`wc -l …`)"), to what `wc -l` counts today, and prints
 * each count it changed. Run it after editing a file of a tour: `npm run test:unit` fails while
 * a count is wrong. Exit codes: 0 done, 1 a README names a file that is not there.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DocsError, ROOT, readmes, updateCounts } from "./read-the-code.ts";

let changed = 0;
let where = "";
try {
  for (const readme of readmes()) {
    where = path.relative(ROOT, readme);
    const text = readFileSync(readme, "utf8");
    const updated = updateCounts(text, path.dirname(readme));
    for (const { file, stated, actual } of updated.rows) {
      if (stated !== String(actual))
        console.log(`${where}: ${path.relative(ROOT, file)} ${stated} → ${actual}`);
    }
    for (const { command, stated, actual } of updated.summaries) {
      if (stated.files !== actual.files || stated.lines !== actual.lines) {
        console.log(
          `${where}: wc -l ${command}: ${stated.lines} → ${actual.lines} lines in ${actual.files} files`,
        );
      }
    }
    if (updated.text === text) continue;
    writeFileSync(readme, updated.text);
    changed++;
  }
} catch (error) {
  if (!(error instanceof DocsError)) throw error;
  console.error(`docs:counts: ${where}: ${error.message}`);
  process.exit(1);
}
console.log(
  changed === 0 ? "docs:counts: every count was right" : `docs:counts: ${changed} README(s) rewritten`,
);

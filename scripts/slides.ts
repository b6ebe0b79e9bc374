/**
 * `npm run slides`: builds docs/slides.html from docs/slides.md with Marp, offline, and
 * docs/slides.pdf too when a Chromium is installed (/usr/bin/chromium, or the one CHROMIUM_PATH
 * names; never a downloaded one). `npm run slides -- --out <folder>` writes them elsewhere.
 * Both files are build output, which git ignores.
 *
 * Exit codes: 0 built, 1 Marp failed (its message says why), 2 a bad argument.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { marpCli } from "@marp-team/marp-cli";

const root = path.resolve(import.meta.dirname, "..");
const source = path.join(root, "docs/slides.md");

let out: string;
try {
  const { values } = parseArgs({ options: { out: { type: "string", default: path.join(root, "docs") } } });
  out = path.resolve(values.out);
} catch (error) {
  console.error(`slides: ${(error as Error).message} (usage: npm run slides -- [--out <folder>])`);
  process.exit(2);
}

mkdirSync(out, { recursive: true });
let code = await marpCli([source, "--output", path.join(out, "slides.html")]);
const browser = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (code === 0 && existsSync(browser)) {
  code = await marpCli([
    source,
    "--pdf",
    "--browser-path",
    browser,
    "--output",
    path.join(out, "slides.pdf"),
  ]);
} else if (code === 0) {
  console.log(`slides: no browser at ${browser}, so no PDF (set CHROMIUM_PATH to a Chromium or Chrome)`);
}
process.exitCode = code === 0 ? 0 : 1;

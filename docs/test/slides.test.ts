/**
 * `npm run slides` builds the deck, one slide per `---`-separated part of docs/slides.md. It needs
 * the browser for the PDF, hence not a unit test.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/workspace.ts";

/** Slides in Marp Markdown: the `---` lines outside code blocks and the front matter, plus one. */
function slidesIn(markdown: string): number {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, "");
  let inCode = false;
  let separators = 0;
  for (const line of body.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inCode = !inCode;
    else if (!inCode && /^---\s*$/.test(line)) separators += 1;
  }
  return separators + 1;
}

describe("npm run slides", () => {
  const out = mkdtempSync(path.join(tmpdir(), "slides-test-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("builds docs/slides.md into HTML with one slide per part, and into a PDF", async () => {
    await promisify(execFile)("npm", ["run", "slides", "--", "--out", out], { cwd: ROOT });
    const html = readFileSync(path.join(out, "slides.html"), "utf8");
    const markdown = readFileSync(path.join(ROOT, "docs/slides.md"), "utf8");
    const slides = html.match(/<section id="\d+"/g) ?? [];
    expect(slides.length).toBe(slidesIn(markdown));
    expect(slides.length).toBeGreaterThan(10);
    expect(readFileSync(path.join(out, "slides.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
  }, 120_000);
});

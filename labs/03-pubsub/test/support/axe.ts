import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults } from "axe-core";
import type { Page } from "playwright-core";

/** axe-core's script, from node_modules: no CDN. */
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * What axe-core finds wrong with the page as it stands, one line per rule broken: `[]` when
 * nothing is. Every rule but the experimental ones (best practices included).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated by the browser's devtools protocol, which the page's Content-Security-Policy does not cover.
  await page.evaluate(AXE);
  const { violations } = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  return violations.map(
    ({ id, help, nodes }) => `${id}: ${help} (${nodes.map(({ target }) => target.join(" ")).join(", ")})`,
  );
}

/**
 * Turns a README into tests: one per block, in the README's order, each failing with the line,
 * the command and its output; a failure skips the rest of that README, which builds on it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { namesUsedBy } from "./docker-names.ts";
import type { Marker } from "./markers.ts";
import { parseReadme, type Step } from "./readme.ts";
import { ReadmeRun } from "./readme-run.ts";
import { ROOT } from "./workspace.ts";

export interface ReadmeOptions {
  /** More environment for the README's terminals. */
  env?: Record<string, string>;
  /** Ports the README uses that its commands do not name: checked free once it is done. */
  ports?: number[];
}

const LOCK_TIMEOUT_MS = 20 * 60_000;
const MARGIN_MS = 2 * 60_000;

export function describeReadme(file: string, options: ReadmeOptions = {}): void {
  const readme = parseReadme(readFileSync(path.join(ROOT, file), "utf8"));
  describe(file, () => {
    if (readme.markers === 0) {
      it.todo(`runs ${file} once its shell blocks are marked (docs/testing-docs.md)`);
      return;
    }
    const commands = readme.steps.flatMap((step) =>
      step.type === "shell" && step.marker.kind !== "skip"
        ? step.commands.map((command) => command.text)
        : [],
    );
    const run = new ReadmeRun(file, namesUsedBy(commands, ROOT), studentEnvironment(options.env));
    beforeAll(() => run.begin(LOCK_TIMEOUT_MS), LOCK_TIMEOUT_MS + MARGIN_MS);
    afterAll(() => run.end(options.ports ?? []), 5 * 60_000);

    it(`marks every shell block of ${file}`, () => {
      run.failed = readme.problems.length > 0;
      expect(readme.problems.map(({ line, message }) => `${file}:${line}: ${message}`)).toEqual([]);
    });

    // Headings and stop markers run before the block that follows them.
    let pending: Step[] = [];
    let skipped = false;
    for (const step of readme.steps) {
      pending.push(step);
      if (!("marker" in step)) continue;
      const steps = pending;
      pending = [];
      const title = `${file}:${step.line} ${describeStep(step)}`;
      const skip = skipReason(step.marker, step.type === "output" && skipped);
      if (step.type === "shell") skipped = skip !== undefined;
      if (skip !== undefined) {
        it.skip(`${title} (skipped: ${skip})`);
        continue;
      }
      it(
        title,
        async (context) => {
          if (run.failed) context.skip(`a step before it failed, and ${file} builds on it`);
          for (const each of steps) await run.step(each);
        },
        (step.marker.withinMs ?? 10 * 60_000) + MARGIN_MS,
      );
    }
  });
}

function skipReason(marker: Marker, blockSkipped: boolean): string | undefined {
  if (marker.kind === "skip") return marker.reason;
  if (blockSkipped) return "the block whose output it shows is skipped";
  return undefined;
}

function describeStep(step: Step): string {
  if (step.type === "output") return `shows the output of ${step.marker.name ?? "the block above"}`;
  if (step.type !== "shell") return step.type;
  const text = step.commands.map((command) => command.text.split("\n")[0]).join("; ");
  const quoted = `"${text.length > 90 ? `${text.slice(0, 89)}…` : text}"`;
  const where = step.marker.freshClone
    ? " in a fresh clone"
    : step.marker.folder
      ? ` in ${step.marker.folder}`
      : "";
  const { kind, exitCode, until } = step.marker;
  if (kind === "background")
    return `starts ${quoted}${where} in the background${until ? ` until "${until}"` : ""}`;
  return exitCode === 0
    ? `runs ${quoted}${where}`
    : `runs ${quoted}${where} and fails with exit code ${exitCode}`;
}

/**
 * The environment of a student's terminal: this process's, without what vitest and npm add
 * (the test flags, npm's settings, node_modules/.bin on the PATH) and without an outer run's.
 */
function studentEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(VITEST|npm_|BASH_FUNC_|__DOCS_)/.test(key) ||
      ["TEST", "NODE_ENV", "INIT_CWD", "NODE"].includes(key)
    )
      continue;
    env[key] = value;
  }
  const dirs = (process.env.PATH ?? "").split(path.delimiter);
  env.PATH = dirs.filter((dir) => !dir.split(path.sep).includes("node_modules")).join(path.delimiter);
  return { ...env, ...extra };
}

import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Exercise } from "../../types.ts";

/** The instructor's repository, whose tools the fixture copies. */
export const REPO = path.resolve(import.meta.dirname, "../../..");

/**
 * The fixture's exercises: a TypeScript function (node), a compose setting in YAML (node: its check
 * reads the file) and a Redis counter (redis); one hidden check. Worth 12 points.
 */
export const FIXTURE_EXERCISES: Exercise[] = [
  {
    id: "lab01.fixture-sum",
    lab: "01",
    title: "Add numbers up",
    task: "Return the sum of the values.",
    points: 5,
    files: ["labs/01-fixture/src/sum.ts"],
    hints: ["Array.prototype.reduce walks the values.", "Start the reduction at 0."],
    needs: "node",
    checks: [
      { file: "labs/01-fixture/test/exercises/sum.test.ts", name: "sum > adds the values", points: 2 },
      { file: "labs/01-fixture/test/exercises/sum.test.ts", name: "sum > gives 0 for no values", points: 1 },
      {
        file: "labs/01-fixture/test/exercises/sum.hidden.test.ts",
        name: "adds negative values",
        points: 2,
        hidden: true,
      },
    ],
  },
  {
    id: "lab01.fixture-volume",
    lab: "01",
    title: "Mount the shared volume read-only",
    task: "Give the reader the shared volume at /data, read-only.",
    points: 3,
    files: ["labs/01-fixture/compose.yml"],
    hints: ["A volume entry reads name:path:mode."],
    needs: "node",
    checks: [
      {
        file: "labs/01-fixture/test/exercises/volume.test.ts",
        name: "the reader's volume is read-only",
        points: 3,
      },
    ],
  },
  {
    id: "lab02.fixture-counter",
    lab: "02",
    title: "Count visits in Redis",
    task: "Add one to the counter and return its new value.",
    points: 4,
    files: ["labs/02-fixture/src/counter.ts"],
    hints: ["One Redis command does both.", "INCR key"],
    needs: "redis",
    checks: [
      {
        file: "labs/02-fixture/test/exercises/counter.test.ts",
        name: "counts from 1, one at a time",
        points: 4,
      },
    ],
  },
];

/** A file's lines (markers written as strings, so that this file holds no region itself). */
const FILES: Record<string, string[]> = {
  "labs/01-fixture/src/sum.ts": [
    "export function sum(values: number[]): number {",
    "  // #region solution lab01.fixture-sum",
    "  return values.reduce((total, value) => total + value, 0);",
    "  // #endregion",
    "}",
  ],
  "labs/01-fixture/test/exercises/sum.test.ts": [
    'import { describe, expect, it } from "vitest";',
    'import { sum } from "../../src/sum.ts";',
    'describe("sum", () => {',
    '  it("adds the values", () => expect(sum([1, 2, 3])).toBe(6));',
    '  it("gives 0 for no values", () => expect(sum([])).toBe(0));',
    "});",
  ],
  "labs/01-fixture/test/exercises/sum.hidden.test.ts": [
    'import { expect, it } from "vitest";',
    'import { sum } from "../../src/sum.ts";',
    'it("adds negative values", () => expect(sum([-1, -2])).toBe(-3));',
  ],
  "labs/01-fixture/compose.yml": [
    "services:",
    "  reader:",
    "    image: busybox",
    "    volumes:",
    "      # #region solution lab01.fixture-volume",
    "      - shared:/data:ro",
    "      # #endregion",
    "volumes:",
    "  shared:",
  ],
  "labs/01-fixture/test/exercises/volume.test.ts": [
    'import { readFileSync } from "node:fs";',
    'import { expect, it } from "vitest";',
    'import { parse } from "yaml";',
    'it("the reader\'s volume is read-only", () => {',
    '  const compose = parse(readFileSync(new URL("../../compose.yml", import.meta.url), "utf8"));',
    '  expect(compose.services.reader.volumes).toEqual(["shared:/data:ro"]);',
    "});",
  ],
  "labs/02-fixture/src/counter.ts": [
    'import type { RedisClientType } from "redis";',
    "",
    "export async function increment(client: RedisClientType, key: string): Promise<number> {",
    "  // #region solution lab02.fixture-counter",
    "  return client.incr(key);",
    "  // #endregion",
    "}",
  ],
  "labs/02-fixture/test/exercises/counter.test.ts": [
    'import { connectRedis, test } from "@gps-workshop/shared/testing";',
    'import { expect } from "vitest";',
    'import { increment } from "../../src/counter.ts";',
    'test("counts from 1, one at a time", async ({ redis }) => {',
    "  const client = await connectRedis(redis.url);",
    '  const key = redis.prefix + "visits";',
    "  expect(await increment(client, key)).toBe(1);",
    "  expect(await increment(client, key)).toBe(2);",
    "});",
  ],
  "labs/01-fixture/README.md": [
    "# Lab 01 (fixture)",
    "",
    "<!-- exercises:start -->",
    "<!-- exercises:end -->",
  ],
  "labs/02-fixture/README.md": [
    "# Lab 02 (fixture)",
    "",
    "<!-- exercises:start -->",
    "<!-- exercises:end -->",
  ],
  "vitest.config.ts": [
    'import { defineConfig } from "vitest/config";',
    'export default defineConfig({ test: { include: ["labs/*/test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 } });',
  ],
  "exercises/list.ts": [
    'import { ROOT } from "./repo.ts";',
    'import type { Exercise } from "./types.ts";',
    'import { validateList } from "./validate.ts";',
    `const fixture: Exercise[] = ${JSON.stringify(FIXTURE_EXERCISES)};`,
    "export const exercises = validateList(fixture, { root: ROOT, total: 12 });",
  ],
};

/** The tools' files, which the fixture copies: everything in exercises/ but the list and its tests. */
function toolFiles(): string[] {
  return readdirSync(path.join(REPO, "exercises")).filter(
    (file) => file.endsWith(".ts") && !/^(list|lab0\d|vitest\.config)\.ts$/.test(file),
  );
}

export interface FixtureRepo {
  /** A folder holding node_modules (a link to the workshop's) and the repositories made in it. */
  home: string;
  /** The fixture's instructor copy, a git repository with every file staged. */
  root: string;
  remove(): void;
}

/**
 * Makes the fixture's instructor copy in a new temporary folder. The workshop's node_modules is
 * linked from the folder above it, where node finds it, so that `npm ci` in a copy (which empties
 * the copy's own node_modules) never reaches the workshop's.
 */
export function makeFixtureRepo(): FixtureRepo {
  const home = mkdtempSync(path.join(tmpdir(), "exercises-fixture-"));
  symlinkSync(path.join(REPO, "node_modules"), path.join(home, "node_modules"));
  const root = path.join(home, "solution");
  for (const file of toolFiles())
    cpSync(path.join(REPO, "exercises", file), path.join(root, "exercises", file));
  cpSync(path.join(REPO, ".gitignore"), path.join(root, ".gitignore"));
  const scripts = {
    grade: "tsx --conditions=development exercises/grade.ts",
    exercises: "tsx --conditions=development exercises/runner.ts",
    starter: "tsx --conditions=development exercises/starter.ts",
  };
  const files: Record<string, string[]> = {
    ...FILES,
    "package.json": [JSON.stringify({ name: "fixture", private: true, type: "module", scripts }, null, 2)],
    "package-lock.json": [
      JSON.stringify({
        name: "fixture",
        lockfileVersion: 3,
        requires: true,
        packages: { "": { name: "fixture" } },
      }),
    ],
  };
  for (const [file, lines] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), `${lines.join("\n")}\n`);
  }
  git(root, "init", "--quiet", "--initial-branch", "main");
  git(root, "add", "--all");
  return { home, root, remove: () => rmSync(home, { recursive: true, force: true }) };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.name=Fixture", "-c", "user.email=fixture@example.invalid", ...args],
    {
      cwd,
      encoding: "utf8",
    },
  );
}

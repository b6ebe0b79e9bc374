import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { connectRedis, startNodeProcess } from "@gps-workshop/shared/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readmeTables } from "../readme.ts";
import { withSolution } from "../regions.ts";
import { FIXTURE_EXERCISES, makeFixtureRepo } from "./support/fixture-repo.ts";
import { tool, toolEnv } from "./support/tools.ts";

const fixture = makeFixtureRepo();
const starter = path.join(fixture.home, "starter");
beforeAll(async () => {
  expect((await tool(fixture.root, "starter", [starter])).code).toBe(0);
});
afterAll(() => fixture.remove());

let copies = 0;
/** A student's copy of the starter, with the solution of the exercises given. */
function student(...solved: string[]): string {
  const root = path.join(fixture.home, `student-${++copies}`);
  cpSync(starter, root, { recursive: true });
  for (const id of solved) solve(root, id);
  return root;
}
function solve(root: string, id: string, save = writeFileSync): void {
  for (const file of FIXTURE_EXERCISES.find((exercise) => exercise.id === id)?.files ?? []) {
    const mine = readFileSync(path.join(root, file), "utf8");
    save(
      path.join(root, file),
      withSolution(mine, readFileSync(path.join(fixture.root, file), "utf8"), file, id),
    );
  }
}
const read = (root: string, file: string) => readFileSync(path.join(root, file), "utf8");

describe("npm run exercises", () => {
  it("shows every exercise to do in a new copy, having checked the node-only ones, then the first one's region and task", async () => {
    const run = await tool(student(), "runner");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Checking lab01.fixture-sum, lab01.fixture-volume…");
    expect(run.stdout).toMatch(/^01 +lab01\.fixture-sum +5 +to do$/m);
    expect(run.stdout).toMatch(/^02 +lab02\.fixture-counter +4 +to do$/m);
    expect(run.stdout).toContain("Done: 0 of 3 exercises, 0 of 12 points.");
    expect(run.stdout).toContain(
      [
        'Next: lab01.fixture-sum, "Add numbers up" (5 points)',
        "  labs/01-fixture/src/sum.ts:3",
        "  Return the sum of the values.",
        "  Check it on every save:  npm run exercises -- --watch",
        "  A hint:                  npm run exercises -- hint lab01.fixture-sum",
      ].join("\n"),
    );
  });

  it("marks a solved node-only exercise done, and says when a Redis-backed one changed since its verdict", async () => {
    const root = student("lab01.fixture-sum");
    writeFileSync(
      path.join(root, ".exercises-state.json"),
      JSON.stringify({
        verdicts: { "lab02.fixture-counter": { hash: "before the change", passed: true } },
        hints: {},
      }),
    );
    const run = await tool(root, "runner");
    expect(run.stdout).toMatch(/^01 +lab01\.fixture-sum +5 +done$/m);
    expect(run.stdout).toMatch(/^02 +lab02\.fixture-counter +4 +changed — re-check$/m);
    expect(run.stdout).toContain(
      'Next: lab01.fixture-volume, "Mount the shared volume read-only" (3 points)',
    );
    expect(run.stdout).toContain("  labs/01-fixture/compose.yml:6");
    // Its verdict is kept: the next run checks nothing.
    expect((await tool(root, "runner")).stdout).not.toContain("Checking");
  });

  it("gives the hints one at a time, remembers where it is, and says when there are no more", async () => {
    const root = student();
    const hint = async () => (await tool(root, "runner", ["hint", "lab01.fixture-sum"])).stdout;
    expect(await hint()).toBe(
      "Hint 1 of 2 for lab01.fixture-sum:\n  Array.prototype.reduce walks the values.\n",
    );
    expect(await hint()).toBe(
      "Hint 2 of 2 for lab01.fixture-sum:\n  Start the reduction at 0.\nThat was the last one.\n",
    );
    expect(await hint()).toBe(
      "No more hints for lab01.fixture-sum: you have seen all 2. The last one again:\n  Start the reduction at 0.\n",
    );
  });

  it("shows what reset replaces, leaves it on no, and puts the starter's version back on yes or with --yes", async () => {
    const root = student("lab01.fixture-sum");
    const file = "labs/01-fixture/src/sum.ts";
    const solved = read(root, file);

    const no = await tool(root, "runner", ["reset", "lab01.fixture-sum"], { input: "n\n" });
    expect(no.code).toBe(0);
    expect(no.stdout).toContain(
      "labs/01-fixture/src/sum.ts:2-4, now:\n-   return values.reduce((total, value) => total + value, 0);\nbecomes:\n+   // Hint: Array.prototype.reduce walks the values.\n+   throw new Error(",
    );
    expect(no.stdout).toContain("Nothing changed.");
    expect(read(root, file)).toBe(solved);

    expect((await tool(root, "runner", ["reset", "lab01.fixture-sum"], { input: "y\n" })).code).toBe(0);
    expect(read(root, file)).toBe(read(starter, file));

    solve(root, "lab01.fixture-sum");
    const yes = await tool(root, "runner", ["reset", "lab01.fixture-sum", "--yes"]);
    expect(yes.stdout).toContain(
      "lab01.fixture-sum is back to the starter's version in labs/01-fixture/src/sum.ts.",
    );
    expect(read(root, file)).toBe(read(starter, file));
  });

  it("rewrites each lab README's table from the list, and finds them in agreement afterwards", async () => {
    const root = student();
    expect(readmeTables(root, FIXTURE_EXERCISES).every((table) => table.expected === table.actual)).toBe(
      false,
    );
    const run = await tool(root, "runner", ["readme"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "labs/01-fixture/README.md: exercise table rewritten\nlabs/02-fixture/README.md: exercise table rewritten\n",
    );
    expect(read(root, "labs/01-fixture/README.md")).toBe(
      [
        "# Lab 01 (fixture)",
        "",
        "<!-- exercises:start -->",
        "",
        "| Exercise               | Points | What you write                    |",
        "| ---------------------- | ------ | --------------------------------- |",
        "| `lab01.fixture-sum`    | 5      | Add numbers up                    |",
        "| `lab01.fixture-volume` | 3      | Mount the shared volume read-only |",
        "",
        "8 points in this lab. `npm run exercises` shows your progress and the next exercise to write.",
        "",
        "<!-- exercises:end -->",
        "",
      ].join("\n"),
    );
    expect(readmeTables(root, FIXTURE_EXERCISES).every((table) => table.expected === table.actual)).toBe(
      true,
    );
    expect((await tool(root, "runner", ["readme"])).stdout).toBe(
      "Every exercise table already agrees with the list.\n",
    );

    writeFileSync(path.join(root, "labs/02-fixture/README.md"), "# Lab 02 (fixture)\n");
    const unmarked = await tool(root, "runner", ["readme"]);
    expect(unmarked.code).toBe(1);
    expect(unmarked.stderr).toContain(
      "labs/02-fixture/README.md has exercises but no <!-- exercises:start -->",
    );
  });

  it("answers a command line it cannot run with one line and exit code 2", async () => {
    const root = starter;
    for (const [args, message] of [
      [["sing"], 'exercises: unknown command "sing"; usage: npm run exercises'],
      [["hint"], "exercises: which exercise? usage: npm run exercises"],
      [
        ["reset", "lab07.nope"],
        'exercises: unknown exercise "lab07.nope": the exercises are lab01.fixture-sum',
      ],
      [["readme", "--yes"], "exercises: usage: npm run exercises"],
    ] as const) {
      const run = await tool(root, "runner", [...args]);
      expect(run.code).toBe(2);
      expect(run.stderr.split("\n").filter(Boolean)).toEqual([expect.stringContaining(message)]);
    }
  });
});

describe("npm run exercises -- --watch", () => {
  const watch = (root: string, args: string[] = []) =>
    startNodeProcess(path.join(root, "exercises/runner.ts"), {
      args: ["--watch", ...args],
      env: Object.fromEntries(
        Object.entries(toolEnv()).flatMap(([name, value]) => (value === undefined ? [] : [[name, value]])),
      ),
    });
  const waitFor = (output: () => string, text: string, timeout = 60_000) =>
    vi.waitFor(() => expect(output()).toContain(text), { timeout, interval: 50 });

  it("re-checks on each save, prints the first failure's message, and moves on when the checks pass", async () => {
    const root = student();
    const running = watch(root);
    await waitFor(
      running.stdout,
      '✗ 2 of 2 checks fail. First: "sum > adds the values"\n    TODO(lab01.fixture-sum): Add numbers up',
    );

    solve(root, "lab01.fixture-sum");
    await waitFor(running.stdout, "✓ lab01.fixture-sum passes its checks (5 points).");
    await waitFor(
      running.stdout,
      'Watching lab01.fixture-volume, "Mount the shared volume read-only" (3 points)',
    );
    await waitFor(running.stdout, "    expected null to deeply equal [ 'shared:/data:ro' ]");

    solve(root, "lab01.fixture-volume");
    await waitFor(running.stdout, "✓ lab01.fixture-volume passes its checks (3 points).");
    await waitFor(running.stdout, '✗ 1 of 1 checks fail. First: "counts from 1, one at a time"');

    // Two failing saves, then the solution: all against the one Redis the watch started.
    const counter = path.join(root, "labs/02-fixture/src/counter.ts");
    writeFileSync(
      counter,
      read(root, "labs/02-fixture/src/counter.ts").replace("throw new", "// saved\n  throw new"),
    );
    await vi.waitFor(() => expect(running.stdout().match(/✗ 1 of 1 checks fail/g)).toHaveLength(2), {
      timeout: 30_000,
    });
    solve(root, "lab02.fixture-counter");
    await waitFor(running.stdout, "✓ lab02.fixture-counter passes its checks (4 points).");
    expect(running.stdout().match(/Redis for the checks: /g)).toHaveLength(1);

    await waitFor(running.stdout, "Every exercise passes its checks");
    expect(await running.exited, running.stderr()).toEqual({ code: 0, signal: null });
    const status = await tool(root, "runner");
    expect(status.stdout).toContain("Done: 3 of 3 exercises, 12 of 12 points.");
  });

  it("runs Redis-backed checks against its one Redis; stops on Ctrl-C with exit code 0, removing that Redis", async () => {
    const running = watch(student("lab02.fixture-counter"), ["lab02.fixture-counter"]);
    await waitFor(running.stdout, "✓ lab02.fixture-counter passes its checks (4 points).");
    const url = /Redis for the checks: (\S+)/.exec(running.stdout())?.[1] ?? "";
    // The check ran there, under the key prefix the harness gives a file when REDIS_URL is set.
    const redis = await connectRedis(url);
    expect(await redis.keys("test:*:visits")).toHaveLength(1);
    const port = new URL(url).port;
    const redisContainers = () =>
      execFileSync("docker", ["ps", "--quiet", "--filter", `publish=${port}`], { encoding: "utf8" }).trim();
    expect(redisContainers()).not.toBe("");

    running.child.kill("SIGINT");
    expect(await running.exited, running.stderr()).toEqual({ code: 0, signal: null });
    expect(redisContainers()).toBe("");
  });
});

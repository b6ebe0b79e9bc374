import path from "node:path";
import { Writable } from "node:stream";
import { createVitest } from "vitest/node";
import type { Exercise } from "../../types.ts";

/**
 * The full names of the tests of each file, as vitest collects them: it imports each file and
 * reads its describe and test calls without running a test (its static parse guesses names, and
 * gets `test.each` and fixtures wrong). No global setup: collecting needs no Docker.
 */
export async function collectTestNames(
  root: string,
  files: string[],
): Promise<Map<string, string[] | Error>> {
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const vitest = await createVitest(
    { root, config: path.join(root, "vitest.config.ts"), watch: false, reporters: [], globalSetup: [] },
    {},
    { stdout: quiet, stderr: quiet },
  );
  try {
    const { testModules } = await vitest.collect(
      files.map((file) => path.join(root, file)),
      { staticParse: false },
    );
    const names = new Map<string, string[] | Error>();
    for (const module of testModules) {
      const [error] = module.errors();
      const file = path.relative(root, module.moduleId);
      names.set(
        file,
        error ? new Error(error.message) : [...module.children.allTests()].map((test) => test.fullName),
      );
    }
    return names;
  } finally {
    await vitest.close();
  }
}

/**
 * Where the list and the check files disagree: a listed check with no test of that name, a test
 * of a check file that is not listed, two tests of one name, a check file that cannot be collected.
 */
export async function checkNameProblems(root: string, list: readonly Exercise[]): Promise<string[]> {
  const files = [...new Set(list.flatMap((exercise) => exercise.checks.map((check) => check.file)))];
  const collected =
    files.length > 0 ? await collectTestNames(root, files) : new Map<string, string[] | Error>();
  const problems: string[] = [];
  for (const file of files) {
    const names = collected.get(file);
    if (names === undefined)
      problems.push(`${file}: vitest does not collect it (missing, or no project includes it)`);
    else if (names instanceof Error) problems.push(`${file}: cannot be collected: ${names.message}`);
    else {
      const listed = list.flatMap((exercise) => exercise.checks.filter((check) => check.file === file));
      for (const check of listed) {
        if (!names.includes(check.name)) problems.push(`${file}: no test named "${check.name}"`);
      }
      for (const [index, name] of names.entries()) {
        if (!listed.some((check) => check.name === name))
          problems.push(`${file}: test "${name}" is not a listed check`);
        if (names.indexOf(name) !== index) problems.push(`${file}: two tests are named "${name}"`);
      }
    }
  }
  return problems;
}

import { existsSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import {
  createVitest,
  type Reporter,
  type SerializedError,
  type TestModule,
  type TestSuite,
} from "vitest/node";
import type { Check } from "./types.ts";

/** What one listed check did in a run. */
export interface Outcome {
  passed: boolean;
  /** Why it failed: its first error, or why it did not run. */
  message?: string;
  /** What failed when the machine, not the code, is at fault: the message of an EnvironmentError. */
  environment?: string;
}

/** One vitest kept open: runs check files, again and again for the watch. */
export interface Checker {
  /** Runs the files of these checks (those on disk) in one vitest run; what each check did. */
  run(checks: readonly Check[]): Promise<Map<Check, Outcome>>;
  /** Forgets what was loaded of a file that changed on disk, so that the next run reads it anew. */
  changed(file: string): void;
  close(): Promise<void>;
}

/**
 * Opens vitest on the repository's own configuration, through its Node API rather than its JSON
 * report: the report drops the errors of hooks (a `beforeAll` that cannot build an image leaves its
 * tests "skipped", with no message) and the names of errors, and an EnvironmentError is told by
 * its name. The global setup is left out: it stops a run at once when Docker is down, where each
 * check should say so itself. `env` reaches the test processes (REDIS_URL for the watch's Redis).
 */
export async function openChecker(root: string, env: Record<string, string> = {}): Promise<Checker> {
  const runs: { modules: readonly TestModule[]; unhandled: readonly SerializedError[] }[] = [];
  const reporter: Reporter = {
    onTestRunEnd(modules, unhandled) {
      runs.push({ modules, unhandled });
    },
  };
  // What tests print (the services' logs) goes nowhere: a grade is a table, not a wall of logs.
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  // vitest's logger exits the process 1 ms after a Ctrl-C, as a test run may; the watch must
  // first stop its Redis. Its signal listeners go, whenever it adds them.
  const ours = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
  const dropVitestSignalListeners = () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      for (const listener of process.listeners(signal)) {
        if (!ours[signal].includes(listener)) process.off(signal, listener);
      }
    }
  };
  const vitest = await createVitest(
    {
      root,
      config: path.join(root, "vitest.config.ts"),
      watch: false,
      reporters: [reporter],
      globalSetup: [],
      env,
    },
    {},
    { stdout: quiet, stderr: quiet },
  );
  dropVitestSignalListeners();
  return {
    async run(checks) {
      const files = [...new Set(checks.map((check) => path.join(root, check.file)))].filter(existsSync);
      const wanted = new Set(files);
      const specifications = (await vitest.getRelevantTestSpecifications(files)).filter((specification) =>
        wanted.has(specification.moduleId),
      );
      runs.length = 0;
      if (specifications.length > 0) await vitest.runTestSpecifications(specifications);
      dropVitestSignalListeners();
      const modules = runs.flatMap((run) => run.modules);
      const unhandled = runs.flatMap((run) => run.unhandled).find(environmentError);
      return new Map(checks.map((check) => [check, outcomeOf(check, root, modules, unhandled)]));
    },
    changed: (file) => vitest.invalidateFile(path.join(root, file)),
    close: () => vitest.close(),
  };
}

function outcomeOf(
  check: Check,
  root: string,
  modules: readonly TestModule[],
  unhandled: SerializedError | undefined,
): Outcome {
  if (unhandled) return failure([unhandled], "");
  const module = modules.find((candidate) => candidate.moduleId === path.join(root, check.file));
  if (!module) {
    const why = existsSync(path.join(root, check.file))
      ? "no vitest project includes it"
      : "it is not on disk";
    return { passed: false, message: `${check.file} did not run: ${why}` };
  }
  const test = [...module.children.allTests()].find((candidate) => candidate.fullName === check.name);
  if (!test) return failure(module.errors(), `no test named "${check.name}" in ${check.file}`);
  const result = test.result();
  if (result.state === "passed") return { passed: true };
  if (result.state === "failed") return failure(result.errors, "failed");
  // Skipped or never finished: a failed hook of a suite around it, or of the file, says why.
  const errors: SerializedError[] = [];
  let parent: TestSuite | TestModule = test.parent;
  while (parent.type === "suite") {
    errors.push(...parent.errors());
    parent = parent.parent;
  }
  errors.push(...parent.errors());
  return failure(
    errors,
    result.state === "skipped" ? "skipped: a check that does not run counts as failed" : "did not finish",
  );
}

function failure(errors: readonly SerializedError[], otherwise: string): Outcome {
  const environment = errors.map(environmentError).find(Boolean);
  if (environment) return { passed: false, message: environment.message, environment: environment.message };
  return { passed: false, message: errors[0]?.message ?? otherwise };
}

/** The EnvironmentError (from shared/testing) that is this error or, down its causes, caused it. */
function environmentError(error: SerializedError | undefined): SerializedError | undefined {
  if (!error) return undefined;
  return error.name === "EnvironmentError" ? error : environmentError(error.cause);
}

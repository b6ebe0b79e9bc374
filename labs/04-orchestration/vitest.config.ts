import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "lab-04-orchestration",
    include: ["test/**/*.test.ts"],
    // Swarm mode on from the first test that needs it (and off again after the run, if it was
    // off), and the test stacks removed at the end, whatever happened.
    globalSetup: ["test/support/swarm-mode.ts"],
    // One swarm: the files run one after the other, after the labs' tests, whose containers would
    // otherwise share the two CPUs with the timing of a rolling update, and after the READMEs:
    // lab 04's turns swarm mode on and off by itself (the order: ../../vitest.config.ts).
    fileParallelism: false,
    sequence: { groupOrder: 4 },
    // A deploy converges in tens of seconds; an update with its rollback takes a minute or two.
    testTimeout: 240_000,
    hookTimeout: 420_000,
  },
});

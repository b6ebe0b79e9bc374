import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "lab-04-orchestration",
    include: ["test/**/*.test.ts"],
    // Swarm mode on for the run (and off again after it, if it was off), and the test stacks
    // removed at the end, whatever happened.
    globalSetup: ["test/support/swarm-mode.ts"],
    // One swarm: the files run one after the other, and after the other projects, whose
    // containers would otherwise share the two CPUs with the timing of a rolling update.
    fileParallelism: false,
    sequence: { groupOrder: 1 },
    // A deploy converges in tens of seconds; an update with its rollback takes a minute or two.
    testTimeout: 240_000,
    hookTimeout: 420_000,
  },
});

import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "exercises",
    include: ["test/**/*.test.ts"],
    // The end-to-end tests install a starter and grade whole repositories with real containers.
    // Last: their grades run lab 04's checks, which find swarm mode on from lab 04's tests (on
    // until the end of the run) rather than turn it on and off under other projects' stacks.
    sequence: { groupOrder: 5 },
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});

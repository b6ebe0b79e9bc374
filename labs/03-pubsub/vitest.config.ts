import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "lab-03-pubsub",
    include: ["test/**/*.test.ts"],
    sequence: { groupOrder: 1 }, // the order of the run: ../../vitest.config.ts
    // Containers start in the first test of a file, and outage tests wait for reconnections.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "lab-02-rest",
    include: ["test/**/*.test.ts"],
    sequence: { groupOrder: 1 }, // the order of the run: ../../vitest.config.ts
    // Integration tests start Redis containers and wait through real time windows.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "lab-01-simplest",
    include: ["test/**/*.test.ts"],
    sequence: { groupOrder: 1 }, // the order of the run: ../../vitest.config.ts
    // The container and compose tests build images: tens of seconds when the layer cache is cold.
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});

import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "scripts",
    include: ["test/**/*.test.ts"],
    sequence: { groupOrder: 1 }, // the order of the run: ../vitest.config.ts
    // Bringing both stacks up builds two images: minutes on a cold cache.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});

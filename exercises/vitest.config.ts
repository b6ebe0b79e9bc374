import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "exercises",
    include: ["test/**/*.test.ts"],
    // The end-to-end tests install a starter and grade whole repositories with real containers.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});

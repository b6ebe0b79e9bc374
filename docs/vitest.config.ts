import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "docs",
    include: ["test/**/*.test.ts"],
    // Each README test sets its own timeouts, from the deadlines its markers give.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

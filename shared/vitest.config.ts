import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "shared",
    include: ["test/**/*.test.ts"],
    sequence: { groupOrder: 1 }, // the order of the run: ../vitest.config.ts
  },
});

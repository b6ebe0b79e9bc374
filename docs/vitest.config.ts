import { defineProject } from "vitest/config";

export const SWARM_README = "test/readme-lab-04-orchestration.test.ts";

export default defineProject({
  test: {
    name: "docs",
    include: ["test/**/*.test.ts"],
    // Lab 04's README runs on its own, last (vitest.swarm.config.ts).
    exclude: [SWARM_README],
    // After the labs' tests (but lab 04's), never at the same time: the READMEs use the labs'
    // images and ports, and their load would make the labs' timing-sensitive tests flaky. (vitest
    // runs the groups one after the other.)
    sequence: { groupOrder: 2 },
    // READMEs mostly wait for Docker: three at a time, even where vitest would give one worker
    // (2 CPUs). READMEs that use the same names or ports still wait for each other.
    maxWorkers: 3,
    // Each README test sets its own timeouts, from the deadlines its markers give.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

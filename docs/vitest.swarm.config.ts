import { defineProject } from "vitest/config";
import { SWARM_README } from "./vitest.config.ts";

// Lab 04's README turns swarm mode on and off. On the engine, that rebuilds the networks, and the
// containers of a compose stack started meanwhile may fail to find each other by name: it runs
// alone, after every other README, and before lab 04's tests, which turn swarm mode on when they
// need it and off at the end of the run.
export default defineProject({
  test: {
    name: "docs-swarm",
    include: [SWARM_README],
    sequence: { groupOrder: 3 },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

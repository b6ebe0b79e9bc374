import { defineConfig } from "vitest/config";

// One run for the whole workshop: each workspace is a project with its own vitest.config.ts. The
// projects run in groups, one group after the other (sequence.groupOrder), numbered from 1 so that
// the order is the same whatever the number of CPUs (vitest puts group 0 last on one worker):
//   1. the GPS library, the service library, labs 01 to 03, the scripts;
//   2. the READMEs (docs/), then 3. lab 04's README, which turns swarm mode on and off;
//   4. lab 04's tests, which turn swarm mode on from their first test to the end of the run;
//   5. the exercises' end-to-end tests, whose grades run lab 04's checks in that swarm.
export default defineConfig({
  test: {
    projects: [
      "shared",
      "shared/service",
      "labs/*",
      "scripts",
      "exercises",
      "docs",
      "docs/vitest.swarm.config.ts",
    ],
    globalSetup: ["shared/testing/global-setup.ts"],
    // The JSON report is what CI reads to count passes and failures.
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});

import { defineConfig } from "vitest/config";

// One run for the whole workshop: each workspace is a project with its own vitest.config.ts.
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

import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

const manifest = JSON.parse(read("package.json")) as {
  engines: { node: string };
  scarfSettings?: { enabled?: boolean };
};
const lockfile = JSON.parse(read("package-lock.json")) as {
  packages: Record<string, { engines?: { node?: string } }>;
};

describe("the root package.json", () => {
  it("asks for the Node major that .nvmrc installs", () => {
    const nvmrc = read(".nvmrc").trim();
    expect(semver.minVersion(manifest.engines.node)?.major).toBe(Number(nvmrc));
  });

  it("allows only Node versions that every installed package supports", () => {
    const unsupported = Object.entries(lockfile.packages).flatMap(([name, entry]) => {
      const needs = entry.engines?.node;
      // "" is the workshop itself.
      if (name === "" || !needs) return [];
      return semver.subset(manifest.engines.node, needs) ? [] : [`${name} needs Node ${needs}`];
    });
    expect(unsupported).toEqual([]);
  });

  it("turns off the install-time analytics that swagger-ui-dist brings in through @scarf/scarf", () => {
    expect(manifest.scarfSettings).toEqual({ enabled: false });
  });
});

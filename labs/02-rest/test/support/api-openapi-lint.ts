/**
 * Lints the API's OpenAPI document with Redocly CLI, by the rules of redocly.yaml:
 *
 *   npm run lint:openapi -w labs/02-rest
 *
 * It writes the document that /openapi.json serves (with the default settings) to a temporary
 * file, and runs Redocly without telemetry or update check: no network call.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEFAULTS } from "../../src/api/app.ts";
import { openApiDocument } from "../../src/api/openapi.ts";
import { windowQuery } from "../../src/api/schemas.ts";

const folder = mkdtempSync(path.join(tmpdir(), "lab02-openapi-"));
writeFileSync(
  path.join(folder, "openapi.json"),
  JSON.stringify(openApiDocument(windowQuery(DEFAULTS.maxWindowSeconds)), null, 2),
);
const redocly = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");
const config = path.join(import.meta.dirname, "../../redocly.yaml");
const { status } = spawnSync(process.execPath, [redocly, "lint", "openapi.json", "--config", config], {
  cwd: folder,
  stdio: "inherit",
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_NOTIFICATIONS: "true" },
});
rmSync(folder, { recursive: true });
process.exitCode = status ?? 1;

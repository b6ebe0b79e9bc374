import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const script = path.resolve(import.meta.dirname, "../dev.ts");
const run = promisify(execFile);

describe("the dev runner", () => {
  it("runs every named npm script at once and prefixes each line with its service", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "dev-runner-"));
    const scripts = { "dev:api": "echo listening on 8000", "dev:replayer": "echo row 1 >&2" };
    await writeFile(path.join(folder, "package.json"), JSON.stringify({ name: "demo", scripts }));
    const { stdout, stderr } = await run(process.execPath, [script, "dev:api", "dev:replayer"], {
      cwd: folder,
    });
    expect(stdout).toContain("api      | listening on 8000\n");
    expect(stderr).toContain("replayer | row 1\n");
    expect(stderr).toContain("api      | exited (code 0)\n");
    expect(stderr).toContain("replayer | exited (code 0)\n");
  });

  it("says what it needs and exits 2 when no script is named", async () => {
    const failure = await run(process.execPath, [script]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr.trim()).toBe(
      "dev: name the npm scripts to run, e.g. node ../../scripts/dev.ts dev:api dev:web",
    );
  });
});

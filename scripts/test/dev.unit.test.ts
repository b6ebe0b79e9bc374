import { spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "@gps-workshop/shared/testing";
import { expect, it, vi } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** True while any process of the group is still alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

it("npm run dev runs a lab's services together, each line prefixed with its service, and Ctrl-C stops them all", async () => {
  const port = String(await freePort());
  // Its own process group, as a terminal gives a command: Ctrl-C signals the whole group.
  const dev = spawn("npm", ["run", "dev", "-w", "labs/01-simplest"], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, LISTEN_PORT: port, LISTENER_PORT: port },
  });
  const pid = dev.pid ?? 0;
  let output = "";
  dev.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  dev.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => dev.once("exit", resolve));
  try {
    await vi.waitFor(
      () => {
        const lines = output.split("\n");
        expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[listener *\\] .*${port}`)));
        expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[publisher *\\] .*${port}`)));
        // The publisher reached the listener: both run at once.
        expect(lines).toContainEqual(expect.stringMatching(/^\[listener *\] Hello from /));
      },
      { timeout: 30_000, interval: 100 },
    );

    process.kill(-pid, "SIGINT");
    await exited;
    await vi.waitFor(() => expect(groupAlive(pid)).toBe(false), { timeout: 10_000, interval: 100 });
  } finally {
    if (groupAlive(pid)) process.kill(-pid, "SIGKILL");
  }
});

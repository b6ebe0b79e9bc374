import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const shutdownModule = path.resolve(import.meta.dirname, "../src/shutdown.ts");

/** Starts a Node process that registers onShutdown with the given close body, and waits until it is ready. */
async function startService(closeBody: string) {
  const source = `
    import { onShutdown } from ${JSON.stringify(shutdownModule)};
    onShutdown("demo", async () => { ${closeBody} }, 300);
    setInterval(() => {}, 1000);
    console.log("ready");
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", source], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  const exited = new Promise<{ code: number | null; ms: number; stderr: string }>((resolve) => {
    const started = performance.now();
    child.once("exit", (code) => resolve({ code, ms: performance.now() - started, stderr }));
  });
  return { child, exited };
}

describe("onShutdown", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("runs close on %s and exits 0 at once", async (signal) => {
    const { child, exited } = await startService("console.error('closed');");
    child.kill(signal);
    const { code, ms, stderr } = await exited;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(1000);
    expect(stderr).toContain(`demo: ${signal} received, shutting down`);
    expect(stderr).toContain("closed");
  });

  it("exits 1 with a reason when close hangs past the timeout", async () => {
    const { child, exited } = await startService("await new Promise(() => {});");
    child.kill("SIGTERM");
    const { code, ms, stderr } = await exited;
    expect(code).toBe(1);
    expect(ms).toBeLessThan(1000);
    expect(stderr).toContain("shutdown took longer than 300 ms");
  });

  it("exits 1 with the error when close fails", async () => {
    const { child, exited } = await startService("throw new Error('redis is gone');");
    child.kill("SIGTERM");
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toContain("error while shutting down: Error: redis is gone");
  });
});

import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@gps-workshop/shared/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startListener, startService, WAIT } from "./support/processes.ts";

let folder: string;
let file: string;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "lab01-reader-"));
  file = path.join(folder, "messages.log");
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("the reader", () => {
  it("waits for the file to appear, then prints what is appended to it", async () => {
    const reader = startService("reader", { INPUT_FILE: file });
    await vi.waitFor(() => expect(reader.stderr()).toContain(`waiting for ${file} to appear`), WAIT);

    await writeFile(file, "one\n");
    await vi.waitFor(() => expect(reader.lines()).toEqual(["one"]), WAIT);
    await appendFile(file, "two\nthr");
    await vi.waitFor(() => expect(reader.lines()).toEqual(["one", "two"]), WAIT);
    await appendFile(file, "ee\n");
    await vi.waitFor(() => expect(reader.lines()).toEqual(["one", "two", "three"]), WAIT);
  });

  it("starts from the top of a file that already exists", async () => {
    await writeFile(file, "old 1\nold 2\n");
    const reader = startService("reader", { INPUT_FILE: file });
    await vi.waitFor(() => expect(reader.lines()).toEqual(["old 1", "old 2"]), WAIT);
  });

  it("reads a truncated file again from its start", async () => {
    await writeFile(file, "a long first line before truncation\n");
    const reader = startService("reader", { INPUT_FILE: file });
    await vi.waitFor(() => expect(reader.lines()).toHaveLength(1), WAIT);

    await truncate(file, 0);
    await vi.waitFor(() => expect(reader.stderr()).toContain("was truncated"), WAIT);
    await appendFile(file, "after\n");
    await vi.waitFor(
      () => expect(reader.lines()).toEqual(["a long first line before truncation", "after"]),
      WAIT,
    );
  });

  it("finishes the old file when it is replaced, then follows the new one from its start", async () => {
    await writeFile(file, "in the old file\n");
    const reader = startService("reader", { INPUT_FILE: file });
    await vi.waitFor(() => expect(reader.lines()).toHaveLength(1), WAIT);

    await appendFile(file, "last words of the old file\n");
    await writeFile(`${file}.new`, "in the new file\n");
    await rename(`${file}.new`, file);
    await vi.waitFor(
      () =>
        expect(reader.lines()).toEqual(["in the old file", "last words of the old file", "in the new file"]),
      WAIT,
    );
    expect(reader.stderr()).toContain("was replaced, reading the new one from the start");
  });

  it("follows the new file after a rotation that renames the old one away", async () => {
    await writeFile(file, "before rotation\n");
    const reader = startService("reader", { INPUT_FILE: file });
    await vi.waitFor(() => expect(reader.lines()).toHaveLength(1), WAIT);

    await rename(file, `${file}.1`);
    await writeFile(file, "after rotation\n");
    await vi.waitFor(() => expect(reader.lines()).toEqual(["before rotation", "after rotation"]), WAIT);
  });

  it("waits for a removed file to come back, then reads all of the new one", async () => {
    await writeFile(file, "before\n");
    const reader = startService("reader", { INPUT_FILE: file });
    await vi.waitFor(() => expect(reader.lines()).toEqual(["before"]), WAIT);

    await rm(file);
    await vi.waitFor(() => expect(reader.stderr()).toContain("was removed"), WAIT);
    // Longer than the old file: reading on from the old position would skip its start.
    await writeFile(file, "after, in a new file\n");
    await vi.waitFor(() => expect(reader.lines()).toEqual(["before", "after, in a new file"]), WAIT);
  });

  it("follows the file a listen-and-dump listener writes", async () => {
    const port = await freePort();
    const listener = await startListener(port, { OUTPUT_FILE: file });
    const reader = startService("reader", { INPUT_FILE: file });
    startService("publisher", {
      LISTENER_HOST: "127.0.0.1",
      LISTENER_PORT: String(port),
      PUB_NAME: "dumped",
      PUBLISH_INTERVAL_MS: "20",
    });

    await vi.waitFor(() => expect(reader.lines().length).toBeGreaterThan(3), WAIT);
    for (const line of reader.lines()) expect(line).toMatch(/^Hello from dumped! /);
    expect(listener.stdout()).toBe("");
  });

  it.each(["SIGTERM", "SIGINT"] as const)("exits 0 on %s", async (signal) => {
    await writeFile(file, "something\n");
    const reader = startService("reader", { INPUT_FILE: file });
    await vi.waitFor(() => expect(reader.lines()).toHaveLength(1), WAIT);

    expect(await reader.stop(signal)).toEqual({ code: 0, signal: null });
    expect(reader.stderr()).toContain(`reader: ${signal} received, shutting down`);
  });

  it("exits 0 on SIGTERM while it waits for the file to appear", async () => {
    const reader = startService("reader", { INPUT_FILE: file });
    await reader.waitForStderr("to appear");
    expect(await reader.stop()).toEqual({ code: 0, signal: null });
  });

  it("follows /data/messages.log when INPUT_FILE is not set", async () => {
    const reader = startService("reader", {});
    await vi.waitFor(
      () => expect(reader.stderr()).toMatch(/^reader: (waiting for|following) \/data\/messages\.log/),
      WAIT,
    );
  });

  it("stops with exit code 1 and one line when INPUT_FILE cannot be read", async () => {
    const reader = startService("reader", { INPUT_FILE: folder });
    expect(await reader.exited).toEqual({ code: 1, signal: null });
    expect(reader.stderrLines().at(-1)).toMatch(new RegExp(`^reader: cannot read ${folder}: .*EISDIR`));
  });
});

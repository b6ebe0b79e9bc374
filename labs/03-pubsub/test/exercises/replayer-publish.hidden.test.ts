import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { connectRedis, startNodeProcess, test } from "@gps-workshop/shared/testing";
import { describe, expect, onTestFinished, vi } from "vitest";
import { redisKeys } from "../../src/redis-keys.ts";
import { isAfter } from "../../src/web/sse.ts";
import { logTail } from "./support.ts";

const REPLAYER = path.resolve(import.meta.dirname, "../../src/replayer/main.ts");

describe("lab03.replayer-publish", () => {
  test("publishes every record once, after storing it, with ids that grow pass after pass", async ({
    redis,
  }) => {
    const prefix = `${redis.prefix}${randomUUID()}:`;
    const keys = redisKeys(prefix);
    const file = path.join(tmpdir(), `lab03-publish-${randomUUID()}.csv`);
    const rows = [0, 1, 2, 3].map((i) => `${1_773_504_000 + i},${37.87 + i / 10_000},-122.26`);
    await writeFile(file, `timestamp,latitude,longitude\n${rows.join("\n")}\n`);
    onTestFinished(() => rm(file, { force: true }));
    // On each message, what a reader of the history would find under its id.
    const reader = await connectRedis(redis.url);
    const found: Promise<{ message: string; stored: string | undefined }>[] = [];
    await (await connectRedis(redis.url)).subscribe(keys.channel, (message) => {
      const id = /^\{"id":"([^"]+)"/.exec(message)?.[1] ?? "";
      const stored = reader.xRange(keys.history, id, id).then((entries) => entries?.[0]?.message.record);
      found.push(stored.then((record) => ({ message, stored: record })));
    });

    // Looping: three passes of the four rows, and more.
    const replayer = startNodeProcess(REPLAYER, {
      env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, GPS_FILE: file, REPLAY_SPEED: "100" },
    });
    await vi.waitFor(
      () =>
        expect(found.length, `messages. ${logTail("replayer", replayer.stderr())}`).toBeGreaterThanOrEqual(
          12,
        ),
      { timeout: 5000 },
    );
    replayer.child.kill("SIGTERM");
    expect(await replayer.exited).toEqual({ code: 0, signal: null });
    const history = (await reader.xRange(keys.history, "-", "+")) ?? [];
    await vi.waitFor(() => expect(found).toHaveLength(history.length), { timeout: 2000 });

    const messages = await Promise.all(found);
    const ids = messages.map(({ message }) => (JSON.parse(message) as { id: string }).id);
    // Each found in the history under its id, as it was published; each id after the one before.
    for (const { message, stored } of messages) expect(message).toContain(`"record":${stored}`);
    for (let i = 1; i < ids.length; i++) expect(isAfter(ids[i] ?? "", ids[i - 1] ?? "")).toBe(true);
  });
});

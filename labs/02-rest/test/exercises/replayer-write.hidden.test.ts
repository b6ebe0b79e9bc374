// Hidden checks of the exercise lab02.replayer-write: in the instructor's copy only.
import { connectRedis, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { watchRedis } from "../support/api-redis-watch.ts";
import { freshKeys, replayOnce, writeTrack } from "../support/replayer-run.ts";

describe("the replayer's write", () => {
  test("writes each record in one transaction: MULTI, SET, XADD MAXLEN ~, EXEC", async ({ redis }) => {
    const keys = freshKeys(redis);
    const watch = await watchRedis(redis.url);

    const log = await replayOnce(redis, keys, await writeTrack(3), { HISTORY_LENGTH: "50" });
    await watch.caughtUp(await connectRedis(redis.url));

    // The replayer's connection: the one that set the state. What it sent once connected, by record.
    const replayer = watch.commandsOn(keys.state)[0]?.client;
    const sent = watch.commands.filter(({ client }) => client === replayer).map(({ args }) => args);
    const writes = sent.slice(sent.findIndex((args) => args[0] === "MULTI"));
    expect(
      writes.map((args) => args[0]),
      log(),
    ).toEqual(Array(3).fill(["MULTI", "SET", "XADD", "EXEC"]).flat());
    for (const [, key, json] of writes.filter((args) => args[0] === "SET")) {
      expect(key).toBe(keys.state);
      expect(writes).toContainEqual(["XADD", keys.history, "MAXLEN", "~", "50", "*", "record", json]);
    }
  });
});

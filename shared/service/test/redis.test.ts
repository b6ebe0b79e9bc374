import { REDIS_IMAGE, startRedisServer } from "@gps-workshop/shared/testing";
import { RedisContainer } from "@testcontainers/redis";
import { describe, expect, it } from "vitest";
import { createRedisClient } from "../redis.ts";

describe("createRedisClient", () => {
  it("fails commands at once while Redis is down, logs one line down and one back, and reconnects by itself", {
    timeout: 30_000,
  }, async () => {
    const server = await startRedisServer();
    const lines: string[] = [];
    const redis = createRedisClient({ url: server.url, service: "demo", log: (line) => lines.push(line) });
    try {
      await redis.connect();
      await server.stop();
      await expect.poll(() => lines.length, { timeout: 10_000 }).toBe(2);
      await expect(redis.set("key", "value")).rejects.toThrow();
      await server.start();
      await expect.poll(() => redis.isReady, { timeout: 15_000 }).toBe(true);
      expect(await redis.set("key", "value")).toBe("OK");
      const where = new URL(server.url).host;
      expect(lines).toEqual([
        `demo: connected to redis at ${where}`,
        expect.stringMatching(`^demo: cannot reach redis at ${where} \\(.+\\), reconnecting$`),
        `demo: reconnected to redis at ${where}`,
      ]);
    } finally {
      redis.destroy();
      await server.close();
    }
  });
});

describe("a Redis that requires a password", () => {
  it("lets in the client that has it, and refuses the one without", { timeout: 30_000 }, async () => {
    const container = await new RedisContainer(REDIS_IMAGE).withPassword("s3cret").start();
    const url = `redis://${container.getHost()}:${container.getPort()}`;
    const withPassword = createRedisClient({ url, password: "s3cret", service: "demo", log: () => {} });
    const refused: string[] = [];
    const without = createRedisClient({ url, service: "demo", log: (line) => refused.push(line) });
    try {
      await withPassword.connect();
      expect(await withPassword.ping()).toBe("PONG");
      without.connect().catch(() => {});
      await expect.poll(() => refused, { timeout: 10_000 }).toEqual([expect.stringContaining("NOAUTH")]);
      await expect(without.ping()).rejects.toThrow();
    } finally {
      withPassword.destroy();
      without.destroy();
      await container.stop();
    }
  });
});

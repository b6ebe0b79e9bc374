// Hidden checks of the exercise lab02.redis-network: in the instructor's copy only.
import { describe, expect, it } from "vitest";
import { restStack } from "../support/compose-rest.ts";

const stack = restStack();
// The check builds the image and starts the stack: minutes the first time, seconds after.
const BUILD = { timeout: 600_000 };

describe("docker-compose-rest.yml: Redis on the backend network only", () => {
  it("puts Redis on a network with the API and the replayer, and on none with the web", BUILD, async () => {
    const { networks } = await stack();
    const redis = await networks("redis");
    const shares = async (service: "api" | "replayer" | "web") =>
      (await networks(service)).some((network) => redis.includes(network));

    const on = `Redis is on ${redis.join(", ") || "no network"}`;
    expect(
      { api: await shares("api"), replayer: await shares("replayer"), web: await shares("web") },
      on,
    ).toEqual({
      api: true,
      replayer: true,
      web: false,
    });
  });
});

// Checks of the exercise lab02.redis-network (npm run exercises -- hint lab02.redis-network).
import { describe, expect, it, vi } from "vitest";
import { restStack, UNTIL } from "../support/compose-rest.ts";

const stack = restStack();
// The first check builds the image and starts the stack: minutes the first time, seconds after.
const BUILD = { timeout: 600_000 };

/** Prints how a TCP connection to redis:6379 goes: "connected", or why not (ENOTFOUND: no such name here). */
const REACH_REDIS = `require("node:dns").lookup("redis", (error) => {
  if (error) return console.log(error.code);
  const socket = require("node:net").connect(6379, "redis", () => { console.log("connected"); socket.destroy(); });
  socket.setTimeout(2000, () => { console.log("ETIMEDOUT"); socket.destroy(); });
  socket.on("error", (error) => console.log(error.code));
});`;

describe("docker-compose-rest.yml: Redis on the backend network only", () => {
  it(
    "runs: the replayer and the API reach Redis, and the web serves the page and reaches the API",
    BUILD,
    async () => {
      const { api, web, logs } = await stack();

      await vi.waitFor(async () => {
        expect(await logs("replayer"), "the replayer's log").toContain(
          "replayer: connected to redis at redis:6379",
        );
      }, UNTIL);
      // Ready: for the API, Redis answers its PING; for the web, the API says it is ready.
      for (const url of [`${api}/readyz`, `${web}/readyz`]) {
        await vi.waitFor(async () => {
          const response = await fetch(url);
          expect(response.status, `${url}: ${await response.text()}`).toBe(200);
        }, UNTIL);
      }
      const page = await fetch(web);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<title>GPS REST Replayer</title>");
    },
  );

  it("keeps Redis out of the web's reach, while the API and the replayer reach it", BUILD, async () => {
    const { run } = await stack();

    expect(await run("api", REACH_REDIS), "redis:6379 from the API's container").toBe("connected");
    expect(await run("replayer", REACH_REDIS), "redis:6379 from the replayer's container").toBe("connected");
    expect(await run("web", REACH_REDIS), "redis:6379 from the web's container").not.toBe("connected");
  });
});

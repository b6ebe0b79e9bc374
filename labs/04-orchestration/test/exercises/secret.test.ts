import { describe, expect, it, vi } from "vitest";
import { openEventStream } from "../support/clients.ts";
import { checksStack, redisCli } from "../support/swarm.ts";

// The check of lab04.secret: Redis's password, from a Docker secret, in docker-compose-swarm.yml.

describe("lab04.secret: Redis's password as a Docker secret", () => {
  it("Redis refuses a client without the password, while the replayer and the web, which read it, stream records", async () => {
    const stack = await checksStack();
    expect(await redisCli(stack.name, ["GET", "gps_state"], { auth: false })).toMatch(/^NOAUTH/);
    // With the password that the web reads from its REDIS_PASSWORD_FILE.
    expect(await redisCli(stack.name, ["PING"])).toBe("PONG\n");
    // The replayer writes and publishes, the web reads and relays: records arrive.
    const stream = openEventStream(`${stack.url}/events`);
    try {
      await vi.waitFor(() => expect(stream.ids.length).toBeGreaterThan(0), { timeout: 30_000 });
    } finally {
      stream.close();
    }
  });
});

import { describe, expect, it } from "vitest";
import { checksStack, docker, webRedisPassword } from "../support/swarm.ts";

// The hidden check of lab04.secret: the password is not written anywhere Docker shows it.

describe("lab04.secret: Redis's password as a Docker secret", () => {
  it("shows the password in no service's definition: environment, command, labels", async () => {
    const stack = await checksStack();
    const password = await webRedisPassword(stack.name);
    expect(password, "the web reads a password from its REDIS_PASSWORD_FILE").toBeTruthy();
    for (const service of ["redis", "replayer", "web", "proxy"]) {
      const definition = await docker(["service", "inspect", `${stack.name}_${service}`]);
      expect(definition.includes(password ?? ""), `docker service inspect ${service}`).toBe(false);
    }
  });
});

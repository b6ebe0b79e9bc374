import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, decimal, echo, env, parseEnv, redisEnv } from "../config.ts";

const shape = { PORT: env.port(8000), SPEED: env.number(1, 0.1, 1000), LOOP: env.boolean(true), ...redisEnv };

describe("parseEnv", () => {
  it("gives the defaults when nothing is set, and an empty variable counts as unset", () => {
    expect(parseEnv(shape, { PORT: "" })).toEqual({
      PORT: 8000,
      SPEED: 1,
      LOOP: true,
      REDIS_URL: "redis://localhost:6379",
      REDIS_KEY_PREFIX: "",
      REDIS_PASSWORD_FILE: undefined,
    });
  });

  it("reads the values that are set", () => {
    const config = parseEnv(shape, {
      PORT: "9000",
      SPEED: "2.5",
      LOOP: "off",
      REDIS_URL: "redis://redis:6379",
    });
    expect(config).toMatchObject({ PORT: 9000, SPEED: 2.5, LOOP: false, REDIS_URL: "redis://redis:6379" });
  });

  it.each([
    ["PORT", "70000", 'PORT: expected a whole number <= 65535 (got "70000")'],
    ["PORT", "0x10", "PORT: expected a whole number from 1 to 65535, written with digits only"],
    ["SPEED", " 5 ", "SPEED: expected a number from 0.1 to 1000, written with digits only"],
    ["SPEED", "5e-3", "SPEED: expected a number from 0.1 to 1000, written with digits only"],
    ["LOOP", "maybe", "LOOP: expected true or false"],
    ["REDIS_URL", "http://localhost:6379", "REDIS_URL: "],
  ])("rejects %s=%j with one line naming it", (name, value, message) => {
    const read = () => parseEnv(shape, { [name]: value });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });

  it("reads a password from the file REDIS_PASSWORD_FILE names, without its final newline", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "secret-")), "redis_password");
    writeFileSync(file, "s3cret\n");
    expect(parseEnv(redisEnv, { REDIS_PASSWORD_FILE: file }).REDIS_PASSWORD_FILE).toBe("s3cret");
  });

  it("names REDIS_PASSWORD_FILE when its file cannot be read", () => {
    expect(() => parseEnv(redisEnv, { REDIS_PASSWORD_FILE: "/nonexistent/redis_password" })).toThrow(
      /^REDIS_PASSWORD_FILE: cannot read the file: ENOENT/,
    );
  });
});

describe("decimal", () => {
  const seconds = decimal({ min: 0.1, max: 300 });
  it.each(["1", "2.5", "300", "0.1"])("accepts %j", (text) => {
    expect(seconds.parse(text)).toBe(Number(text));
  });
  it.each(["", "-1", "0x10", "1e2", " 5", "5 ", "Infinity", "NaN", "1.", ".5", "0.05", "301"])(
    "rejects %j",
    (text) => {
      expect(seconds.safeParse(text).success).toBe(false);
    },
  );
});

describe("echo", () => {
  it("quotes a short value whole and cuts a long one short", () => {
    expect(echo("abc")).toBe('"abc"');
    const long = echo("x".repeat(9000));
    expect(long).toHaveLength(40);
    expect(long.endsWith("…")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError, env, parseEnv } from "../src/env.ts";

const shape = {
  PORT: env.port(8000),
  REDIS_URL: env.url("redis://localhost:6379", /^rediss?$/),
  REPLAY_SPEED: env.number(1, 0.01, 1000),
  REPLAY_LOOP: env.boolean(true),
  GPS_FILE: env.string("track.csv"),
};

describe("parseEnv", () => {
  it("gives the defaults when nothing is set", () => {
    expect(parseEnv(shape, {})).toEqual({
      PORT: 8000,
      REDIS_URL: "redis://localhost:6379",
      REPLAY_SPEED: 1,
      REPLAY_LOOP: true,
      GPS_FILE: "track.csv",
    });
  });

  it("reads and converts the values that are set", () => {
    const config = parseEnv(shape, {
      PORT: "9000",
      REPLAY_SPEED: "2.5",
      REPLAY_LOOP: "no",
      REDIS_URL: "redis://redis:6379/1",
    });
    expect(config).toMatchObject({
      PORT: 9000,
      REPLAY_SPEED: 2.5,
      REPLAY_LOOP: false,
      REDIS_URL: "redis://redis:6379/1",
    });
  });

  it("treats an empty variable as unset", () => {
    expect(parseEnv(shape, { PORT: "" }).PORT).toBe(8000);
  });

  it.each([
    ["PORT", "70000", /^PORT: .*65535.* \(got "70000"\)$/],
    ["PORT", "eighty", /^PORT: .*number.* \(got "eighty"\)$/],
    ["REDIS_URL", "http://redis:6379", /^REDIS_URL: .* \(got "http:\/\/redis:6379"\)$/],
    ["REPLAY_SPEED", "0", /^REPLAY_SPEED: .*0\.01.* \(got "0"\)$/],
    ["REPLAY_LOOP", "maybe", /^REPLAY_LOOP: expected true or false \(got "maybe"\)$/],
  ])("rejects %s=%s with one line naming the variable", (name, value, message) => {
    const read = () => parseEnv(shape, { [name]: value });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });
});

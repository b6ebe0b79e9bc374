import { describe, expect, it } from "vitest";
import { ConfigError, readListenerConfig, readPublisherConfig, readReaderConfig } from "../src/config.ts";

describe("readListenerConfig", () => {
  it("listens on 12345 and prints to stdout by default", () => {
    expect(readListenerConfig({})).toEqual({ port: 12345, outputFile: undefined });
  });

  it("reads LISTEN_PORT and OUTPUT_FILE", () => {
    expect(readListenerConfig({ LISTEN_PORT: "4000", OUTPUT_FILE: "/data/out.log" })).toEqual({
      port: 4000,
      outputFile: "/data/out.log",
    });
  });

  it.each(["0", "65536", "12a", "-1", "1e3", " 80", "3.5"])("rejects LISTEN_PORT=%j, naming it", (value) => {
    expect(() => readListenerConfig({ LISTEN_PORT: value })).toThrow(
      new ConfigError(`LISTEN_PORT must be a whole number from 1 to 65535, got "${value}"`),
    );
  });

  it("treats an empty variable as unset, as compose writes NAME= for a blank one", () => {
    expect(readListenerConfig({ LISTEN_PORT: "", OUTPUT_FILE: "" })).toEqual({
      port: 12345,
      outputFile: undefined,
    });
  });
});

describe("readPublisherConfig", () => {
  it("publishes to listener:12345 every second under the hostname by default", () => {
    expect(readPublisherConfig({}, "3f2a9c1d7e44")).toEqual({
      listenerHost: "listener",
      listenerPort: 12345,
      name: "3f2a9c1d7e44",
      intervalMs: 1000,
    });
  });

  it("reads LISTENER_HOST, LISTENER_PORT, PUB_NAME and PUBLISH_INTERVAL_MS", () => {
    const env = {
      LISTENER_HOST: "localhost",
      LISTENER_PORT: "4000",
      PUB_NAME: "alice",
      PUBLISH_INTERVAL_MS: "50",
    };
    expect(readPublisherConfig(env, "host")).toEqual({
      listenerHost: "localhost",
      listenerPort: 4000,
      name: "alice",
      intervalMs: 50,
    });
  });

  it("rejects a zero PUBLISH_INTERVAL_MS, naming it", () => {
    expect(() => readPublisherConfig({ PUBLISH_INTERVAL_MS: "0" }, "host")).toThrow(
      /^PUBLISH_INTERVAL_MS must be/,
    );
  });

  it("rejects a PUB_NAME with a newline, which would split every message", () => {
    expect(() => readPublisherConfig({ PUB_NAME: "alice\nbob" }, "host")).toThrow(
      new ConfigError("PUB_NAME must be a single line of text"),
    );
  });
});

describe("readReaderConfig", () => {
  it("follows the shared volume's messages.log by default", () => {
    expect(readReaderConfig({})).toEqual({ inputFile: "/data/messages.log" });
  });

  it("reads INPUT_FILE", () => {
    expect(readReaderConfig({ INPUT_FILE: "/tmp/x.log" })).toEqual({ inputFile: "/tmp/x.log" });
  });
});

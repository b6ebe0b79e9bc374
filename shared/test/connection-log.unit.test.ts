import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { logConnectionState } from "../src/connection-log.ts";

/** Plays a client through the events node-redis emits, and returns what was logged. */
function play(lines: Parameters<typeof logConnectionState>[1], events: ("error" | "ready")[]): string[] {
  const client = new EventEmitter();
  const logged: string[] = [];
  logConnectionState(client, lines, (line) => logged.push(line));
  for (const event of events) {
    if (event === "error") client.emit("error", new Error("connect ECONNREFUSED"));
    else client.emit("ready");
  }
  return logged;
}

const down = (error: Error) => `down (${error.message})`;

describe("logConnectionState", () => {
  it("says once that the connection is down, however many attempts fail", () => {
    expect(play({ down }, ["error", "error", "error"])).toEqual(["down (connect ECONNREFUSED)"]);
  });

  it("says connected on every ready, the first one included", () => {
    expect(play({ down, connected: "up" }, ["ready", "error", "error", "ready"])).toEqual([
      "up",
      "down (connect ECONNREFUSED)",
      "up",
    ]);
  });

  it("says back only after an outage, instead of connected", () => {
    expect(
      play({ down, connected: "up", back: "back" }, ["ready", "error", "ready", "error", "ready"]),
    ).toEqual(["up", "down (connect ECONNREFUSED)", "back", "down (connect ECONNREFUSED)", "back"]);
    expect(play({ down, back: "back" }, ["ready", "ready"])).toEqual([]);
  });
});

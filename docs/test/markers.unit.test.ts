import { describe, expect, it } from "vitest";
import { commentMarkerText, parseMarker } from "./support/markers.ts";

describe("a marker", () => {
  it("reads run, with a folder and a deadline", () => {
    expect(parseMarker("run in labs/02-rest within 90s")).toMatchObject({
      kind: "run",
      exitCode: 0,
      folder: "labs/02-rest",
      withinMs: 90_000,
      freshClone: false,
    });
  });

  it("reads background with its ready line in either quotes, a name and a deadline in minutes", () => {
    expect(parseMarker(`background as listener until "listening on" within 2m`)).toMatchObject({
      kind: "background",
      name: "listener",
      until: "listening on",
      withinMs: 120_000,
    });
    expect(parseMarker(`background until '{"timestamp":'`).until).toBe('{"timestamp":');
  });

  it("reads in a fresh clone and stops cleanly", () => {
    expect(parseMarker("background in a fresh clone until 'up' stops cleanly")).toMatchObject({
      freshClone: true,
      stopsCleanly: true,
    });
  });

  it("reads unordered on run and background blocks, whose output shows what several containers print", () => {
    expect(parseMarker("run unordered").unordered).toBe(true);
    expect(parseMarker(`background as stack until "up" unordered`)).toMatchObject({
      kind: "background",
      unordered: true,
    });
    expect(parseMarker("run").unordered).toBe(false);
  });

  it("reads expect failure with its exit code", () => {
    expect(parseMarker("expect failure 2")).toMatchObject({ kind: "run", exitCode: 2 });
  });

  it("reads skip with its reason, and output and stop with their names", () => {
    expect(parseMarker("skip: needs a second terminal typed into by hand")).toMatchObject({
      kind: "skip",
      reason: "needs a second terminal typed into by hand",
    });
    expect(parseMarker("output of listener unordered within 30s")).toMatchObject({
      kind: "output",
      name: "listener",
      unordered: true,
      withinMs: 30_000,
    });
    expect(parseMarker("stop listener")).toMatchObject({ kind: "stop", name: "listener" });
  });

  it.each([
    ["skip", "a skip needs a reason"],
    ["skip:   ", "a skip needs a reason"],
    ["expect failure", "the exit code after expect failure is missing"],
    ["expect failure 0", "must be a number from 1 to 255"],
    ["expect failure 256", "must be a number from 1 to 255"],
    ["expect 1", 'write "expect failure <exit code>"'],
    ["runn", "unknown marker"],
    ["run until 'x'", '"until" is not an option of run blocks'],
    ["output in labs", '"in" is not an option of output blocks'],
    ["background until listening", "write the text after until in quotes"],
    ["run within 5 minutes", "a duration is a whole number of seconds or minutes"],
    ["run in ../elsewhere", "inside it"],
    ["run in /tmp", "inside it"],
    ["background stops", "cleanly is missing"],
  ])("rejects %j, saying %j", (text, message) => {
    expect(() => parseMarker(text)).toThrow(message);
  });
});

describe("a marker comment", () => {
  it("gives the text of <!-- docs: … --> and nothing for other comments", () => {
    expect(commentMarkerText("<!-- docs: run in labs/01-simplest -->")).toBe("run in labs/01-simplest");
    expect(commentMarkerText("<!--docs:skip: Windows only-->")).toBe("skip: Windows only");
    expect(commentMarkerText("<!-- _class: lead -->")).toBeUndefined();
  });
});

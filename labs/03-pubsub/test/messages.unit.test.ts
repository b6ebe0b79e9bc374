import { describe, expect, test } from "vitest";
import { fromEntries, parseMessage } from "../src/web/messages.ts";
import { isAfter, sseFrame } from "../src/web/sse.ts";
import { recordAt } from "./support/records.ts";

describe("history entry ids", () => {
  test("come one after another by milliseconds, then by sequence, not as text", () => {
    expect(isAfter("1773504000001-0", "1773504000000-5")).toBe(true);
    expect(isAfter("1773504000000-10", "1773504000000-9")).toBe(true);
    expect(isAfter("1773504000000-9", "1773504000000-10")).toBe(false);
    expect(isAfter("1773504000000-0", "1773504000000-0")).toBe(false);
    expect(isAfter("10000000000000-0", "9999999999999-0")).toBe(true);
  });
});

describe("messages and history entries", () => {
  const record = recordAt(1_700_000_000);

  test("reads a message with its entry id, or without one when typed by hand", () => {
    expect(parseMessage(JSON.stringify({ id: "1773504000000-0", record }))).toMatchObject({
      id: "1773504000000-0",
      record,
    });
    expect(parseMessage(JSON.stringify({ record }))).toMatchObject({ id: undefined, record });
  });

  test("says in a few words what is wrong with a message", () => {
    expect(parseMessage("{")).toBe("not JSON");
    expect(parseMessage(JSON.stringify(record))).toBe('expected {"record":{…}}');
    expect(parseMessage(JSON.stringify({ record: "x" }))).toMatch(/^record: /);
    expect(parseMessage(JSON.stringify({ record: { ...record, latitude: "north" } }))).toMatch(
      /^record\.latitude: /,
    );
    expect(parseMessage(JSON.stringify({ id: "1773504000000", record }))).toMatch(/^id: /);
  });

  test("leaves out the history entries that hold no valid record", () => {
    const entries: { id: string; message: Record<string, string> }[] = [
      { id: "1-0", message: { record: JSON.stringify(record) } },
      { id: "2-0", message: { record: "not json" } },
      { id: "3-0", message: { other: "field" } },
      { id: "4-0", message: { record: JSON.stringify({ ...record, latitude: 200 }) } },
    ];
    expect(fromEntries(entries).map(({ id }) => id)).toEqual(["1-0"]);
  });
});

test("an SSE frame gives each line of its data a data: field of its own", () => {
  expect(sseFrame({ event: "status", id: "1-0", data: "a\nb" })).toBe(
    "event: status\nid: 1-0\ndata: a\ndata: b\n\n",
  );
  expect(sseFrame({ data: "x" })).toBe("data: x\n\n");
});

import { randomUUID } from "node:crypto";
import { gpsRecord } from "@gps-workshop/shared/testing";
import { describe, expect, it } from "vitest";
import { PageSessions } from "../src/web/page-sessions.ts";
import { SampleLog } from "../src/web/sample-log.ts";

const at = (timestamp: number) => gpsRecord({ timestamp });
const timestamps = (log: SampleLog) => log.records.map((record) => record.timestamp);

describe("a page's samples", () => {
  it("are kept oldest first, one per timestamp", () => {
    const log = new SampleLog(10);

    expect([log.add(at(1)), log.add(at(2)), log.add(at(2)), log.add(at(3))]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(timestamps(log)).toEqual([1, 2, 3]);
  });

  it("take a late record in its place (the replayer was restarted), still once", () => {
    const log = new SampleLog(10);
    for (const timestamp of [10, 20, 30]) log.add(at(timestamp));

    expect(log.add(at(15))).toBe(true);
    expect(log.add(at(20))).toBe(false);
    expect(log.add(at(5))).toBe(true);
    expect(timestamps(log)).toEqual([5, 10, 15, 20, 30]);
  });

  it("are bounded: past the limit, the oldest go", () => {
    const log = new SampleLog(3);
    for (let timestamp = 1; timestamp <= 5; timestamp++) log.add(at(timestamp));

    expect(timestamps(log)).toEqual([3, 4, 5]);
  });
});

describe("the page sessions", () => {
  const options = { maxSessions: 3, maxSamples: 100, idleMs: 60_000 };

  it("give the same session back for a page id, and a new empty one for another", () => {
    const sessions = new PageSessions(options);
    const first = sessions.resume(randomUUID(), 5);
    first.samples.add(at(1));

    expect(sessions.resume(first.id, 5)).toBe(first);
    expect(sessions.resume(randomUUID(), 2)).toMatchObject({ period: 2, samples: { records: [] } });
  });

  it("forget the least recently polled page beyond the limit", () => {
    const sessions = new PageSessions(options);
    const a = sessions.resume(randomUUID(), 5);
    const b = sessions.resume(randomUUID(), 5);
    sessions.resume(randomUUID(), 5);
    a.samples.add(at(1));
    b.samples.add(at(1));
    sessions.resume(a.id, 5); // a is now more recent than b

    sessions.resume(randomUUID(), 5);

    expect(sessions.size).toBe(3);
    expect(sessions.resume(a.id, 5).samples.records).toHaveLength(1);
    expect(sessions.resume(b.id, 5).samples.records).toHaveLength(0); // forgotten: started again
  });

  it("forget a page that has not polled for the idle time", () => {
    let now = 0;
    const sessions = new PageSessions({ ...options, now: () => now });
    const idle = sessions.resume(randomUUID(), 5);
    idle.samples.add(at(1));
    now = 30_000;
    const active = sessions.resume(randomUUID(), 5);
    now = 60_000;
    sessions.resume(active.id, 5);

    now = 60_001;

    expect(sessions.resume(active.id, 5)).toBe(active);
    expect(sessions.size).toBe(1);
    expect(sessions.resume(idle.id, 10)).toMatchObject({ period: 10, samples: { records: [] } });
  });
});

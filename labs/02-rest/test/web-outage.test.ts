import { attributeOf, gpsRecord, type TestRedis, tableTimestamps, test } from "@gps-workshop/shared/testing";
import { describe, expect, it, vi } from "vitest";
import { writeRecord } from "./support/api-records.ts";
import { startStack } from "./support/web-api.ts";
import { startSilentApi } from "./support/web-fake-api.ts";
import { pageIdIn, stateReadings } from "./support/web-html.ts";
import { startWeb } from "./support/web-server.ts";

/** The stack, with a web that gives the API a second to answer. */
const startQuickStack = (redis: TestRedis) => startStack(redis, { web: { apiTimeoutMs: 1000 } });

describe("when the API is down", () => {
  test("a poll answers a fragment whose banner says so, then the page recovers by itself", async ({
    redis,
  }) => {
    const { api, web } = await startQuickStack(redis);
    await writeRecord(api.writer, api.keys, gpsRecord({ timestamp: 1_700_000_000 }));
    const id = pageIdIn((await web.html("/")).body);
    const poll = () => web.html(`/poll?page=${id}&period=5`);
    expect(tableTimestamps((await poll()).body)).toEqual([1_700_000_000]);

    await api.stop();
    const down = await poll();

    expect(down.status).toBe(200);
    expect(down.body).toMatch(
      /<p class="banner banner--error" role="status">The API at http:\/\/127\.0\.0\.1:\d+ cannot be reached \(GET \/gps_state: connect ECONNREFUSED [^)]*\)\. Trying again in 5 s\.<\/p>/,
    );
    // Only the banner: the widgets keep showing the last state they had.
    expect(down.body).not.toContain("hx-swap-oob");
    expect(web.logs.filter((line) => line.startsWith("web: polls fail"))).toHaveLength(1);
    await poll();
    expect(web.logs.filter((line) => line.startsWith("web: polls fail"))).toHaveLength(1);

    await writeRecord(api.writer, api.keys, gpsRecord({ timestamp: 1_700_000_001 }));
    await api.start();
    const back = await poll();

    expect(back.body).toContain("banner--ok");
    expect(tableTimestamps(back.body)).toEqual([1_700_000_001, 1_700_000_000]);
    expect(web.logs).toContain("web: the API answers again");
  });

  it("a poll that gets no answer in time says so", async () => {
    const silent = await startSilentApi();
    try {
      const web = await startWeb({ apiUrl: silent.url, apiTimeoutMs: 300 });
      const id = pageIdIn((await web.html("/")).body);

      const poll = await web.html(`/poll?page=${id}&period=5`);

      expect(poll.body).toContain("cannot be reached (GET /gps_state: no answer within 0.3 s)");
    } finally {
      silent.close();
    }
  });

  test("a task's status keeps being asked for, and arrives once the API is back", async ({ redis }) => {
    const { api, web } = await startQuickStack(redis);
    await writeRecord(api.writer, api.keys, gpsRecord());
    const accepted = await web.html("/tasks", { seconds: "0.5" });
    const taskId = attributeOf(accepted.body, "task-status", "hx-get")?.replace("/tasks/", "") ?? "";

    await api.stop();
    const down = await web.html(`/tasks/${taskId}`);

    expect(down.body).toContain("cannot be reached (GET /get_avg_speed_task_status");
    expect(down.body).toContain("asking again in a second.");
    expect(attributeOf(down.body, "task-status", "hx-trigger")).toBe("every 1s");

    await api.start();
    await vi.waitFor(async () => expect((await web.html(`/tasks/${taskId}`)).body).toContain("DONE"), 5000);
  });

  test("/readyz answers 503 problem JSON, /healthz still 200, and /readyz 200 again once it is back", async ({
    redis,
  }) => {
    const { api, web } = await startQuickStack(redis);
    expect((await fetch(`${web.url}/readyz`)).status).toBe(200);

    await api.stop();
    const notReady = await fetch(`${web.url}/readyz`);

    expect(notReady.status).toBe(503);
    expect(notReady.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await notReady.json()).toMatchObject({
      type: "/problems/api-unavailable",
      title: "API unavailable",
      status: 503,
      detail: expect.stringMatching(/^the web cannot serve its pages: the API at .* cannot be reached/),
    });
    expect((await fetch(`${web.url}/healthz`)).status).toBe(200);

    await api.start();
    expect((await fetch(`${web.url}/readyz`)).status).toBe(200);
  });
});

describe("when the API has no state yet", () => {
  test("a poll warns that the API answered 503, and the state shows once the replayer writes one", async ({
    redis,
  }) => {
    const { api, web } = await startQuickStack(redis);
    const id = pageIdIn((await web.html("/")).body);

    const empty = await web.html(`/poll?page=${id}&period=5`);

    expect(empty.body).toContain(
      '<p class="banner banner--warning" role="status">The API cannot give the state right now ' +
        "(503: no GPS state yet: is the replayer running?). Trying again in 5 s.</p>",
    );

    await writeRecord(api.writer, api.keys, gpsRecord({ speed_meters_per_second: 3 }));
    const filled = await web.html(`/poll?page=${id}&period=5`);

    expect(stateReadings(filled.body).speed_meters_per_second).toBe("3.00 m/s");
  });
});

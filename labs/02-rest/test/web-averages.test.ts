import { attributeOf, gpsRecord, test } from "@gps-workshop/shared/testing";
import { describe, expect, vi } from "vitest";
import { writeRecord } from "./support/api-records.ts";
import { startStack } from "./support/web-api.ts";

/** The text of the task fragment's <dd> after the <dt> with this label. */
function taskField(html: string, label: string): string | undefined {
  return new RegExp(`<dt>${label}</dt><dd[^>]*>(?:<code>)?([^<]*)`).exec(html)?.[1];
}

describe("the non-blocking flow", () => {
  test("shows the task at once, polls its status every second until DONE, then stops with the result", async ({
    redis,
  }) => {
    const { api, web } = await startStack(redis);
    await writeRecord(api.writer, api.keys, gpsRecord({ speed_meters_per_second: 2.5 }));

    const started = performance.now();
    const accepted = await web.html("/tasks", { seconds: "1" });
    const answeredIn = performance.now() - started;

    expect(accepted.status).toBe(200);
    expect(answeredIn).toBeLessThan(500);
    const taskId = taskField(accepted.body, "Task") ?? "";
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(taskField(accepted.body, "Status")).toBe("REQUESTED");
    expect(taskField(accepted.body, "Window")).toBe("1 s");
    expect(taskField(accepted.body, "Accepted in")).toMatch(/^\d+ ms$/);
    expect(attributeOf(accepted.body, "task-status", "hx-get")).toBe(`/tasks/${taskId}`);
    expect(attributeOf(accepted.body, "task-status", "hx-trigger")).toBe("every 1s");
    expect(attributeOf(accepted.body, "task-status", "hx-swap")).toBe("outerHTML");

    // What the page does: follow the fragment's own hx-get while it has one.
    const seen: string[] = [];
    let fragment = accepted.body;
    await vi.waitFor(
      async () => {
        fragment = (await web.html(`/tasks/${taskId}`)).body;
        seen.push(taskField(fragment, "Status") ?? "");
        expect(taskField(fragment, "Status")).toBe("DONE");
      },
      { timeout: 5000, interval: 100 },
    );

    expect(seen).toContain("RUNNING");
    expect(attributeOf(fragment, "task-status", "hx-trigger")).toBeUndefined();
    expect(attributeOf(fragment, "task-status", "hx-get")).toBeUndefined();
    expect(fragment).toContain('<dd class="speed">2.50 m/s (9.0 km/h)</dd>');
  });

  test("shows why the API refused the window, and does not poll", async ({ redis }) => {
    const { web } = await startStack(redis);

    const answer = await web.html("/tasks", { seconds: "-3" });

    expect(answer.status).toBe(200);
    expect(answer.body).toContain(
      "The task was not started: time_window_seconds: expected a number from 0.1 to 300, written with digits only" +
        " (got &quot;-3&quot;).",
    );
    expect(attributeOf(answer.body, "task-status", "hx-trigger")).toBeUndefined();
  });

  test("reports a FAILED task with its reason, and stops polling", async ({ redis }) => {
    const { web } = await startStack(redis);
    // No GPS state at all during the window: the task fails.
    const accepted = await web.html("/tasks", { seconds: "0.2" });
    const taskId = taskField(accepted.body, "Task") ?? "";

    let fragment = "";
    await vi.waitFor(
      async () => {
        fragment = (await web.html(`/tasks/${taskId}`)).body;
        expect(taskField(fragment, "Status")).toBe("FAILED");
      },
      { timeout: 5000, interval: 100 },
    );

    expect(taskField(fragment, "Why")).toBe("no GPS state was received during the window");
    expect(attributeOf(fragment, "task-status", "hx-trigger")).toBeUndefined();
  });

  test("says so, and stops polling, when the API does not know the task", async ({ redis }) => {
    const { web } = await startStack(redis);
    const unknown = crypto.randomUUID();

    const answer = await web.html(`/tasks/${unknown}`);

    expect(answer.status).toBe(200);
    expect(answer.body).toContain(`there is no task ${unknown}`);
    expect(attributeOf(answer.body, "task-status", "hx-trigger")).toBeUndefined();
    expect((await web.html("/tasks/not-a-task")).status).toBe(404);
  });
});

describe("the blocking flow", () => {
  test("answers only at the end of the window, with the mean speed in m/s and km/h", async ({ redis }) => {
    const { api, web } = await startStack(redis);
    await writeRecord(api.writer, api.keys, gpsRecord({ speed_meters_per_second: 5 }));

    const started = performance.now();
    const answer = await web.html("/avg-speed?seconds=1");
    const waited = performance.now() - started;

    expect(answer.status).toBe(200);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(2500);
    expect(answer.body).toContain('<dd class="speed">5.00 m/s (18.0 km/h)</dd>');
    expect(answer.body).toMatch(/<dt>Window<\/dt><dd>1 s<\/dd>/);
    expect(answer.body).toMatch(/<dt>Waited<\/dt><dd>1\.\d s<\/dd>/);
  });

  test("shows the API's 400 detail for a bad window, at once", async ({ redis }) => {
    const { web } = await startStack(redis);

    const answer = await web.html("/avg-speed?seconds=abc");

    expect(answer.status).toBe(200);
    expect(answer.body).toContain(
      '<p class="problem">No answer: time_window_seconds: expected a number from 0.1 to 300, written with digits only' +
        " (got &quot;abc&quot;).</p>",
    );
  });

  test("stops the API's computation when the browser gives up", async ({ redis }) => {
    // An API that runs one blocking computation at a time, to see when the first one is over.
    const { api, web } = await startStack(redis, { api: { maxBlockingRequests: 1 } });
    await writeRecord(api.writer, api.keys, gpsRecord());
    const browser = new AbortController();
    const first = fetch(`${web.url}/avg-speed?seconds=60`, { signal: browser.signal });
    first.catch(() => {});
    await vi.waitFor(async () => {
      expect((await web.html("/avg-speed?seconds=0.1")).body).toContain("too many computations");
    }, 5000);

    browser.abort();

    await vi.waitFor(async () => {
      expect((await web.html("/avg-speed?seconds=0.1")).body).toContain('<dd class="speed">');
    }, 5000);
  });
});

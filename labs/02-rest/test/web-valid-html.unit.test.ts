import { randomUUID } from "node:crypto";
import { gpsRecord } from "@gps-workshop/shared/testing";
import { HtmlValidate } from "html-validate";
import { describe, expect, it } from "vitest";
import { startFakeApi } from "./support/web-fake-api.ts";
import { pageIdIn } from "./support/web-html.ts";
import { startWeb } from "./support/web-server.ts";

// Every page and fragment the web sends is valid HTML under html-validate's recommended rules, none
// switched off: unique landmark names, native elements rather than ARIA roles, labels, escaping…
const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });

/** html-validate's complaints about a page or a fragment, one line each: none when it is valid. */
async function problemsIn(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap(({ messages }) =>
    messages.map(({ ruleId, message, line }) => `line ${line}: ${ruleId}: ${message}`),
  );
}

const TASK_ID = randomUUID();
const task = (fields: object) => ({
  status: 200,
  body: JSON.stringify({ task_id: TASK_ID, time_window_seconds: 10, requested_at: "", ...fields }),
});

/** The web in front of a fake API that has a state, a task and an average to give. */
async function startWithAnswers() {
  const fake = await startFakeApi();
  fake.answer("GET /gps_state", { status: 200, body: JSON.stringify(gpsRecord()) });
  fake.answer("POST /request_to_compute_avg_speed", task({ status: "REQUESTED" }));
  fake.answer("GET /compute_avg_speed", { status: 200, body: "4.2" });
  const web = await startWeb({ apiUrl: fake.url });
  const page = pageIdIn((await web.html("/")).body);
  return { fake, web, page };
}

describe("the HTML the web sends", () => {
  it("is valid for the page, and for the not-found page", async () => {
    const { web } = await startWithAnswers();

    expect(await problemsIn((await web.html("/")).body)).toEqual([]);
    expect(await problemsIn((await web.html("/nothing<here>")).body)).toEqual([]);
  });

  it("is valid for the answers to a poll: the widgets, a failed poll's banner, a malformed poll", async () => {
    const { fake, web, page } = await startWithAnswers();

    const widgets = await web.html(`/poll?page=${page}&period=5`);
    fake.answer("GET /gps_state", { status: 503, body: JSON.stringify({ detail: "no GPS state yet" }) });
    const failed = await web.html(`/poll?page=${page}&period=5`);
    const malformed = await web.html("/poll?page=nope");

    expect(widgets.body).toContain('id="samples"');
    expect(failed.body).toContain("banner--warning");
    for (const { body } of [widgets, failed, malformed]) expect(await problemsIn(body)).toEqual([]);
  });

  it("is valid for the period form, accepted (with a new poller) or refused", async () => {
    const { web, page } = await startWithAnswers();

    const accepted = await web.html("/period", { page, period: "2" });
    const refused = await web.html("/period", { page, period: "0" });

    expect(accepted.body).toContain('id="poller"');
    expect(refused.body).toContain('aria-invalid="true"');
    for (const { body } of [accepted, refused]) expect(await problemsIn(body)).toEqual([]);
  });

  it("is valid for a task: accepted, DONE, FAILED, or its API unreachable", async () => {
    const { fake, web } = await startWithAnswers();
    const fragments = [(await web.html("/tasks", { seconds: "10" })).body];
    for (const state of [
      { status: "DONE", result: 4.2 },
      { status: "FAILED", error: "no GPS state" },
    ]) {
      fake.answer("GET /get_avg_speed_task_status", task(state));
      fragments.push((await web.html(`/tasks/${TASK_ID}`)).body);
    }
    fake.answer("GET /get_avg_speed_task_status", { status: 503, body: "{}" });
    fragments.push((await web.html(`/tasks/${TASK_ID}`)).body);

    expect(fragments.map((fragment) => /class="status status-(\w+)"/.exec(fragment)?.[1])).toEqual([
      "REQUESTED",
      "DONE",
      "FAILED",
      undefined,
    ]);
    for (const fragment of fragments) expect(await problemsIn(fragment)).toEqual([]);
  });

  it("is valid for the blocking average's result, and for its failure", async () => {
    const { fake, web } = await startWithAnswers();

    const result = await web.html("/avg-speed?seconds=0.1");
    fake.answer("GET /compute_avg_speed", { status: 400, body: JSON.stringify({ detail: "bad window" }) });
    const failure = await web.html("/avg-speed?seconds=0.1");

    expect(result.body).toContain('class="speed"');
    expect(failure.body).toContain("bad window");
    for (const { body } of [result, failure]) expect(await problemsIn(body)).toEqual([]);
  });
});

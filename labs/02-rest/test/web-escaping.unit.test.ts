import { attributeOf, gpsRecord } from "@gps-workshop/shared/testing";
import { describe, expect, it } from "vitest";
import { startFakeApi } from "./support/web-fake-api.ts";
import { pageIdIn } from "./support/web-html.ts";
import { startWeb } from "./support/web-server.ts";

// Whatever another service sends is untrusted: these answers try to put markup into the page.
const SCRIPT = "<script>alert(1)</script>";
const IMAGE = '"><img src=x onerror=alert(1)>';

/** The web in front of a fake API that answers what the test tells it to. */
async function startAgainstFake() {
  const fake = await startFakeApi();
  const web = await startWeb({ apiUrl: fake.url });
  return { fake, web };
}

/** No markup from the API made it into the HTML: no tag, and no way out of an attribute. */
function expectEscaped(html: string) {
  expect(html).not.toContain("<script>alert");
  expect(html).not.toContain("<img");
  expect(html).not.toContain(IMAGE);
}

const problem = (status: number, detail: string) => ({
  status,
  type: "application/problem+json",
  body: JSON.stringify({ type: "/problems/x", title: IMAGE, status, detail }),
});

describe("text from the API", () => {
  it("shows a problem's detail with markup in it as text", async () => {
    const { fake, web } = await startAgainstFake();
    fake.answer("GET /gps_state", problem(503, SCRIPT));
    const id = pageIdIn((await web.html("/")).body);

    const poll = await web.html(`/poll?page=${id}&period=5`);

    expect(poll.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expectEscaped(poll.body);
  });

  it("quotes a malformed record's value as text", async () => {
    const { fake, web } = await startAgainstFake();
    fake.answer("GET /gps_state", {
      status: 200,
      body: JSON.stringify({ ...gpsRecord(), timestamp: SCRIPT }),
    });
    const id = pageIdIn((await web.html("/")).body);

    const poll = await web.html(`/poll?page=${id}&period=5`);

    expect(poll.body).toContain("banner--error");
    expect(poll.body).toContain("timestamp: Invalid input: expected number, received string");
    expect(poll.body).toContain("&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
    expectEscaped(poll.body);
  });

  it("quotes an answer that is not JSON as text", async () => {
    const { fake, web } = await startAgainstFake();
    fake.answer("GET /gps_state", { status: 200, type: "text/html", body: IMAGE });
    const id = pageIdIn((await web.html("/")).body);

    const poll = await web.html(`/poll?page=${id}&period=5`);

    expect(poll.body).toContain("is not JSON: &quot;\\&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&quot;");
    expectEscaped(poll.body);
  });

  it("shows the reasons of the average-speed requests as text", async () => {
    const { fake, web } = await startAgainstFake();
    fake.answer("POST /request_to_compute_avg_speed", problem(400, IMAGE));
    fake.answer("GET /compute_avg_speed", problem(400, SCRIPT));

    const task = await web.html("/tasks", { seconds: "10" });
    const blocking = await web.html("/avg-speed?seconds=10");

    expect(task.body).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expectEscaped(task.body);
    expect(blocking.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expectEscaped(blocking.body);
  });

  it("refuses a task id that is not one, rather than putting it in a URL", async () => {
    const { fake, web } = await startAgainstFake();
    fake.answer("POST /request_to_compute_avg_speed", {
      status: 202,
      body: JSON.stringify({ task_id: IMAGE, status: "REQUESTED" }),
    });

    const task = await web.html("/tasks", { seconds: "10" });

    expect(task.body).toContain("task_id: Invalid UUID");
    expect(attributeOf(task.body, "task-status", "hx-get")).toBeUndefined();
    expectEscaped(task.body);
  });

  it("shows a FAILED task's error as text", async () => {
    const { fake, web } = await startAgainstFake();
    const taskId = crypto.randomUUID();
    fake.answer("GET /get_avg_speed_task_status", {
      status: 200,
      body: JSON.stringify({
        task_id: taskId,
        status: "FAILED",
        time_window_seconds: 10,
        error: SCRIPT,
        requested_at: new Date().toISOString(),
      }),
    });

    const task = await web.html(`/tasks/${taskId}`);

    expect(task.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expectEscaped(task.body);
  });
});

describe("text from the browser", () => {
  it("puts a typed period back into the form as text", async () => {
    const { web } = await startAgainstFake();
    const id = pageIdIn((await web.html("/")).body);

    const answer = await web.html("/period", { page: id, period: IMAGE });

    expect(answer.status).toBe(422);
    expect(attributeOf(answer.body, "period", "value")).toBe(IMAGE);
    expectEscaped(answer.body);
  });
});

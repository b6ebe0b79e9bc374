import { mkdir } from "node:fs/promises";
import path from "node:path";
import { composeUp, freePort, launchBrowser, REPO_ROOT } from "@gps-workshop/shared/testing";
import type { Browser, Page } from "playwright-core";
import { getContainerRuntimeClient, type StartedDockerComposeEnvironment, Wait } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isAfter } from "../src/web/sse.ts";
import { axeViolations } from "./support/axe.ts";
import { recordAt } from "./support/records.ts";
import { openSse, type SseClient } from "./support/sse-client.ts";

// The whole lab as a student runs it: docker-compose-pubsub.yml with three web instances behind
// the proxy, images built from the repository. One stack for the file: the curl checks first,
// then a real browser on the page.

const UNTIL = { timeout: 20_000, interval: 100 };
const SCREENSHOT = path.join(REPO_ROOT, "test-results", "lab03-web.png");
const REPLICAS = 3;

let stack: StartedDockerComposeEnvironment;
let base: string;

beforeAll(async () => {
  const webPort = await freePort();
  stack = await composeUp({
    files: ["docker-compose-pubsub.yml"],
    // Ten records a second, and three web instances (as `--scale web=3` would start).
    env: { LAB03_WEB_PORT: String(webPort), REPLAY_SPEED: "10", WEB_REPLICAS: String(REPLICAS) },
    waitFor: {
      "proxy-1": Wait.forHealthCheck(),
      "web-1": Wait.forHealthCheck(),
      "web-2": Wait.forHealthCheck(),
      "web-3": Wait.forHealthCheck(),
    },
  });
  base = `http://localhost:${webPort}`;
}, 600_000);

afterAll(async () => {
  await stack?.down();
});

/** The short container id of each web instance: its host name, which it puts in X-Served-By. */
function webInstances(): string[] {
  return Array.from({ length: REPLICAS }, (_, i) =>
    stack
      .getContainer(`web-${i + 1}`)
      .getId()
      .slice(0, 12),
  );
}

/** Stops or starts a container of the stack, as `docker compose stop/start <service>` would. */
async function dockerContainer(name: string, action: "stop" | "start"): Promise<void> {
  const client = await getContainerRuntimeClient();
  const container = client.container.getById(stack.getContainer(name).getId());
  await (action === "stop"
    ? client.container.stop(container, { timeout: 10 })
    : client.container.start(container));
}

/** `docker compose exec redis redis-cli …`: Redis is not published, but its container has the client. */
async function redisCli(...args: string[]): Promise<string> {
  const result = await stack.getContainer("redis-1").exec(["redis-cli", ...args]);
  expect(result.exitCode).toBe(0);
  return result.output.trim();
}

describe("docker-compose-pubsub.yml, with curl", () => {
  const streams = new Map<string, SseClient>();

  afterAll(() => {
    for (const stream of streams.values()) stream.close();
  });

  it("answers through the proxy from each of the three web instances in turn", async () => {
    // Each new connection goes to an instance at random: connect until every one has answered.
    for (let attempt = 0; attempt < 100 && streams.size < REPLICAS; attempt++) {
      const stream = await openSse(`${base}/events`);
      const instance = String(stream.response.headers["x-served-by"]);
      if (streams.has(instance)) stream.close();
      else streams.set(instance, stream);
    }

    expect([...streams.keys()].sort()).toEqual(webInstances().sort());
    for (const stream of streams.values()) {
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    }
  });

  it("streams every record from every instance: the same new event ids, in the same order", async () => {
    const all = [...streams.values()];
    await Promise.all(all.map((stream) => stream.untilGpsEvents(1, 10_000)));
    // From here on, every record is published while all three streams are open.
    const start = all
      .map((stream) => stream.gpsEvents.at(-1)?.id ?? "0-0")
      .reduce((newest, id) => (isAfter(id, newest) ? id : newest));
    const newIds = (stream: SseClient) =>
      stream.gpsEvents.map((event) => event.id).filter((id) => isAfter(id, start));
    await Promise.all(
      all.map((stream) => stream.until(() => newIds(stream).length >= 10, "10 new events", 10_000)),
    );
    const counts = all.map((stream) => newIds(stream).length);
    const seen = all.map((stream) => newIds(stream).slice(0, Math.min(...counts)));

    expect(seen[0]?.length).toBeGreaterThanOrEqual(10);
    for (const ids of seen) expect(ids).toEqual(seen[0]);
  });

  it("passes each event on as it arrives, not in bursts (the proxy does not buffer)", async () => {
    const [stream] = [...streams.values()];
    if (!stream) throw new Error("no stream");
    const from = stream.frames.length;
    await stream.until(
      () => stream.frames.slice(from).filter((frame) => frame.event === "gps_state").length >= 11,
      "11 more events",
      10_000,
    );

    // Ten records a second: with a buffering proxy, they would come in a few big chunks.
    const times = stream.frames
      .slice(from)
      .filter((frame) => frame.event === "gps_state")
      .slice(0, 11)
      .map((frame) => frame.receivedAt);
    const gaps = times.slice(1).map((time, i) => time - (times[i] ?? time));
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThan(600);
    expect(gaps.filter((gap) => gap > 40).length).toBeGreaterThanOrEqual(8);
  });

  it("publishes only the proxy's port: neither Redis nor the web instances", async () => {
    const client = await getContainerRuntimeClient();
    const published = async (name: string) => {
      const inspect = await client.container.inspect(
        client.container.getById(stack.getContainer(name).getId()),
      );
      return Object.values(inspect.NetworkSettings.Ports ?? {}).filter((bindings) => bindings?.length).length;
    };

    expect(await published("redis-1")).toBe(0);
    for (let i = 1; i <= REPLICAS; i++) expect(await published(`web-${i}`)).toBe(0);
    expect(await published("proxy-1")).toBe(1);
  });
});

describe("docker-compose-pubsub.yml, in a browser", () => {
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  /** Every request the page made, but map tiles (from the Internet, and failing offline). */
  const requests: string[] = [];
  /** The states of the connection indicator, in order. */
  const states: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("request", (request) => {
      if (!request.url().includes("tile.openstreetmap.org")) {
        requests.push(`${request.method()} ${request.url().replace(base, "")}`);
      }
    });
    page.on("console", (message) => {
      // Offline, the OpenStreetMap tiles fail to load: that is expected, and the SVG drawing shows.
      if (message.type() === "error" && !message.location().url.includes("tile.openstreetmap.org")) {
        consoleErrors.push(message.text());
      }
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    await page.exposeFunction("reportConnection", (state: string) => states.push(state));
    await page.goto(base);
    // Every state the connection indicator goes through, however briefly.
    await page.evaluate(() => {
      const indicator = document.getElementById("connection");
      const report = (window as unknown as { reportConnection: (state: string) => void }).reportConnection;
      if (!indicator) throw new Error("no #connection");
      new MutationObserver(() => report(indicator.dataset.state ?? "")).observe(indicator, {
        attributeFilter: ["data-state"],
      });
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const rowCount = () => page.locator("#samples tbody tr").count();
  const indicator = () => page.getAttribute("#connection", "data-state");

  it("shows the page connected, with the table, the charts and the map growing as records are pushed", async () => {
    expect(await page.title()).toBe("GPS Reactive Replayer");
    await vi.waitFor(async () => expect(await indicator()).toBe("connected"), UNTIL);
    expect(await page.textContent("#connection")).toMatch(/^Connected/);

    const first = await page.getAttribute("#samples tbody tr:first-child", "data-timestamp");
    await vi.waitFor(async () => {
      expect(await page.getAttribute("#samples tbody tr:first-child", "data-timestamp")).not.toBe(first);
      expect(await rowCount()).toBeGreaterThanOrEqual(5);
    }, UNTIL);
    for (const id of ["chart-distance", "chart-speed", "chart-elevation"]) {
      const points = (await page.locator(`#${id} polyline`).getAttribute("points")) ?? "";
      expect(points.trim().split(/\s+/).length, id).toBeGreaterThanOrEqual(5);
    }
    expect(await page.locator("#track-drawing circle.track-current").count()).toBe(1);
    // Leaflet draws the track from the drawing's data-track: the line, and the start and current markers.
    await vi.waitFor(
      async () => expect(await page.locator(".leaflet-overlay-pane path").count()).toBe(3),
      UNTIL,
    );
  });

  it("shows the latency of each record, and its median and 95th percentile", async () => {
    await vi.waitFor(async () => {
      expect(Number(await page.textContent("#latency-count"))).toBeGreaterThanOrEqual(10);
    }, UNTIL);

    for (const id of ["latency-latest", "latency-p50", "latency-p95"]) {
      expect(await page.textContent(`#${id}`), id).toMatch(/^-?\d+ ms$/);
    }
    const median = Number.parseInt((await page.textContent("#latency-p50")) ?? "", 10);
    expect(median).toBeGreaterThanOrEqual(0);
    expect(median).toBeLessThan(1000);
    expect(await page.textContent("#last-update")).toMatch(/pushed by web instance [0-9a-f]{12}\./);
  });

  it("made no request after loading but its one event stream: nothing polls", async () => {
    const before = [...requests];
    const rows = await rowCount();
    const latest = await page.textContent("#latency-count");
    // Two seconds at ten records a second: twenty updates, and not one request.
    await vi.waitFor(async () => {
      expect(await page.textContent("#latency-count")).not.toBe(latest);
      expect(Number(await page.textContent("#latency-count"))).toBeGreaterThanOrEqual(Number(latest) + 20);
    }, UNTIL);

    expect(requests).toEqual(before);
    expect(await rowCount()).toBeGreaterThanOrEqual(rows);
    expect(requests.filter((request) => request === "GET /ui/events")).toHaveLength(1);
    expect(new Set(requests).size).toBe(requests.length);
    for (const request of requests) {
      expect(request).toMatch(/^GET (\/|\/ui\/events|\/(static|vendor|assets)\/\S+)$/);
    }
  });

  it("logs no error in the console, and leaves a screenshot", async () => {
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(consoleErrors).toEqual([]);
  });

  it("breaks no rule of axe-core", async () => {
    expect(await axeViolations(page)).toEqual([]);
  });

  it("shows a record published by hand with redis-cli, once the replayer is stopped", async () => {
    await dockerContainer("replayer-1", "stop");
    const latest = JSON.parse(await redisCli("GET", "gps_state")) as { timestamp: number };
    const mine = {
      ...recordAt(latest.timestamp + 1),
      latitude: 37.8716,
      longitude: -122.2727,
      satellites: 42,
    };

    // The answer is the number of subscribers that received it: one per web instance, and the
    // speed alerts (the capstone's service). Typed by hand, the message has no id: it is relayed
    // live, and is in no history.
    const subscribers = (await redisCli("PUBSUB", "NUMSUB", "gps_state")).split("\n").at(-1);
    expect(Number(subscribers)).toBeGreaterThanOrEqual(REPLICAS);
    expect(await redisCli("PUBLISH", "gps_state", JSON.stringify({ record: mine }))).toBe(subscribers);

    await vi.waitFor(async () => {
      expect(await page.textContent('#state-card [data-field="satellites"] .value')).toBe("42");
      expect(await page.getAttribute("#samples tbody tr:first-child", "data-timestamp")).toBe(
        String(mine.timestamp),
      );
    }, UNTIL);
  });

  it("says when the web lost Redis, and when it is back, as Redis restarts", async () => {
    const from = states.length;

    // As `docker compose restart redis` does: SIGTERM, and Redis saves its data before it stops.
    await stack.getContainer("redis-1").restart({ timeout: 10_000 });

    await vi.waitFor(() => expect(states.slice(from)).toContain("redis-reconnecting"), UNTIL);
    await vi.waitFor(() => expect(states.at(-1)).toBe("connected"), UNTIL);
    expect(await page.textContent("#connection")).toMatch(/^Connected/);
  });

  it("reconnects to another web instance when its own stops", async () => {
    // The stamp names the instance that sent the last frame, or the whole dashboard on connecting.
    const instance = async () =>
      /web instance ([0-9a-f]{12})/.exec((await page.textContent("#last-update")) ?? "")?.[1];
    const serving = await instance();
    expect(webInstances()).toContain(serving);
    const from = states.length;

    await dockerContainer(`web-${webInstances().indexOf(serving ?? "") + 1}`, "stop");

    await vi.waitFor(() => expect(states.slice(from)).toContain("web-reconnecting"), UNTIL);
    await vi.waitFor(() => expect(states.at(-1)).toBe("connected"), UNTIL);
    await vi.waitFor(async () => {
      const now = await instance();
      expect(webInstances()).toContain(now);
      expect(now).not.toBe(serving);
    }, UNTIL);
  });
});

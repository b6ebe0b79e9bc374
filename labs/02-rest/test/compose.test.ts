import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { GPS_RECORD_FIELDS } from "@gps-workshop/shared";
import { composeUp, freePort, launchBrowser, REPO_ROOT } from "@gps-workshop/shared/testing";
import type { AxeResults } from "axe-core";
import type { Browser, Page } from "playwright-core";
import { getContainerRuntimeClient, type StartedDockerComposeEnvironment, Wait } from "testcontainers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The whole lab as a student runs it: docker-compose-rest.yml, images built from the repository.
// One stack for the file: the curl checks first, then a real browser on the page.

const UNTIL = { timeout: 20_000, interval: 250 };
const SCREENSHOT = path.join(REPO_ROOT, "test-results", "lab02-web.png");
// axe-core from node_modules, injected into the page: no CDN.
const AXE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** What axe-core finds wrong in the page as it is now, one line per rule broken: none, we expect. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, which the page's Content-Security-Policy does not restrict.
  await page.evaluate(AXE);
  const { violations }: AxeResults = await page.evaluate("axe.run()");
  return violations.map(
    ({ id, help, nodes }) => `${id}: ${help} (${nodes.map((node) => node.target).join(", ")})`,
  );
}

let stack: StartedDockerComposeEnvironment;
let api: string;
let web: string;

beforeAll(async () => {
  const [apiPort, webPort] = [await freePort(), await freePort()];
  stack = await composeUp({
    files: ["docker-compose-rest.yml"],
    // Ten records a second, so the page has something new at every poll.
    env: { LAB02_API_PORT: String(apiPort), LAB02_WEB_PORT: String(webPort), REPLAY_SPEED: "10" },
    waitFor: { "api-1": Wait.forHealthCheck(), "web-1": Wait.forHealthCheck() },
  });
  api = `http://localhost:${apiPort}`;
  web = `http://localhost:${webPort}`;
}, 600_000);

afterAll(async () => {
  await stack?.down();
});

describe("docker-compose-rest.yml, with curl", () => {
  it("GET /gps_state answers 200 with the 13 fields of the record", async () => {
    const body = await vi.waitFor(async () => {
      const response = await fetch(`${api}/gps_state`);
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    }, UNTIL);

    expect(Object.keys(body)).toEqual(GPS_RECORD_FIELDS);
  });

  it("GET /compute_avg_speed answers a number after the window", async () => {
    const started = performance.now();
    const response = await fetch(`${api}/compute_avg_speed?time_window_seconds=2`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expect.any(Number));
    expect(performance.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it("POST /request_to_compute_avg_speed answers 202 with a Location, and the task reaches DONE", async () => {
    const response = await fetch(`${api}/request_to_compute_avg_speed?time_window_seconds=1`, {
      method: "POST",
    });

    expect(response.status).toBe(202);
    const { task_id } = (await response.json()) as { task_id: string };
    expect(response.headers.get("location")).toBe(`/get_avg_speed_task_status?task_id=${task_id}`);
    const done = await vi.waitFor(async () => {
      const status = (await (await fetch(`${api}${response.headers.get("location")}`)).json()) as {
        status: string;
        result?: number;
      };
      expect(status.status).toBe("DONE");
      return status;
    }, UNTIL);
    expect(done.result).toEqual(expect.any(Number));
  });

  it("answers a bad window with 400 problem JSON", async () => {
    const response = await fetch(`${api}/compute_avg_speed?time_window_seconds=-1`);

    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("serves the page on LAB02_WEB_PORT", async () => {
    const response = await fetch(web);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<title>GPS REST Replayer</title>");
  });

  it("does not publish Redis on the host, and the web cannot reach it", async () => {
    const client = await getContainerRuntimeClient();
    const redis = await client.container.inspect(
      client.container.getById(stack.getContainer("redis-1").getId()),
    );

    expect(redis.HostConfig.PortBindings ?? {}).toEqual({});
    expect(Object.values(redis.NetworkSettings.Ports ?? {}).filter((bindings) => bindings?.length)).toEqual(
      [],
    );
    // The web is on the frontend network only: the name "redis" does not even resolve there.
    const probe = await stack
      .getContainer("web-1")
      .exec([
        "node",
        "-e",
        "require('node:dns').lookup('redis', (error) => { console.log(error ? error.code : 'found'); })",
      ]);
    expect(probe.output.trim()).toBe("ENOTFOUND");
    const fromApi = await stack
      .getContainer("api-1")
      .exec([
        "node",
        "-e",
        "require('node:dns').lookup('redis', (error) => { console.log(error ? error.code : 'found'); })",
      ]);
    expect(fromApi.output.trim()).toBe("found");
  });
});

describe("docker-compose-rest.yml, in a browser", () => {
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (message) => {
      // Offline, the OpenStreetMap tiles fail to load: that is expected, and the SVG drawing shows.
      if (message.type() === "error" && !message.location().url.includes("tile.openstreetmap.org")) {
        consoleErrors.push(message.text());
      }
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    await page.goto(web);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const rowCount = () => page.locator("#samples tbody tr").count();

  it("shows the page, and the table grows as the replay advances", async () => {
    expect(await page.title()).toBe("GPS REST Replayer");
    await vi.waitFor(async () => expect(await rowCount()).toBeGreaterThanOrEqual(2), UNTIL);
    expect(await page.textContent("#poller .banner")).toMatch(/^Last answer from the API at /);
    expect(await page.textContent('#state-card [data-field="speed_meters_per_second"] .unit')).toBe("m/s");
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("draws the charts and the track, on the SVG drawing and in the Leaflet map", async () => {
    const rows = await rowCount();
    for (const id of ["chart-distance", "chart-speed", "chart-elevation"]) {
      const points = (await page.locator(`#${id} polyline`).getAttribute("points")) ?? "";
      expect(points.trim().split(/\s+/).length, id).toBeGreaterThanOrEqual(Math.min(rows, 2));
    }
    expect(await page.locator("#track-drawing polyline.track-line").count()).toBe(1);
    expect(await page.locator("#track-drawing circle.track-current").count()).toBe(1);
    expect(await page.locator(".leaflet-host.leaflet-container").count()).toBe(1);
    // Leaflet draws the track from the drawing's data-track (under the drawing while offline):
    // the line, and the start and current markers.
    await vi.waitFor(
      async () => expect(await page.locator(".leaflet-overlay-pane path").count()).toBe(3),
      UNTIL,
    );
  });

  it("polls faster once the period is changed to 1 s", async () => {
    await page.fill("#period", "1");
    await page.click("#period-form button");
    await vi.waitFor(
      async () => expect(await page.getAttribute("#poller", "hx-trigger")).toBe("load, every 1s"),
      UNTIL,
    );
    const before = await rowCount();

    // At 5 s a poll, three more rows would take 15 s: at 1 s, about 3.
    await vi.waitFor(async () => expect(await rowCount()).toBeGreaterThanOrEqual(before + 3), {
      timeout: 6000,
      interval: 100,
    });
    expect(await page.textContent("#samples .note")).toContain("every second");
  });

  it("runs the non-blocking flow to DONE in the page", async () => {
    await page.fill("#task-seconds", "2");
    await page.click("#task-form button");

    await vi.waitFor(async () => {
      expect(await page.textContent("#task-status .status")).toMatch(/REQUESTED|RUNNING/);
    }, UNTIL);
    await vi.waitFor(async () => expect(await page.textContent("#task-status .status")).toBe("DONE"), UNTIL);
    expect(await page.textContent("#task-status .speed")).toMatch(/^\d+\.\d\d m\/s \(\d+\.\d km\/h\)$/);
    expect(await page.getAttribute("#task-status", "hx-trigger")).toBeNull();
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("shows the blocking request waiting, with the seconds elapsed, then its result", async () => {
    await page.fill("#blocking-seconds", "2");
    await page.click("#blocking-form button");

    await vi.waitFor(async () => {
      expect(await page.isVisible("#blocking-form .waiting")).toBe(true);
      expect(Number(await page.textContent("#blocking-form [data-elapsed]"))).toBeGreaterThanOrEqual(1);
      expect(await page.isDisabled("#blocking-form button")).toBe(true);
    }, UNTIL);
    await vi.waitFor(async () => {
      expect(await page.textContent("#blocking-result .speed")).toMatch(/^\d+\.\d\d m\/s \(\d+\.\d km\/h\)$/);
    }, UNTIL);
    expect(await page.textContent("#blocking-result")).toMatch(/Waited\s*2\.\d s/);
    expect(await page.isVisible("#blocking-form .waiting")).toBe(false);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("answers an unknown URL with a page that names it, as accessible as the main page", async () => {
    const notFound = await browser.newPage();
    const response = await notFound.goto(`${web}/nothing-here`);

    expect(response?.status()).toBe(404);
    expect(await notFound.textContent("main code")).toBe("/nothing-here");
    expect(await accessibilityViolations(notFound)).toEqual([]);
    await notFound.close();
  });

  it("logs no error in the console, and leaves a screenshot", async () => {
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(consoleErrors).toEqual([]);
  });
});

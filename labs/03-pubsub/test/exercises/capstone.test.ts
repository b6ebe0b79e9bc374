import {
  composeUp,
  containerLogs,
  dockerStop,
  freePort,
  launchBrowser,
  REPO_ROOT,
} from "@gps-workshop/shared/testing";
import type { Browser, Page } from "playwright-core";
import {
  DockerComposeEnvironment,
  getContainerRuntimeClient,
  type StartedDockerComposeEnvironment,
  type StartedTestContainer,
  Wait,
} from "testcontainers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type EventStream, openEventStream } from "./support.ts";

// lab03.capstone: docker-compose-pubsub.yml as a student runs it, your `alerts` service included,
// with capstone.compose.yml on top. Once the web and your service listen, the replayer plays
// speed-crossings.csv once: under 25 km/h, above it for three rows (30.6 km/h first), under it
// again (19.8 km/h first), and above it on the last row (32.4 km/h). Exactly three events must
// follow on gps_alerts, one per crossing, and reach /events and the page. Redis is reached as in
// the README, through `redis-cli` in its container; gps_alerts, through a recorder's log.

const FILES = ["docker-compose-pubsub.yml", "labs/03-pubsub/test/exercises/capstone.compose.yml"];
const LIMIT_KMH = 25;
/** The rows where the speed crosses the limit, and what an event about each says. */
const CROSSINGS = [
  { row: 4, type: "speeding", speed_kmh: 30.6 },
  { row: 7, type: "back-under-limit", speed_kmh: 19.8 },
  { row: 10, type: "speeding", speed_kmh: 32.4 },
];
const ROWS = 11;

let stack: StartedDockerComposeEnvironment;
let replayer: StartedDockerComposeEnvironment | undefined;
let env: Record<string, string>;
let base: string;
/** /events through the proxy, and the page in a browser, both open before the replay. */
let events: EventStream;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const webPort = await freePort();
  env = { LAB03_WEB_PORT: String(webPort), WEB_REPLICAS: "1", SPEED_LIMIT_KMH: String(LIMIT_KMH) };
  stack = await composeUp({
    files: FILES,
    env,
    waitFor: {
      "proxy-1": Wait.forHealthCheck(),
      "web-1": Wait.forHealthCheck(),
      // Whatever its healthcheck says: the checks below tell what is wrong with it.
      "alerts-1": Wait.forListeningPorts(),
    },
  });
  base = `http://127.0.0.1:${webPort}`;
  events = await openEventStream(`${base}/events`, { closeAfterTest: false });
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(base);
}, 600_000);

afterAll(async () => {
  events?.close();
  await browser?.close();
  // The same project: the second `down` finds nothing left when the first took it all.
  await replayer?.down();
  await stack?.down();
});

/** `docker compose exec redis redis-cli …`: its answer, one line per value. */
async function redisCli(...args: string[]): Promise<string[]> {
  const result = await stack.getContainer("redis-1").exec(["redis-cli", ...args]);
  expect(result.exitCode, result.output).toBe(0);
  return result.output.split("\n").filter((line) => line.trim() !== "");
}

/**
 * The messages on gps_alerts so far, as the recorder printed them: `"message","gps_alerts","…"`,
 * the text quoted as redis-cli quotes it.
 */
async function alertsOnChannel(): Promise<string[]> {
  const prefix = '"message","gps_alerts","';
  return (await containerLogs(stack.getContainer("check-recorder-1")))
    .split("\n")
    .filter((line) => line.startsWith(prefix))
    .map((line) => unquote(line.slice(prefix.length, line.lastIndexOf('"'))));
}

/** redis-cli's quoting undone: \" \\ \n \r \t \a \b, and \xHH for the other bytes (of UTF-8). */
function unquote(quoted: string): string {
  const escapes: Record<string, string> = { n: "\n", r: "\r", t: "\t", a: "\x07", b: "\b" };
  const bytes = quoted.replace(/\\(x[0-9a-f]{2}|.)/g, (_, escaped: string) =>
    escaped.length === 3
      ? String.fromCharCode(Number.parseInt(escaped.slice(1), 16))
      : (escapes[escaped] ?? escaped),
  );
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** A service's logs, for a failure message. */
async function logsOf(container: () => StartedTestContainer): Promise<string> {
  try {
    const lines = (await containerLogs(container())).trim().split("\n");
    return `The ${container().getName()} service logged:\n${lines.slice(-12).join("\n")}`;
  } catch {
    return "";
  }
}

const logs = async () =>
  [
    await logsOf(() => stack.getContainer("alerts-1")),
    await logsOf(() => replayer?.getContainer("replayer-1") ?? stack.getContainer("replayer-1")),
  ].join("\n");

/** The project's name, which a second `docker compose up` needs to join the same stack. */
async function projectName(): Promise<string> {
  const client = await getContainerRuntimeClient();
  const inspect = await client.container.inspect(
    client.container.getById(stack.getContainer("redis-1").getId()),
  );
  return inspect.Config.Labels["com.docker.compose.project"] ?? "";
}

/** Your service's container, or a failure that says it is missing. */
function alertsService(): StartedTestContainer {
  try {
    return stack.getContainer("alerts-1");
  } catch {
    return expect.fail(
      "no service named alerts runs: is it in docker-compose-pubsub.yml, and does it stay up? " +
        "(docker compose -f docker-compose-pubsub.yml logs alerts)",
    );
  }
}

let replay: Promise<{ record_id: string; type: string; speed_kmh: number }[]> | undefined;

/**
 * Plays the track once every subscriber listens, the first time it is called; resolves with the
 * events expected, in order, with the ids the replayed records got.
 */
function replayed() {
  replay ??= (async () => {
    alertsService();
    // On gps_state, the web and a service of yours; on gps_alerts, the web and the recorder.
    await vi.waitFor(
      async () => {
        const [, onState, , onAlerts] = await redisCli("PUBSUB", "NUMSUB", "gps_state", "gps_alerts");
        expect(onAlerts).toBe("2");
        expect(
          onState,
          `services subscribed to gps_state: only the web when 1; is yours in docker-compose-pubsub.yml, and does it subscribe?\n${await logs()}`,
        ).toBe("2");
      },
      { timeout: 30_000, interval: 250 },
    );
    replayer = await new DockerComposeEnvironment(REPO_ROOT, FILES)
      .withProjectName(await projectName())
      .withProfiles("check-replay")
      .withEnvironment(env)
      .up(["replayer"]);
    // Each entry comes as its id, then its field and value, one a line.
    const ids = async () =>
      (await redisCli("XRANGE", "gps_history", "-", "+")).filter((line) => /^\d+-\d+$/.test(line));
    try {
      await vi.waitFor(async () => expect(await ids()).toHaveLength(ROWS), {
        timeout: 60_000,
        interval: 250,
      });
    } catch (error) {
      expect.fail(`the replayer did not store the track's ${ROWS} rows: ${String(error)}\n${await logs()}`);
    }
    const stored = await ids();
    return CROSSINGS.map(({ row, type, speed_kmh }) => ({ type, speed_kmh, record_id: stored[row] ?? "" }));
  })();
  return replay;
}

/** The events on gps_alerts, once the last record's has come (so that any other came before it). */
async function alertsReceived(): Promise<Record<string, unknown>[]> {
  const expected = await replayed();
  const last = expected.at(-1)?.record_id ?? "";
  let alerts: string[] = [];
  try {
    await vi.waitFor(
      async () => {
        alerts = await alertsOnChannel();
        expect(alerts.some((alert) => alert.includes(last))).toBe(true);
      },
      { timeout: 30_000, interval: 250 },
    );
  } catch {
    expect.fail(
      `no event about the last record (${last}) on gps_alerts; received:\n${alerts.join("\n")}\n${await logs()}`,
    );
  }
  return alerts.map((alert) => JSON.parse(alert) as Record<string, unknown>);
}

describe("lab03.capstone", () => {
  it("runs your service as `alerts` of docker-compose-pubsub.yml, on the backend network only", async () => {
    const client = await getContainerRuntimeClient();
    const inspect = await client.container.inspect(client.container.getById(alertsService().getId()));
    expect(Object.keys(inspect.NetworkSettings.Networks).map((name) => name.replace(/^.*_/, ""))).toEqual([
      "backend",
    ]);
    expect(inspect.Config.Image).toMatch(/^gps-workshop\/lab03-pubsub(:latest)?$/);
  });

  it("publishes exactly one event per crossing on gps_alerts, in order, as the track is replayed", async () => {
    const received = await alertsReceived();

    expect(received.map(({ type }) => type)).toEqual(CROSSINGS.map(({ type }) => type));
    const expected = await replayed();
    received.forEach((event, i) => {
      expect(event).toMatchObject({ record_id: expected[i]?.record_id, limit_kmh: LIMIT_KMH });
      expect(event.speed_kmh).toBeCloseTo(expected[i]?.speed_kmh ?? 0, 0);
    });
  }, 150_000);

  it("reaches /events through the web as `alert` events, in the same order", async () => {
    const received = await alertsReceived();

    const relayed = await events.until("alert", received.length, 10_000);
    expect(relayed.map(({ data }) => JSON.parse(data))).toEqual(received);
  });

  it("shows each event in the page's Alerts panel, newest first, in a real browser", async () => {
    const received = await alertsReceived();

    const items = page.locator("#alert-list li");
    await vi.waitFor(async () => expect(await items.count()).toBe(received.length), { timeout: 10_000 });
    const texts = await items.allTextContents();
    received.toReversed().forEach(({ type, record_id }, i) => {
      expect(texts[i]).toContain(String(type));
      expect(texts[i]).toContain(String(record_id));
    });
  });

  it("stops on docker stop with exit code 0", async () => {
    // SIGTERM, and SIGKILL 10 s later if it is still running (exit code 137).
    expect((await dockerStop(alertsService())).exitCode).toBe(0);
  });
});

import type { GpsRecord } from "@gps-workshop/shared";
import { attributeOf, gpsRecord, tableTimestamps, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { writeRecord } from "./support/api-records.ts";
import { startStack } from "./support/web-api.ts";
import { chartPointCount, pageIdIn, stateReadings, trackLatLngs } from "./support/web-html.ts";

/** A record `seconds` after the first one, moved north a little each second. */
function recordAt(seconds: number, overrides: Partial<GpsRecord> = {}): GpsRecord {
  return gpsRecord({ timestamp: 1_700_000_000 + seconds, latitude: 45.1885 + seconds * 1e-4, ...overrides });
}

describe("the page", () => {
  test("is titled GPS REST Replayer, polls every 5 s with a page id of its own, under a strict CSP", async ({
    redis,
  }) => {
    const { web } = await startStack(redis);

    const page = await web.html("/");

    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.body).toContain("<title>GPS REST Replayer</title>");
    expect(page.body).toMatch(/<h1>GPS REST Replayer<\/h1>/);
    const id = pageIdIn(page.body);
    expect(attributeOf(page.body, "poller", "hx-get")).toBe(`/poll?page=${id}&period=5`);
    expect(attributeOf(page.body, "poller", "hx-trigger")).toBe("load, every 5s");
    expect(attributeOf(page.body, "period", "value")).toBe("5");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("https://*.tile.openstreetmap.org");
    expect(csp).not.toContain("unsafe");
    // No inline script, no inline handler, no inline style: the CSP would block them.
    expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page.body).not.toMatch(/\son[a-z]+=/i);
    expect(page.body).not.toMatch(/\sstyle=/);
  });

  test("links only to files that the web serves itself", async ({ redis }) => {
    const { web } = await startStack(redis);
    const page = await web.html("/");
    const links = [...page.body.matchAll(/(?:href|src)="(\/[^"]+)"/g)].map(([, link]) => link ?? "");
    const assets = links.filter((link) => /\.(js|css|svg)$/.test(link));

    expect(assets).toEqual(
      expect.arrayContaining([
        "/vendor/htmx/htmx.min.js",
        "/vendor/leaflet/leaflet.js",
        "/vendor/leaflet/leaflet.css",
        "/static/workshop.css",
        "/static/map.js",
        "/static/elapsed.js",
        "/static/favicon.svg",
      ]),
    );
    for (const asset of [...assets, "/vendor/leaflet/images/marker-icon.png"]) {
      const response = await fetch(`${web.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get("content-security-policy"), asset).not.toBeNull();
      await response.arrayBuffer();
    }
  });

  test("answers an unknown URL with a 404 page that names it", async ({ redis }) => {
    const { web } = await startStack(redis);

    const page = await web.html("/nothing<here>");

    expect(page.status).toBe(404);
    expect(page.body).toContain("<code>/nothing%3Chere%3E</code>");
  });
});

describe("a poll", () => {
  test("shows the latest record in the state card, all 13 fields with their units", async ({ redis }) => {
    const { api, web } = await startStack(redis);
    await writeRecord(api.writer, api.keys, recordAt(0, { speed_meters_per_second: 4.2 }));
    const id = pageIdIn((await web.html("/")).body);

    const poll = await web.html(`/poll?page=${id}&period=5`);

    expect(poll.status).toBe(200);
    expect(poll.body).toMatch(
      /class="banner banner--ok"[^>]*>Last answer from the API at \d\d:\d\d:\d\d UTC/,
    );
    expect(stateReadings(poll.body)).toEqual({
      timestamp: "2023-11-14 22:13:20 UTC",
      latitude: "45.188500 ° N",
      longitude: "5.724500 ° E",
      elevation: "212.5 m",
      accuracy: "4.0 m",
      bearing: "90 °",
      speed_meters_per_second: "4.20 m/s",
      satellites: "9 in use",
      hdop: "0.9 (ratio)",
      vdop: "1.2 (ratio)",
      pdop: "1.5 (ratio)",
      distance_meters: "1.5 m",
      elapsed_time_seconds: "1.0 s",
    });
    // Every widget comes out of band, into the element with its id.
    for (const id of ["state-card", "charts", "track-drawing"]) {
      expect(attributeOf(poll.body, id, "hx-swap-oob")).toBe("true");
    }
    expect(attributeOf(poll.body, "samples", "hx-swap-oob")).toBe("outerMorph");
  });

  test("shows a missing reading as — without a unit", async ({ redis }) => {
    const { api, web } = await startStack(redis);
    await writeRecord(api.writer, api.keys, recordAt(0, { elevation: null, satellites: null, hdop: null }));
    const id = pageIdIn((await web.html("/")).body);

    const readings = stateReadings((await web.html(`/poll?page=${id}&period=5`)).body);

    expect(readings).toMatchObject({ elevation: "—", satellites: "—", hdop: "—", accuracy: "4.0 m" });
  });

  test("adds each new record to the table, newest first, and a record polled twice only once", async ({
    redis,
  }) => {
    const { api, web } = await startStack(redis);
    const id = pageIdIn((await web.html("/")).body);
    const poll = async () => (await web.html(`/poll?page=${id}&period=5`)).body;

    await writeRecord(api.writer, api.keys, recordAt(0));
    expect(tableTimestamps(await poll())).toEqual([1_700_000_000]);
    expect(tableTimestamps(await poll())).toEqual([1_700_000_000]);
    await writeRecord(api.writer, api.keys, recordAt(5));
    await writeRecord(api.writer, api.keys, recordAt(10));
    const body = await poll();

    expect(tableTimestamps(body)).toEqual([1_700_000_010, 1_700_000_000]);
    expect(body).toMatch(/Samples received <span class="count">\(2\)<\/span>/);
    expect(body).toContain("shows about one record in 5");
  });

  test("keeps a table for each page: another page load starts empty", async ({ redis }) => {
    const { api, web } = await startStack(redis);
    const first = pageIdIn((await web.html("/")).body);
    const second = pageIdIn((await web.html("/")).body);
    expect(second).not.toBe(first);

    await writeRecord(api.writer, api.keys, recordAt(0));
    await web.html(`/poll?page=${first}&period=5`);
    await writeRecord(api.writer, api.keys, recordAt(1));
    await web.html(`/poll?page=${first}&period=5`);
    const secondPoll = await web.html(`/poll?page=${second}&period=5`);
    const firstPoll = await web.html(`/poll?page=${first}&period=5`);

    expect(tableTimestamps(firstPoll.body)).toEqual([1_700_000_001, 1_700_000_000]);
    expect(tableTimestamps(secondPoll.body)).toEqual([1_700_000_001]);
  });

  test("draws the charts and the track with one point per sample", async ({ redis }) => {
    const { api, web } = await startStack(redis);
    const id = pageIdIn((await web.html("/")).body);
    let body = "";
    for (let second = 0; second < 7; second++) {
      await writeRecord(api.writer, api.keys, recordAt(second, { speed_meters_per_second: second }));
      body = (await web.html(`/poll?page=${id}&period=5`)).body;
    }

    expect(chartPointCount(body, "chart-distance")).toBe(7);
    expect(chartPointCount(body, "chart-speed")).toBe(7);
    expect(chartPointCount(body, "chart-elevation")).toBe(7);
    expect(body).toMatch(/<span class="chart-latest">6\.00 m\/s<\/span>/);
    expect(body).toMatch(/<polyline class="track-line" points="[^"]+"/);
    const track = trackLatLngs(body);
    expect(track).toHaveLength(7);
    expect(track[0]).toEqual([45.1885, 5.7245]);
    expect(track[6]).toEqual([45.1891, 5.7245]);
  });

  test("is refused with 400 when its page id or period is malformed", async ({ redis }) => {
    const { web } = await startStack(redis);

    for (const query of ["page=nope&period=5", `page=${crypto.randomUUID()}&period=0`, ""]) {
      const poll = await web.html(`/poll?${query}`);
      expect(poll.status, query).toBe(400);
      expect(poll.body).toContain("banner--error");
    }
  });

  test("of a page the web has forgotten (restarted) starts its table again", async ({ redis }) => {
    const { api, web } = await startStack(redis);
    await writeRecord(api.writer, api.keys, recordAt(0));

    const poll = await web.html(`/poll?page=${crypto.randomUUID()}&period=5`);

    expect(poll.status).toBe(200);
    expect(tableTimestamps(poll.body)).toEqual([1_700_000_000]);
  });
});

describe("the request period", () => {
  test("once changed, re-arms the poller at the new period", async ({ redis }) => {
    const { web } = await startStack(redis);
    const id = pageIdIn((await web.html("/")).body);

    const answer = await web.html("/period", { page: id, period: "1" });

    expect(answer.status).toBe(200);
    expect(attributeOf(answer.body, "period", "value")).toBe("1");
    expect(answer.body).toContain("every <strong>1 s</strong>");
    expect(attributeOf(answer.body, "poller", "hx-swap-oob")).toBe("true");
    expect(attributeOf(answer.body, "poller", "hx-trigger")).toBe("load, every 1s");
    expect(attributeOf(answer.body, "poller", "hx-get")).toBe(`/poll?page=${id}&period=1`);
  });

  test("out of range, is refused in the form, and the poller keeps the old period", async ({ redis }) => {
    const { web } = await startStack(redis);
    const id = pageIdIn((await web.html("/")).body);
    await web.html("/period", { page: id, period: "3" });

    for (const typed of ["0", "61", "2.5", "soon", ""]) {
      const answer = await web.html("/period", { page: id, period: typed });

      expect(answer.status, typed).toBe(422);
      expect(answer.body).toContain(
        `The period must be a whole number of seconds from 1 to 60 (got &quot;${typed}&quot;): ` +
          "the page keeps asking every 3 s.",
      );
      expect(attributeOf(answer.body, "period", "aria-invalid")).toBe("true");
      expect(openingTagCount(answer.body, "poller")).toBe(0);
    }
  });
});

function openingTagCount(html: string, id: string): number {
  return html.split(`id="${id}"`).length - 1;
}

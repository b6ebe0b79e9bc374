import { METHODS, request } from "node:http";
import { gpsRecord, ManualClock, test } from "@gps-workshop/shared/testing";
import fc from "fast-check";
import { expect } from "vitest";
import { Problem } from "../src/api/schemas.ts";
import { writeRecord } from "./support/api-records.ts";
import { startApi } from "./support/api-server.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
type Operations = Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;

/** Sends one request as it is (any method, any path), on a connection of its own; fails after 5 s. */
function send(base: string, method: string, path: string): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const options = { hostname, port, method, path, agent: false, signal: AbortSignal.timeout(5000) };
    const sent = request(options, (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    sent.on("error", reject).end();
  });
}

// Values that third-party tools tried, or that parsers get wrong (as sent: %20 is a space, + too),
// and any text at all, long or short.
const nasty = fc.constantFrom(
  ...[
    "5e-324",
    "0x10",
    "%205%20",
    "+5",
    "%2B5",
    "-0",
    "0.1",
    "0.05",
    "300",
    "300.0001",
    "1e9",
    "NaN",
    "Infinity",
  ],
  ...["", "%", "%E0%A4%A", "%00", "[]", "{}", "__proto__", "constructor", "9".repeat(10_000)],
);
const value = fc.oneof(
  nasty,
  fc.string({ unit: "binary", maxLength: 30 }).map(encodeURIComponent),
  fc.double().map(String),
  fc.uuid().map((uuid) => uuid.toUpperCase()),
  fc.nat({ max: 400 }).map(String),
);
const name = fc.oneof(
  fc.constantFrom("time_window_seconds", "task_id", "time_window_seconds[]", "__proto__"),
  fc.string({ unit: "binary", maxLength: 10 }).map(encodeURIComponent),
);
const query = fc
  .oneof(
    fc.array(fc.tuple(name, value), { maxLength: 4 }),
    fc.tuple(fc.constant("time_window_seconds"), value).map((pair) => [pair]),
  )
  .map((pairs) => (pairs.length ? `?${pairs.map(([key, val]) => `${key}=${val}`).join("&")}` : ""));

test("answers arbitrary requests only as documented: a success, or problem JSON with a 4xx or 503 status, in time", async ({
  redis,
}) => {
  // Each window ends as soon as it starts: the fuzzer waits for no real time.
  const running = await startApi(redis, { clock: new ManualClock({ automatic: true }) });
  await writeRecord(running.writer, running.keys, gpsRecord());
  const paths: Operations = (await (await fetch(`${running.url}/openapi.json`)).json()).paths;
  const documented = Object.keys(paths);
  const path = fc.oneof(
    { arbitrary: fc.constantFrom(...documented), weight: 4 },
    fc.constantFrom(...documented.map((known) => `${known.toUpperCase()}/`)),
    fc.constantFrom("/", "//gps_state", "/gps_state/x", "/docs/x", "/docs/constructor", "/docs/%E0", "/%"),
    fc.webPath().map((any) => any || "/"),
  );
  const method = fc.oneof(
    { arbitrary: fc.constantFrom("GET", "HEAD", "POST"), weight: 4 },
    fc.constantFrom(...METHODS),
  );

  await fc.assert(
    fc.asyncProperty(method, path, query, async (method, path, query) => {
      fc.pre(method !== "CONNECT"); // a proxy's tunnel, which Node answers by closing the connection
      const answer = await send(running.url, method, `${path}${query}`);

      expect(answer.status === 503 || (answer.status >= 200 && answer.status < 500)).toBe(true);
      // Express matches paths whatever their case, with or without a final slash.
      const documentedPath = documented.find((known) => [known, `${known}/`].includes(path.toLowerCase()));
      const operation = documentedPath ? paths[documentedPath]?.[method.toLowerCase()] : undefined;
      if (answer.status < 400) {
        expect(operation?.responses).toHaveProperty(String(answer.status));
        return;
      }
      expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
      if (method !== "HEAD")
        expect(Problem.parse(JSON.parse(answer.body))).toMatchObject({ status: answer.status });
      if (answer.status === 431) return; // Node's limit, before any route
      if (operation) expect(operation.responses).toHaveProperty(String(answer.status));
      else if (documentedPath)
        expect([answer.status, answer.headers.allow]).toEqual([405, expect.any(String)]);
      // A path that no route takes, or a file of the /docs page whose name is not even %-encoded right.
      else expect(path.startsWith("/docs/") ? [400, 404] : [404]).toContain(answer.status);
    }),
    { numRuns: 400 },
  );

  expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  expect(running.logs.filter((line) => line.includes("failed"))).toEqual([]);
});

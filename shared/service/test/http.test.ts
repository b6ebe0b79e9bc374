import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { decimal } from "../config.ts";
import {
  closeServer,
  HttpProblem,
  healthRoutes,
  notFound,
  onlyMethods,
  parseQuery,
  problemHandler,
  serve,
} from "../http.ts";

class Unavailable extends Error {}

const logged: string[] = [];
let ready = true;
let finishSlow: (() => void) | undefined;

const app = express();
app.use(
  healthRoutes(() => {
    if (!ready) throw new HttpProblem(503, "redis is not answering", { headers: { "Retry-After": "1" } });
  }),
);
app
  .route("/speed")
  .get((req, res) => {
    const { seconds } = parseQuery(z.object({ seconds: decimal({ min: 0.1, max: 300 }) }), req.query);
    res.json({ seconds });
  })
  .all(onlyMethods("GET"));
app.get("/boom", () => {
  throw new Error("secret internals");
});
app.get("/down", () => {
  throw new Unavailable("redis is down");
});
app.get("/slow", async (_req, res) => {
  await new Promise<void>((resolve) => {
    finishSlow = resolve;
  });
  res.status(503).json({ detail: "shutting down" });
});
app.get("/stream", (_req, res) => {
  res.writeHead(200, { "Content-Type": "text/event-stream" }).write(": open\n\n");
});
app.use(notFound("see /docs"));
app.use(
  problemHandler(
    "demo",
    (error) =>
      error instanceof Unavailable
        ? new HttpProblem(503, error.message, { type: "/problems/redis-unavailable" })
        : undefined,
    (line) => logged.push(line),
  ),
);

let base: string;
let port: number;
const server = serve(app, "demo", 0, () => {});

beforeAll(async () => {
  if (!server.listening) await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => server.close());

async function problem(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  return (await response.json()) as Record<string, unknown>;
}

/** Sends raw bytes and returns everything the server answers before it closes the connection. */
function rawRequest(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    let answer = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.on("close", () => resolve(answer)).on("error", reject);
  });
}

describe("problem responses", () => {
  it("answers a bad query parameter with 400, naming it and echoing its value once, cut short", async () => {
    const response = await fetch(`${base}/speed?seconds=${"9".repeat(9000)}x`);
    expect(response.status).toBe(400);
    const body = await problem(response);
    expect(body).toMatchObject({
      type: "/problems/invalid-parameters",
      status: 400,
      invalid_params: [{ name: "seconds" }],
    });
    expect(String(body.detail)).toMatch(
      /^seconds: expected a number from 0.1 to 300, written with digits only \(got "9+…\)$/,
    );
    expect(JSON.stringify(body).length).toBeLessThan(600);
  });

  it("answers a good query", async () => {
    expect(await (await fetch(`${base}/speed?seconds=2.5`)).json()).toEqual({ seconds: 2.5 });
  });

  it("answers another method with 405 and Allow, and HEAD like GET", async () => {
    const response = await fetch(`${base}/speed?seconds=1`, { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    expect(await problem(response)).toMatchObject({
      title: "Method Not Allowed",
      detail: "DELETE is not allowed on /speed: use GET, HEAD",
    });
    expect((await fetch(`${base}/speed?seconds=1`, { method: "HEAD" })).status).toBe(200);
  });

  it("answers an unknown path with 404 and a hint", async () => {
    const response = await fetch(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect(await problem(response)).toMatchObject({
      detail: "there is no /nowhere here: see /docs",
      instance: "/nowhere",
    });
  });

  it("maps the service's own errors, and answers anything else with a 500 that gives nothing away", async () => {
    const down = await fetch(`${base}/down`);
    expect(down.status).toBe(503);
    expect(await problem(down)).toMatchObject({
      type: "/problems/redis-unavailable",
      detail: "redis is down",
    });
    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    expect(JSON.stringify(await problem(boom))).not.toContain("secret internals");
    expect(logged.some((line) => line.startsWith("demo: GET /boom failed: Error: secret internals"))).toBe(
      true,
    );
  });

  it("answers a URL over Node's header limit with 431 problem JSON, not a bare status line", async () => {
    const answer = await rawRequest(`GET /speed?seconds=${"1".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1.1 431 Request Header Fields Too Large\r\n/);
    expect(answer).toContain("Content-Type: application/problem+json");
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body).toMatchObject({ status: 431, title: "Request Header Fields Too Large" });
  });

  it("answers a HEAD request over the header limit with 431 and no body", async () => {
    const answer = await rawRequest(`HEAD /speed?seconds=${"1".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1.1 431 Request Header Fields Too Large\r\n/);
    expect(answer.endsWith("\r\n\r\n")).toBe(true);
    const response = await fetch(`${base}/speed?seconds=1`, {
      method: "HEAD",
      headers: { "x-big": "a".repeat(20_000) },
    });
    expect(response.status).toBe(431);
  });

  it("answers a request it cannot parse with 400 problem JSON", async () => {
    const answer = await rawRequest("NOT HTTP AT ALL\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toMatchObject({ status: 400 });
  });
});

describe("health routes", () => {
  it("answers /healthz always and /readyz once ready, else 503 with the reason", async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: "ready" });
    ready = false;
    const notReady = await fetch(`${base}/readyz`);
    ready = true;
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get("retry-after")).toBe("1");
    expect(await problem(notReady)).toMatchObject({ detail: "redis is not answering" });
  });
});

describe("closeServer", () => {
  it("lets a request in flight send its answer, and cuts open streams after the grace period", async () => {
    const own = serve(app, "demo", 0, () => {});
    await new Promise((resolve) => own.once("listening", resolve));
    const ownBase = `http://127.0.0.1:${(own.address() as AddressInfo).port}`;
    const stream = await fetch(`${ownBase}/stream`);
    const slow = fetch(`${ownBase}/slow`);
    await expect.poll(() => finishSlow).toBeDefined();
    const closing = closeServer(own, 300);
    finishSlow?.();
    const answer = await slow;
    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({ detail: "shutting down" });
    await closing;
    expect(own.listening).toBe(false);
    await expect(stream.text()).rejects.toThrow();
  });
});

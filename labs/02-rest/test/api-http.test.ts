import { connect } from "node:net";
import { test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { expectProblem } from "./support/api-problem.ts";
import { startApi } from "./support/api-server.ts";

/** Sends raw bytes and resolves to everything the API answers before it closes the connection. */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.on("close", () => resolve(answer)).on("error", reject);
  });
}

const PATHS = {
  "/gps_state": "GET, HEAD",
  "/compute_avg_speed": "GET, HEAD",
  "/request_to_compute_avg_speed": "POST",
  "/get_avg_speed_task_status": "GET, HEAD",
  "/healthz": "GET, HEAD",
  "/readyz": "GET, HEAD",
  "/openapi.json": "GET, HEAD",
  "/docs": "GET, HEAD",
};

describe("HTTP errors", () => {
  test("answers 404 problem JSON for an unknown path", async ({ redis }) => {
    const running = await startApi(redis);

    const problem = await expectProblem(await fetch(`${running.url}/gps_states`), 404);

    expect(problem).toMatchObject({ instance: "/gps_states", detail: expect.stringContaining("/docs") });
  });

  test("answers 405 problem JSON with Allow to a method a path does not take, on every path", async ({
    redis,
  }) => {
    const running = await startApi(redis);

    for (const [path, allow] of Object.entries(PATHS)) {
      const method = allow === "POST" ? "GET" : "PUT";
      const response = await fetch(`${running.url}${path}`, { method });
      await expectProblem(response, 405);
      expect(response.headers.get("allow"), path).toBe(allow);
    }
  });

  test("answers a URL over Node's header limit with 431 problem JSON, not a bare status line", async ({
    redis,
  }) => {
    const running = await startApi(redis);

    const answer = await rawRequest(
      running.url,
      `GET /compute_avg_speed?time_window_seconds=${"1".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );

    expect(answer).toMatch(/^HTTP\/1.1 431 /);
    expect(answer).toContain("Content-Type: application/problem+json");
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body).toMatchObject({ status: 431, detail: expect.stringContaining("16 KB") });
  });

  test("echoes a bad value once and cut short, however long it is", async ({ redis }) => {
    const running = await startApi(redis);
    const value = "9".repeat(9000);

    const response = await fetch(`${running.url}/compute_avg_speed?time_window_seconds=${value}`);

    const problem = await expectProblem(response, 400, "time_window_seconds");
    expect(problem.detail).toMatch(/\(got "9+…\)$/);
    expect(JSON.stringify(problem).length).toBeLessThan(1000);
  });
});

describe("health", () => {
  test("GET /healthz answers 200 while the process is up", async ({ redis }) => {
    const running = await startApi(redis);

    const response = await fetch(`${running.url}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  test("GET /readyz answers 200 ready when Redis answers PING", async ({ redis }) => {
    const running = await startApi(redis);

    const response = await fetch(`${running.url}/readyz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready" });
  });
});

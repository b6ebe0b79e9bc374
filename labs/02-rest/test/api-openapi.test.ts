import { GPS_RECORD_FIELDS } from "@gps-workshop/shared";
import { launchBrowser, ManualClock, test } from "@gps-workshop/shared/testing";
import type { Router } from "express";
import { describe, expect } from "vitest";
import { type RunningApi, startApi } from "./support/api-server.ts";

interface Response {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: unknown }>;
}
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  responses: Record<string, Response>;
}
interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

async function openApi(api: RunningApi): Promise<OpenApi> {
  const response = await fetch(`${api.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as OpenApi;
}

type Layer = Router["stack"][number];

/** "GET /path" for every route of an Express router and the routers it uses; HEAD with each GET, as Express answers it. */
function routesOf(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (!layer.route) return "stack" in layer.handle ? routesOf(layer.handle.stack as Layer[]) : [];
    const { path, stack: handlers } = layer.route;
    const methods = handlers.map(({ method }) => method).filter(Boolean); // .all() has no method
    if (methods.includes("get")) methods.push("head");
    return methods.map((method) => `${method.toUpperCase()} ${path}`);
  });
}

/** Every operation of the document, with its path and method. */
function operations(document: OpenApi): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as const,
    ),
  );
}

describe("GET /openapi.json", () => {
  test("lists exactly the routes of the app, methods included, and each route is in it", async ({
    redis,
  }) => {
    const running = await startApi(redis);

    const document = await openApi(running);

    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    // /docs/:file serves the files of the Swagger UI page, which are not part of the API.
    const routes = routesOf(running.api.app.router.stack).filter((route) => !route.endsWith(" /docs/:file"));
    expect(routes.sort()).toEqual(
      operations(document)
        .map(([route]) => route)
        .sort(),
    );
    expect(routes).toEqual(
      expect.arrayContaining(["GET /gps_state", "HEAD /gps_state", "POST /request_to_compute_avg_speed"]),
    );
  });

  test("documents, for every operation, 405 with Allow, 431, problem+json errors and Retry-After on 429 and 503", async ({
    redis,
  }) => {
    const running = await startApi(redis);

    const document = await openApi(running);

    for (const [route, { responses }] of operations(document)) {
      expect(responses["405"]?.headers, route).toHaveProperty("Allow");
      expect(responses, route).toHaveProperty("431");
      for (const [status, response] of Object.entries(responses)) {
        if (status.startsWith("2")) continue;
        expect(response.content, `${route} ${status}`).toEqual({
          "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
        });
        if (status === "429" || status === "503")
          expect(response.headers, `${route} ${status}`).toHaveProperty("Retry-After");
      }
    }
    expect(document.paths["/gps_state"]?.get?.responses).toHaveProperty("503");
    expect(document.paths["/compute_avg_speed"]?.get?.responses).toHaveProperty("429");
  });

  test("documents time_window_seconds with the limits the validator enforces", async ({ redis }) => {
    const running = await startApi(redis, { clock: new ManualClock() });

    const document = await openApi(running);

    for (const [path, method] of [
      ["/compute_avg_speed", "get"],
      ["/request_to_compute_avg_speed", "post"],
    ] as const) {
      expect(document.paths[path]?.[method]?.parameters).toEqual([
        expect.objectContaining({
          name: "time_window_seconds",
          in: "query",
          required: true,
          schema: expect.objectContaining({ type: "number", minimum: 0.1, maximum: 300 }),
        }),
      ]);
    }
    const post = async (seconds: string) =>
      (
        await fetch(`${running.url}/request_to_compute_avg_speed?time_window_seconds=${seconds}`, {
          method: "POST",
        })
      ).status;
    expect([await post("300"), await post("300.001"), await post("0.1"), await post("0.099")]).toEqual([
      202, 400, 202, 400,
    ]);
  });

  test("follows the configured maximum window", async ({ redis }) => {
    const running = await startApi(redis, { maxWindowSeconds: 60 });

    const document = await openApi(running);

    const parameter = document.paths["/compute_avg_speed"]?.get?.parameters?.[0];
    expect(parameter?.schema).toMatchObject({ minimum: 0.1, maximum: 60 });
  });

  test("documents task_id as a UUID", async ({ redis }) => {
    const running = await startApi(redis);

    const document = await openApi(running);

    expect(document.paths["/get_avg_speed_task_status"]?.get?.parameters).toEqual([
      expect.objectContaining({
        name: "task_id",
        in: "query",
        required: true,
        schema: expect.objectContaining({ format: "uuid" }),
      }),
    ]);
  });

  test("describes the GPS record with its 13 fields and errors as problem details", async ({ redis }) => {
    const running = await startApi(redis);

    const { components } = await openApi(running);

    expect(Object.keys(components.schemas.GpsRecord?.properties as object)).toEqual(GPS_RECORD_FIELDS);
    expect(components.schemas.Problem?.required).toEqual(["type", "title", "status", "detail"]);
  });
});

describe("GET /docs", () => {
  test("serves Swagger UI from this server only, with no inline script, under a strict CSP", async ({
    redis,
  }) => {
    const running = await startApi(redis);

    const response = await fetch(`${running.url}/docs`);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toMatch(/^default-src 'self';/);
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\//);
      const loaded = await fetch(new URL(asset, running.url));
      expect(loaded.status, asset).toBe(200);
      await loaded.arrayBuffer();
    }
    expect((await fetch(`${running.url}/docs/index.html`)).status).toBe(404);
  });

  test("shows every operation in a browser that can reach nothing but this server", async ({ redis }) => {
    const running = await startApi(redis);
    const origin = running.url;
    const count = operations(await openApi(running)).length;
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const elsewhere: string[] = [];
      const errors: string[] = [];
      await page.route("**/*", (route) => {
        if (route.request().url().startsWith(origin)) return route.continue();
        elsewhere.push(route.request().url());
        return route.abort();
      });
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });

      await page.goto(`${origin}/docs`);

      await page
        .locator(".opblock")
        .nth(count - 1)
        .waitFor();
      expect(await page.locator(".opblock").count()).toBe(count);
      expect(await page.locator(".opblock-summary-path").allTextContents()).toEqual(
        expect.arrayContaining(["/compute_avg_speed", "/request_to_compute_avg_speed"]),
      );
      expect(elsewhere).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

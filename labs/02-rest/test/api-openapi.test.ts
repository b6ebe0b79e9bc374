import { GPS_RECORD_FIELDS } from "@gps-workshop/shared";
import { launchBrowser, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { type RunningApi, startApi } from "./support/api-server.ts";

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
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

const ROUTES = {
  "/gps_state": "get",
  "/compute_avg_speed": "get",
  "/request_to_compute_avg_speed": "post",
  "/get_avg_speed_task_status": "get",
  "/healthz": "get",
  "/readyz": "get",
  "/openapi.json": "get",
  "/docs": "get",
};

/** Every "$ref" in a JSON value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "$ref" && typeof inner === "string" ? [inner] : refs(inner),
  );
}

describe("GET /openapi.json", () => {
  test("is an OpenAPI 3.1 document that lists every route with its responses", async ({ redis }) => {
    const running = await startApi(redis);

    const document = await openApi(running);

    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(document.paths).sort()).toEqual(Object.keys(ROUTES).sort());
    const operations = Object.entries(ROUTES).map(([path, method]) => document.paths[path]?.[method]);
    for (const operation of operations) {
      expect(operation?.operationId).toEqual(expect.any(String));
      expect(Object.keys(operation?.responses ?? {}).some((status) => status.startsWith("2"))).toBe(true);
    }
    expect(new Set(operations.map((operation) => operation?.operationId)).size).toBe(operations.length);
    for (const ref of refs(document)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(document.components.schemas).toHaveProperty(ref.split("/").at(-1) as string);
    }
  });

  test("documents time_window_seconds with the limits the validator enforces", async ({ redis }) => {
    const running = await startApi(redis);

    const document = await openApi(running);

    for (const [path, method] of [
      ["/compute_avg_speed", "get"],
      ["/request_to_compute_avg_speed", "post"],
    ] as const) {
      expect(document.paths[path]?.[method]?.parameters).toEqual([
        {
          name: "time_window_seconds",
          in: "query",
          required: true,
          description: expect.stringContaining("at most 300"),
          schema: { type: "number", exclusiveMinimum: 0, maximum: 300 },
        },
      ]);
    }
    const post = (seconds: string) =>
      fetch(`${running.url}/request_to_compute_avg_speed?time_window_seconds=${seconds}`, {
        method: "POST",
      });
    expect((await post("300")).status).toBe(202);
    expect((await post("300.001")).status).toBe(400);
    expect((await post("0.001")).status).toBe(202);
    expect((await post("0")).status).toBe(400);
  });

  test("follows the configured maximum window", async ({ redis }) => {
    const running = await startApi(redis, { maxWindowSeconds: 60 });

    const document = await openApi(running);

    const parameter = document.paths["/compute_avg_speed"]?.get?.parameters?.[0];
    expect(parameter?.schema).toEqual({ type: "number", exclusiveMinimum: 0, maximum: 60 });
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

  test("describes the GPS record with its 13 fields and errors as problem+json", async ({ redis }) => {
    const running = await startApi(redis);

    const { paths, components } = await openApi(running);

    expect(Object.keys(components.schemas.GpsRecord?.properties as object)).toEqual(GPS_RECORD_FIELDS);
    expect(components.schemas.Problem?.required).toEqual(["type", "title", "status", "detail"]);
    expect(paths["/gps_state"]?.get?.responses["503"]?.content).toEqual({
      "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
    });
  });
});

describe("GET /docs", () => {
  test("serves Swagger UI from this server only, with no inline script", async ({ redis }) => {
    const running = await startApi(redis);

    const response = await fetch(`${running.url}/docs`);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
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
  });

  test("shows every operation in a browser that can reach nothing but this server", async ({ redis }) => {
    const running = await startApi(redis);
    const origin = running.url;
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
        .nth(Object.keys(ROUTES).length - 1)
        .waitFor();
      expect(await page.locator(".opblock").count()).toBe(Object.keys(ROUTES).length);
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

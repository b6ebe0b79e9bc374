import { gpsRecord, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { expectProblem } from "./support/api-problem.ts";
import { writeRecord } from "./support/api-records.ts";
import { startApi } from "./support/api-server.ts";

describe("GET /gps_state", () => {
  test("answers 200 with the record the replayer wrote last, all 13 fields in wire order", async ({
    redis,
  }) => {
    const running = await startApi(redis);
    const record = gpsRecord({ elevation: null, satellites: null, speed_meters_per_second: 3.25 });
    await writeRecord(running.writer, running.keys, record);

    const response = await fetch(`${running.url}/gps_state`);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-powered-by")).toBeNull();
    expect(await response.text()).toBe(JSON.stringify(record));
  });

  test("follows the state as it changes", async ({ redis }) => {
    const running = await startApi(redis);
    for (const speed of [1, 2, 3]) {
      await writeRecord(running.writer, running.keys, gpsRecord({ speed_meters_per_second: speed }));
      const body = await (await fetch(`${running.url}/gps_state`)).json();
      expect(body).toMatchObject({ speed_meters_per_second: speed });
    }
  });

  test("drops fields that are not part of the record", async ({ redis }) => {
    const running = await startApi(redis);
    const record = gpsRecord();
    await writeRecord(running.writer, running.keys, { json: JSON.stringify({ ...record, extra: "field" }) });

    expect(await (await fetch(`${running.url}/gps_state`)).json()).toEqual(record);
  });

  test("answers 503 problem JSON with Retry-After while there is no state yet", async ({ redis }) => {
    const running = await startApi(redis);

    const response = await fetch(`${running.url}/gps_state`);

    const problem = await expectProblem(response, 503);
    expect(problem.detail).toMatch(/no GPS state yet/);
    expect(response.headers.get("retry-after")).toBe("1");
  });

  test("answers HEAD with the headers of GET and no body", async ({ redis }) => {
    const running = await startApi(redis);
    const record = gpsRecord();
    await writeRecord(running.writer, running.keys, record);

    const response = await fetch(`${running.url}/gps_state`, { method: "HEAD" });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(JSON.stringify(record).length));
    expect(await response.text()).toBe("");
  });

  test("answers 500 problem JSON saying so when Redis holds something that is not JSON", async ({
    redis,
  }) => {
    const running = await startApi(redis);
    await running.writer.set(running.keys.state, "hello");

    const problem = await expectProblem(await fetch(`${running.url}/gps_state`), 500);

    expect(problem.detail).toBe('gps_state is not JSON: "hello"');
  });

  test("answers 500 problem JSON when gps_state is empty", async ({ redis }) => {
    const running = await startApi(redis);
    await running.writer.set(running.keys.state, "");

    const problem = await expectProblem(await fetch(`${running.url}/gps_state`), 500);

    expect(problem.detail).toBe('gps_state is not JSON: ""');
  });

  test("answers 500 problem JSON naming the bad field of an invalid record", async ({ redis }) => {
    const running = await startApi(redis);
    await writeRecord(running.writer, running.keys, gpsRecord({ latitude: 123 }));

    const problem = await expectProblem(await fetch(`${running.url}/gps_state`), 500);

    expect(problem.detail).toMatch(/^gps_state is not valid: latitude: /);
  });

  test("answers 500 problem JSON when gps_state holds another type of Redis value", async ({ redis }) => {
    const running = await startApi(redis);
    await running.writer.hSet(running.keys.state, "latitude", "45");

    const problem = await expectProblem(await fetch(`${running.url}/gps_state`), 500);

    expect(problem.detail).toMatch(/WRONGTYPE/);
  });

  test("serves a valid record again once the garbage is replaced", async ({ redis }) => {
    const running = await startApi(redis);
    await running.writer.set(running.keys.state, "{}");
    await expectProblem(await fetch(`${running.url}/gps_state`), 500);

    await writeRecord(running.writer, running.keys, gpsRecord());

    expect((await fetch(`${running.url}/gps_state`)).status).toBe(200);
  });

  test("answers 405 problem JSON with Allow for another method", async ({ redis }) => {
    const running = await startApi(redis);

    const response = await fetch(`${running.url}/gps_state`, { method: "DELETE" });

    await expectProblem(response, 405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });
});

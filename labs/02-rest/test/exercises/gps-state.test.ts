// Checks of the exercise lab02.gps-state (npm run exercises -- hint lab02.gps-state).
import { gpsRecord, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { why } from "../support/api-answer.ts";
import { expectProblem } from "../support/api-problem.ts";
import { writeRecord } from "../support/api-records.ts";
import { startApi } from "../support/api-server.ts";

describe("GET /gps_state", () => {
  test("answers 200 with the record the replayer wrote last, as JSON", async ({ redis }) => {
    const api = await startApi(redis);
    const record = gpsRecord({ elevation: null, speed_meters_per_second: 3.25 });
    await writeRecord(api.writer, api.keys, gpsRecord());
    await writeRecord(api.writer, api.keys, record);

    const response = await fetch(`${api.url}/gps_state`);

    expect(response.status, await why(response, api)).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(record);
  });

  test("answers 503 problem JSON with Retry-After while there is no state yet", async ({ redis }) => {
    const api = await startApi(redis);

    const response = await fetch(`${api.url}/gps_state`);

    expect(response.status, await why(response, api)).toBe(503);
    await expectProblem(response, 503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  test("answers 500 problem JSON naming gps_state when it holds something that is not a GPS record", async ({
    redis,
  }) => {
    const api = await startApi(redis);

    for (const garbage of ["hello", JSON.stringify(gpsRecord({ latitude: 123 }))]) {
      await api.writer.set(api.keys.state, garbage);
      const response = await fetch(`${api.url}/gps_state`);

      const answer = await why(response, api);
      expect(response.status, answer).toBe(500);
      const problem = await expectProblem(response, 500);
      expect(problem.detail, answer).toContain("gps_state");
    }
  });
});

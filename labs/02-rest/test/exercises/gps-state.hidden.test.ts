// Hidden checks of the exercise lab02.gps-state: in the instructor's copy only.
import { GPS_RECORD_FIELDS } from "@gps-workshop/shared";
import { gpsRecord, test } from "@gps-workshop/shared/testing";
import { describe, expect } from "vitest";
import { why } from "../support/api-answer.ts";
import { startApi } from "../support/api-server.ts";

describe("GET /gps_state", () => {
  test("answers the record in wire order, without the fields that are not part of it", async ({ redis }) => {
    const api = await startApi(redis);
    const record = gpsRecord({ satellites: null });
    // Written by some other program: the fields in another order, and one more.
    const shuffled = Object.fromEntries(Object.entries({ ...record, driver: "Ada" }).reverse());
    await api.writer.set(api.keys.state, JSON.stringify(shuffled));

    const response = await fetch(`${api.url}/gps_state`);

    expect(response.status, await why(response, api)).toBe(200);
    const body = await response.text();
    expect(Object.keys(JSON.parse(body))).toEqual(GPS_RECORD_FIELDS);
    expect(body).toBe(JSON.stringify(record));
  });
});

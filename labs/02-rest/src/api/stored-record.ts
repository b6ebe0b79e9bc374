import { type GpsRecord, GpsRecordSchema } from "@gps-workshop/shared";
import { InvalidStoredRecordError } from "./errors.ts";

/**
 * Reads a record that another process wrote to Redis. Redis holds whatever anyone wrote, so it
 * is checked like any other input. `where` names the value in the error, e.g. "gps_state".
 */
export function parseStoredRecord(raw: string, where: string): GpsRecord {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new InvalidStoredRecordError(`${where} is not JSON: ${JSON.stringify(raw.slice(0, 40))}`);
  }
  const result = GpsRecordSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join(".") || "record";
  throw new InvalidStoredRecordError(
    `${where} is not a valid GPS record: ${field}: ${issue?.message ?? "invalid value"}`,
  );
}

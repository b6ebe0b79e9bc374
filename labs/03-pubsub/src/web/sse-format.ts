import { GPS_RECORD_FIELDS } from "@gps-workshop/shared";
import type { GpsEvent } from "./gps-event.ts";
import { sseFrame } from "./sse.ts";

/** The state of the Redis subscription, as told to the browsers. */
export type RedisStatus = "connected" | "reconnecting";

/**
 * How one kind of stream renders what the hub broadcasts into SSE frames. The hub renders each
 * broadcast once per format, whatever the number of browsers using it, so a format must depend
 * on its argument only.
 */
export interface SseFormat {
  gps(event: GpsEvent): string;
  status(status: RedisStatus): string;
}

/** `/events`: the record as JSON, with the record's id, for code that reads the stream. */
export const jsonFormat: SseFormat = {
  gps: (event) =>
    // The field list fixes the order of the keys: the wire format's.
    sseFrame({
      event: "gps_state",
      id: String(event.id),
      data: JSON.stringify(event.record, GPS_RECORD_FIELDS),
    }),
  status: (status) => sseFrame({ event: "status", data: JSON.stringify({ redis: status }) }),
};

export * from "./clock.ts";
export * from "./geo.ts";
export * from "./ingest/index.ts";
export * from "./record.ts";
export * from "./replay.ts";
export * from "./stats.ts";

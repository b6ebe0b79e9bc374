export * from "./geo.ts";
export * from "./record.ts";

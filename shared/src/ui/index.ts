/**
 * The pieces of the labs' web pages that do not depend on how the data arrives (polled over
 * REST in lab 02, pushed over server-sent events in lab 03): view models, formatting, and the
 * eta partials and static files they go with.
 */
export * from "./assets.ts";
export * from "./dashboard.ts";
export * from "./downsample.ts";
export * from "./format.ts";
export * from "./line-chart.ts";
export * from "./samples-table.ts";
export * from "./state-card.ts";
export * from "./track-drawing.ts";

import path from "node:path";
import { loadSharedPartials } from "@gps-workshop/shared/ui";
import { Eta } from "eta";

/**
 * The templates: this service's own (views/, beside this file in src/ and in dist/), and the
 * widgets shared with lab 03, registered as "@state-card", "@charts"… Everything is escaped by
 * default (`<%= %>`); `<%~ %>` is only ever used to include another template.
 * `cache`: compile each template once (production); off, an edited template shows on reload.
 */
export function createViews(cache: boolean): Eta {
  const eta = new Eta({ views: path.join(import.meta.dirname, "views"), autoEscape: true, cache });
  loadSharedPartials(eta);
  return eta;
}

import path from "node:path";
import { loadSharedPartials } from "@gps-workshop/shared/ui";
import { Eta } from "eta";

/**
 * The templates: the page's own (views/, beside this file in src/ and in dist/), and the widgets
 * shared with lab 02, registered as "@state-card", "@charts"… Everything is escaped by default
 * (`<%= %>`); `<%~ %>` is only ever used to include another template.
 * `cache`: compile each template once (production); off, an edited template shows on reload.
 * `rmWhitespace`: the templates' indentation is left out, since an update goes to every page
 * with every record.
 */
export function createViews(cache: boolean): Eta {
  const eta = new Eta({
    views: path.join(import.meta.dirname, "views"),
    autoEscape: true,
    cache,
    rmWhitespace: true,
  });
  loadSharedPartials(eta);
  return eta;
}

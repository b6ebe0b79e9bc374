import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The files of the shared web UI that are not TypeScript: eta partials (`ui/views/`) and static
 * files (`ui/public/`). Found from this module's own location, which is `src/ui/` when running
 * the sources and `dist/ui/` in an image: both are two levels below the package's `ui/` folder.
 */
export const SHARED_UI_DIR = path.resolve(import.meta.dirname, "../../ui");
export const SHARED_VIEWS_DIR = path.join(SHARED_UI_DIR, "views");
export const SHARED_PUBLIC_DIR = path.join(SHARED_UI_DIR, "public");

/** Where a lab's web app serves static files: the URLs the shared partials link to. */
export const STATIC_MOUNTS = {
  shared: "/static",
  htmx: "/vendor/htmx",
  leaflet: "/vendor/leaflet",
} as const;

/**
 * The folders a lab's web app serves, each at its mount (no CDN: the workshop works offline):
 * SHARED_PUBLIC_DIR, and the `dist/` folders of htmx.org and leaflet. Those two packages are the
 * lab's dependencies, so they are found from the lab's module (`labModuleUrl`, its
 * `import.meta.url`), wherever npm put them.
 */
export function staticFolders(labModuleUrl: string): { mount: string; folder: string }[] {
  const require = createRequire(labModuleUrl);
  const distOf = (name: string) => path.join(path.dirname(require.resolve(`${name}/package.json`)), "dist");
  return [
    { mount: STATIC_MOUNTS.shared, folder: SHARED_PUBLIC_DIR },
    { mount: STATIC_MOUNTS.htmx, folder: distOf("htmx.org") },
    { mount: STATIC_MOUNTS.leaflet, folder: distOf("leaflet") },
  ];
}

/** What `loadSharedPartials` needs of an Eta instance (the lab owns the eta dependency). */
export interface TemplateLoader {
  loadTemplate(name: string, template: string): void;
}

/**
 * Registers every shared partial with a lab's Eta instance under the name "@" + its file name,
 * so that the lab's own templates write `<%~ include("@state-card", { state }) %>`.
 * Returns the names, sorted.
 */
export function loadSharedPartials(eta: TemplateLoader): string[] {
  const files = readdirSync(SHARED_VIEWS_DIR)
    .filter((file) => file.endsWith(".eta"))
    .sort();
  return files.map((file) => {
    const name = `@${path.basename(file, ".eta")}`;
    eta.loadTemplate(name, readFileSync(path.join(SHARED_VIEWS_DIR, file), "utf8"));
    return name;
  });
}

/**
 * The Content-Security-Policy of the labs' pages, as helmet takes it: scripts and styles from the
 * page's own origin only (no inline script, no inline event handler, no eval), map tiles from
 * OpenStreetMap, and requests only back to the origin (htmx, server-sent events).
 */
export const CONTENT_SECURITY_POLICY_DIRECTIVES: Record<string, string[]> = {
  "default-src": ["'none'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:", "https://tile.openstreetmap.org", "https://*.tile.openstreetmap.org"],
  "connect-src": ["'self'"],
  "base-uri": ["'none'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

/** The same policy as one header value. */
export const CONTENT_SECURITY_POLICY = Object.entries(CONTENT_SECURITY_POLICY_DIRECTIVES)
  .map(([name, sources]) => `${name} ${sources.join(" ")}`)
  .join("; ");

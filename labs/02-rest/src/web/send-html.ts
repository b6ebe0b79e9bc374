import type { Response } from "express";

/** Sends a page or a fragment for htmx to swap in. Nothing the web serves may be cached: it is all live. */
export function sendHtml(res: Response, html: string, status = 200): void {
  res.status(status).type("html").set("Cache-Control", "no-store").send(html);
}

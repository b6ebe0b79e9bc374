import { CONTENT_SECURITY_POLICY } from "@gps-workshop/shared/ui";
import type { RequestHandler } from "express";

/**
 * On every response: the strict Content-Security-Policy (no inline script, no eval, nothing from
 * another origin but map tiles), so that even a value that slipped through unescaped could not
 * run; and no content-type sniffing.
 */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({ "Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff" });
  next();
};

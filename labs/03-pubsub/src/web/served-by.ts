import type { RequestHandler } from "express";

/**
 * Names the web process that answered, on every response (`X-Served-By: <host name>`): behind
 * the proxy, with several copies of the web running, it shows which one a request reached. In a
 * container, the host name is the container's id, as `docker ps` lists it.
 */
export function servedBy(instance: string): RequestHandler {
  return (_req, res, next) => {
    res.set("X-Served-By", instance);
    next();
  };
}

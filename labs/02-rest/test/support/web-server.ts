import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer } from "@gps-workshop/service/http";
import { onTestFinished } from "vitest";
import { createApp, type Web, type WebOptions } from "../../src/web/app.ts";

export interface RunningWeb {
  /** e.g. http://127.0.0.1:34567 */
  url: string;
  web: Web;
  /** What the web logged. */
  logs: string[];
  /** GET (or POST a form) and return the status and the HTML. */
  html(
    path: string,
    form?: Record<string, string>,
  ): Promise<{ status: number; body: string; headers: Headers }>;
}

/** Builds the web with createApp and serves it on a free port, as main.ts does; closed when the test finishes. */
export async function startWeb(options: Omit<WebOptions, "log">): Promise<RunningWeb> {
  const logs: string[] = [];
  const web = createApp({ ...options, log: (line) => logs.push(line) });
  const server = createServer(web.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(async () => {
    web.close();
    await closeServer(server);
  });
  return {
    url,
    web,
    logs,
    async html(path, form) {
      const response = await fetch(
        `${url}${path}`,
        form ? { method: "POST", body: new URLSearchParams(form) } : undefined,
      );
      return { status: response.status, body: await response.text(), headers: response.headers };
    },
  };
}

import { createServer } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Socket } from "node:net";
import { onTestFinished } from "vitest";

/** What the fake API answers to one route: a status, a content type and a body, as given. */
export interface FakeAnswer {
  status: number;
  type?: string;
  body: string;
}

export interface FakeApi {
  url: string;
  /** Sets the answer to `METHOD /path` (the query string is ignored). */
  answer(route: string, answer: FakeAnswer): void;
}

/**
 * An HTTP server that plays the API and answers whatever the test tells it to, including what
 * the real API never would: markup in a problem's detail, a malformed record, a task id that is
 * not one. Unknown routes get a 404 problem. Closed when the test finishes.
 */
export async function startFakeApi(): Promise<FakeApi> {
  const answers = new Map<string, FakeAnswer>();
  const server = createServer((req, res) => {
    const route = `${req.method} ${(req.url ?? "").split("?")[0]}`;
    const {
      status,
      type = "application/json",
      body,
    } = answers.get(route) ?? {
      status: 404,
      type: "application/problem+json",
      body: JSON.stringify({ title: "Not found", status: 404, detail: `no ${route} here` }),
    };
    res.writeHead(status, { "Content-Type": type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer: (route, answer) => answers.set(route, answer),
  };
}

/** A server that accepts connections and never says a word: a hung API. */
export async function startSilentApi(): Promise<{ url: string; connections(): number; close(): void }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => sockets.size,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

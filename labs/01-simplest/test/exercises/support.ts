// What the graded checks of lab 01 share: a wait that gives up at once when the service under test
// has stopped (an unfinished exercise throws its TODO error and the process exits), raw TCP clients,
// and bare TCP servers standing in for the listener, so that each exercise is checked on its own.
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, onTestFinished } from "vitest";
import type { ServiceProcess } from "../support/processes.ts";

/**
 * Waits until `assertion` passes, trying every 20 ms for `timeout` ms like vi.waitFor. When one of
 * `services` (named by its key) has stopped in the meantime, fails at once with its exit code and
 * the last thing it said, rather than waiting for output that will never come.
 */
export async function eventually(
  services: Record<string, ServiceProcess>,
  assertion: () => void,
  timeout = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (true) {
    try {
      assertion();
      return;
    } catch (error) {
      for (const [name, service] of Object.entries(services)) {
        const { exitCode, signalCode } = service.child;
        if (exitCode === null && signalCode === null) continue;
        const stderr = service.child.stderr;
        if (stderr && !stderr.readableEnded && !stderr.destroyed) await once(stderr, "end");
        const said = service.stderrLines().filter((line) => !/^\s+at /.test(line));
        throw new Error(
          `the ${name} stopped (${exitCode === null ? signalCode : `exit code ${exitCode}`}) before that happened. ` +
            `It said:\n${said.slice(-4).join("\n")}`,
          { cause: error },
        );
      }
      if (Date.now() >= deadline) throw error;
    }
    await sleep(20);
  }
}

/** A raw TCP client of the listener on 127.0.0.1:`port`, to send exactly the bytes a check needs. */
export async function rawPublisher(port: number): Promise<Socket> {
  const socket = connect({ port, host: "127.0.0.1", noDelay: true });
  await once(socket, "connect");
  onTestFinished(() => {
    socket.destroy();
  });
  return socket;
}

/** A bare TCP server on 127.0.0.1:`port` standing in for the listener; closed after the test. */
export async function fakeListener(
  port: number,
  onConnection: (socket: Socket) => void,
): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined); // a publisher that resets is the publisher's business
    onConnection(socket);
  });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  const close = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = once(server, "close");
    server.close();
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  onTestFinished(close);
  return { close };
}

/** A fake listener that keeps, as text, everything any publisher sends it. */
export async function collector(port: number): Promise<{
  /** The complete lines received so far. */
  lines(): string[];
  /** Everything received so far. */
  text(): string;
  /** How many connections the publishers have closed so far. */
  closed(): number;
  /** Stops listening and drops every connection: the listener goes away. */
  close(): Promise<void>;
}> {
  let text = "";
  let closed = 0;
  const server = await fakeListener(port, (socket) => {
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("end", () => {
      closed += 1;
    });
  });
  return {
    lines: () => text.split("\n").slice(0, -1),
    text: () => text,
    closed: () => closed,
    close: server.close,
  };
}

/** Asserts that every line is `Hello from <name>! <ISO 8601 time>`; returns the times, in ms. */
export function helloTimes(lines: string[], name: string): number[] {
  const prefix = `Hello from ${name}! `;
  const malformed = lines.filter(
    (line) =>
      !line.startsWith(prefix) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(line.slice(prefix.length)),
  );
  expect(
    malformed.map((line) => (line.length > 100 ? `${line.slice(0, 100)}…` : line)),
    `lines that are not "${prefix.length > 40 ? `${prefix.slice(0, 40)}…` : prefix}<ISO 8601 time>"`,
  ).toEqual([]);
  return lines.map((line) => Date.parse(line.slice(prefix.length)));
}

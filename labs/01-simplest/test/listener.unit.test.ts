import { readFile, writeFile } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@gps-workshop/shared/testing";
import { describe, expect, it, vi } from "vitest";
import { type ServiceProcess, startListener, startService, WAIT } from "./support/processes.ts";

/** A raw TCP client, to send exactly the bytes a test needs. */
async function rawPublisher(port: number): Promise<Socket> {
  const socket = connect({ port, host: "127.0.0.1", noDelay: true });
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  return socket;
}

/**
 * Sends `bytes` on `socket`, then a line on `marker` and waits for the listener to print it: by
 * then the listener has read `bytes` on its own, not glued to whatever the test sends next.
 */
async function sendApart(listener: ServiceProcess, socket: Socket, marker: Socket, bytes: Buffer) {
  const mark = `mark ${Math.random()}`;
  socket.write(bytes);
  marker.write(`${mark}\n`);
  await vi.waitFor(() => expect(listener.lines()).toContain(mark), WAIT);
}

describe("the listener", () => {
  it("prints whole lines from two publishers running at once", async () => {
    const port = await freePort();
    const listener = await startListener(port);
    const publishers = ["alice", "bob"].map((name) =>
      startService("publisher", {
        LISTENER_HOST: "127.0.0.1",
        LISTENER_PORT: String(port),
        PUB_NAME: name,
        PUBLISH_INTERVAL_MS: "20",
      }),
    );

    await vi.waitFor(() => {
      const lines = listener.lines();
      expect(lines.filter((line) => line.startsWith("Hello from alice!")).length).toBeGreaterThanOrEqual(5);
      expect(lines.filter((line) => line.startsWith("Hello from bob!")).length).toBeGreaterThanOrEqual(5);
    }, WAIT);
    for (const line of listener.lines()) {
      expect(line).toMatch(/^Hello from (alice|bob)! \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(listener.stderr()).toMatch(/127\.0\.0\.1:\d+ is publishing/);
    await Promise.all(publishers.map((publisher) => publisher.stop()));
  });

  it("keeps a multi-byte character that falls across two chunks", async () => {
    const port = await freePort();
    const listener = await startListener(port);
    const socket = await rawPublisher(port);
    const marker = await rawPublisher(port);
    const bytes = Buffer.from("café\n"); // é is two bytes: the first chunk ends between them

    await sendApart(listener, socket, marker, bytes.subarray(0, 4));
    socket.write(bytes.subarray(4));
    await vi.waitFor(() => expect(listener.lines()).toContain("café"), WAIT);
    socket.destroy();
    marker.destroy();
  });

  it("makes publishers wait while its stdout is not read, and loses no line", async () => {
    const port = await freePort();
    const listener = await startListener(port);
    listener.child.stdout?.pause();
    const linesPerPublisher = 8192; // 8 MiB each: more than the kernel's socket buffers absorb
    const sockets = await Promise.all([rawPublisher(port), rawPublisher(port)]);
    sockets.forEach((socket, p) => {
      for (let i = 0; i < linesPerPublisher; i++) {
        socket.write(`${p} ${String(i).padStart(5, "0")} ${"x".repeat(1012)}\n`);
      }
    });

    // Backpressure reached the publishers: their writes are queued, the listener is not reading.
    await vi.waitFor(() => expect(sockets.every((socket) => socket.writableLength > 0)).toBe(true), WAIT);
    listener.child.stdout?.resume();
    for (const socket of sockets) socket.end();

    await vi.waitFor(() => expect(listener.lines()).toHaveLength(2 * linesPerPublisher), WAIT);
    for (const p of [0, 1]) {
      const mine = listener.lines().filter((line) => line.startsWith(`${p} `));
      expect(mine).toEqual(
        Array.from(
          { length: linesPerPublisher },
          (_, i) => `${p} ${String(i).padStart(5, "0")} ${"x".repeat(1012)}`,
        ),
      );
    }
  });

  it("appends to OUTPUT_FILE, creating its folder, and keeps what was there", async () => {
    const port = await freePort();
    const file = path.join(tmpdir(), `lab01-${process.pid}-${port}`, "nested", "messages.log");
    for (const text of ["first run\n", "second run\n"]) {
      const listener = await startListener(port, { OUTPUT_FILE: file });
      expect(listener.stderr()).toContain(`writing to ${file}`);
      (await rawPublisher(port)).end(text);
      await vi.waitFor(() => expect(listener.stderr()).toMatch(/left after 1 lines/), WAIT);
      expect(await listener.stop()).toEqual({ code: 0, signal: null });
      expect(listener.stdout()).toBe("");
    }
    expect(await readFile(file, "utf8")).toBe("first run\nsecond run\n");
  });

  it("prints to stdout when OUTPUT_FILE is set but empty, as compose writes a blank variable", async () => {
    const port = await freePort();
    const listener = await startListener(port, { OUTPUT_FILE: "" });
    expect(listener.stderr()).toContain(`listening on port ${port}, writing to stdout`);
  });

  it("ends each connection with a FIN on SIGTERM: a publisher writing without pause sees a clean close and loses no line", async () => {
    const port = await freePort();
    const listener = await startListener(port);
    const socket = await rawPublisher(port);
    const errors: string[] = [];
    socket.on("error", (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    // Like the publisher, it writes until the listener's FIN arrives ("end"); then it closes too.
    let sent = 0;
    let ended = false;
    socket.once("end", () => {
      ended = true;
    });
    const writer = setInterval(() => {
      if (ended || socket.destroyed) return;
      for (let i = 0; i < 20; i++) socket.write(`line ${sent++}\n`);
    }, 1);
    await vi.waitFor(() => expect(listener.lines().length).toBeGreaterThan(100), WAIT);

    expect(await listener.stop()).toEqual({ code: 0, signal: null });
    clearInterval(writer);
    await vi.waitFor(() => expect(socket.closed).toBe(true), WAIT);
    expect(errors).toEqual([]);
    expect(ended).toBe(true);
    expect(listener.lines()).toEqual(Array.from({ length: sent }, (_, i) => `line ${i}`));
  });

  it("exits 0 on SIGTERM within its bound when a peer never closes its side", async () => {
    const port = await freePort();
    const listener = await startListener(port);
    // allowHalfOpen: the peer reads the listener's FIN and keeps its own side open.
    const socket = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("still here\n");
    await vi.waitFor(() => expect(listener.lines()).toEqual(["still here"]), WAIT);

    const stopping = Date.now();
    expect(await listener.stop()).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(listener.stderr()).not.toContain("exiting anyway");
    socket.destroy();
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "exits 0 on %s with a publisher connected, printing its partial line first",
    async (signal) => {
      const port = await freePort();
      const listener = await startListener(port);
      const socket = await rawPublisher(port);
      socket.write("line\nhalf a line");
      await vi.waitFor(() => expect(listener.lines()).toEqual(["line"]), WAIT);

      expect(await listener.stop(signal)).toEqual({ code: 0, signal: null });
      expect(listener.stdout()).toBe("line\nhalf a line\n");
      expect(listener.stderr()).toContain(`listener: ${signal} received, shutting down`);
      socket.destroy();
    },
  );

  it.each(["http", "0", "65536", "1e3"])(
    "stops at once with exit code 2 and one line naming LISTEN_PORT=%s",
    async (value) => {
      const listener = startService("listener", { LISTEN_PORT: value });
      expect(await listener.exited).toEqual({ code: 2, signal: null });
      expect(listener.stderrLines()).toEqual([
        expect.stringMatching(/^listener: bad configuration: LISTEN_PORT: expected a whole number/),
      ]);
    },
  );

  it("stops with exit code 1 and says why when its port is taken", async () => {
    const port = await freePort();
    await startListener(port);
    const second = startService("listener", { LISTEN_PORT: String(port) });
    expect(await second.exited).toMatchObject({ code: 1 });
    expect(second.stderr()).toMatch(new RegExp(`^listener: cannot listen on port ${port}: .*EADDRINUSE`));
  });

  it("stops with exit code 1 and says why when OUTPUT_FILE cannot be created", async () => {
    const blocker = path.join(tmpdir(), `lab01-file-${process.pid}`);
    await writeFile(blocker, "a file where a folder should be");
    const listener = startService("listener", {
      LISTEN_PORT: String(await freePort()),
      OUTPUT_FILE: `${blocker}/x.log`,
    });
    expect(await listener.exited).toMatchObject({ code: 1 });
    expect(listener.stderr()).toMatch(/^listener: cannot create the folder of .*x\.log: EEXIST/);
  });
});

// Checks of the exercise lab01.listener-framing: the listener (src/listener.ts, run as a process)
// fed exact bytes by raw TCP clients. Each asserts what it prints: lines on stdout, warnings on stderr.
import type { Socket } from "node:net";
import { freePort } from "@gps-workshop/shared/testing";
import { describe, expect, it } from "vitest";
import { type ServiceProcess, startListener } from "../support/processes.ts";
import { eventually, rawPublisher } from "./support.ts";

/**
 * Sends `bytes` on `socket`, then a line on `marker`, and waits for the listener to print that
 * line: by then it has read `bytes` as a chunk of its own, not glued to what the check sends next.
 */
async function sendApart(listener: ServiceProcess, socket: Socket, marker: Socket, bytes: Buffer | string) {
  const mark = `mark ${Math.random()}`;
  socket.write(bytes);
  marker.write(`${mark}\n`);
  await eventually({ listener }, () => expect(listener.lines()).toContain(mark));
}

describe("the listener's line framing", () => {
  it("prints each line of a chunk that holds several, empty lines and carriage returns kept", async () => {
    const port = await freePort();
    const listener = await startListener(port);
    const socket = await rawPublisher(port);

    socket.write("one\ntwo\n\nwindows\r\nthree\n");
    await eventually({ listener }, () =>
      expect(listener.lines()).toEqual(["one", "two", "", "windows\r", "three"]),
    );
  });

  it("holds a partial line until its newline arrives, while another publisher's lines go through", async () => {
    const port = await freePort();
    const listener = await startListener(port);
    const slow = await rawPublisher(port);
    const fast = await rawPublisher(port);

    await sendApart(listener, slow, fast, "Hello from sl");
    await sendApart(listener, slow, fast, "ow");
    slow.write("!\n");
    await eventually({ listener }, () => expect(listener.lines()).toContain("Hello from slow!"));
    expect(listener.lines().filter((line) => !line.startsWith("mark "))).toEqual(["Hello from slow!"]);
  });

  it("prints a publisher's last line when it disconnects without a newline, and nothing more after a newline", async () => {
    const port = await freePort();
    const listener = await startListener(port);

    (await rawPublisher(port)).end("first\nlast words");
    await eventually({ listener }, () => expect(listener.stderr()).toMatch(/left after 2 lines/));
    (await rawPublisher(port)).end("done\n");
    await eventually({ listener }, () => expect(listener.stderr()).toMatch(/left after 1 lines/));
    expect(listener.stdout()).toBe("first\nlast words\ndone\n");
  });

  it("cuts a line longer than 64 KiB to its first 64 KiB and says how many bytes it dropped, and keeps one of exactly 64 KiB", async () => {
    const port = await freePort();
    const listener = await startListener(port);
    const socket = await rawPublisher(port);

    socket.end(`${"x".repeat(100_000)}\n${"y".repeat(65_536)}\nnext\n`);
    await eventually({ listener }, () => expect(listener.stderr()).toMatch(/left after 3 lines/));
    const lines = listener.lines();
    expect(lines.map((line) => `${line[0]} × ${line.length}`)).toEqual(["x × 65536", "y × 65536", "n × 4"]);
    expect(lines).toEqual(["x".repeat(65_536), "y".repeat(65_536), "next"]);
    const warnings = listener.stderrLines().filter((line) => line.includes("longer than"));
    expect(warnings).toEqual([expect.stringMatching(/longer than 65536 bytes: cut, 34464 bytes dropped$/)]);
  });

  it("cuts a line that never ends at 64 KiB, however much more comes", async () => {
    const port = await freePort();
    const listener = await startListener(port);
    const socket = await rawPublisher(port);

    for (let i = 0; i < 64; i++) socket.write("z".repeat(64 * 1024)); // 4 MiB without a newline
    socket.end();
    await eventually({ listener }, () => expect(listener.stderr()).toMatch(/left after 1 lines/));
    expect(listener.lines().map((line) => `${line[0]} × ${line.length}`)).toEqual(["z × 65536"]);
    expect(listener.stderr()).toMatch(/longer than 65536 bytes: cut, 4128768 bytes dropped/);
  });
});

// Hidden check of the exercise lab01.listener-framing: chunks cut at the worst places.
import { freePort } from "@gps-workshop/shared/testing";
import { describe, expect, it } from "vitest";
import { startListener } from "../support/processes.ts";
import { eventually, rawPublisher } from "./support.ts";

describe("the listener's line framing", () => {
  it("keeps a multi-byte character cut between two chunks, and a line that comes one byte at a time", async () => {
    const port = await freePort();
    const listener = await startListener(port);
    const socket = await rawPublisher(port);
    const marker = await rawPublisher(port);
    // Each piece is read on its own: the listener prints the marker sent after it.
    const marks: string[] = [];
    const sendApart = async (bytes: Buffer) => {
      const mark = `mark ${marks.length}`;
      marks.push(mark);
      socket.write(bytes);
      marker.write(`${mark}\n`);
      await eventually({ listener }, () => expect(listener.lines()).toContain(mark));
    };

    const cafe = Buffer.from("café crème\n"); // é and è are two bytes each
    await sendApart(cafe.subarray(0, 4)); // "caf" and the first byte of é
    await sendApart(cafe.subarray(4, 9)); // the second byte of é, " cr" and the first of è
    await sendApart(cafe.subarray(9));
    for (const byte of Buffer.from("a b\n\nc")) await sendApart(Buffer.of(byte));
    socket.end();

    await eventually({ listener }, () => expect(listener.stderr()).toMatch(/left after 4 lines/));
    expect(listener.lines().filter((line) => !marks.includes(line))).toEqual(["café crème", "a b", "", "c"]);
  });
});

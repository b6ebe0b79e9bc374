import { describe, expect, it } from "vitest";
import { type Line, LineFramer } from "../src/line-framer.ts";

const text = (lines: Line[]): string[] => lines.map((line) => line.bytes.toString("utf8"));

describe("LineFramer", () => {
  it("returns each line of a packet that holds several", () => {
    const framer = new LineFramer(100);
    expect(text(framer.push(Buffer.from("one\ntwo\nthree\n")))).toEqual(["one", "two", "three"]);
  });

  it("holds a line split across packets until its newline arrives", () => {
    const framer = new LineFramer(100);
    expect(framer.push(Buffer.from("Hello fr"))).toEqual([]);
    expect(framer.push(Buffer.from("om publ"))).toEqual([]);
    expect(text(framer.push(Buffer.from("isher1!\nnext")))).toEqual(["Hello from publisher1!"]);
    expect(text(framer.push(Buffer.from("\n")))).toEqual(["next"]);
  });

  it("keeps a multi-byte character that a packet boundary splits", () => {
    const framer = new LineFramer(100);
    const bytes = Buffer.from("café\n");
    framer.push(bytes.subarray(0, 4));
    expect(text(framer.push(bytes.subarray(4)))).toEqual(["café"]);
  });

  it("keeps empty lines and carriage returns as they were sent", () => {
    const framer = new LineFramer(100);
    expect(text(framer.push(Buffer.from("\nwindows\r\n")))).toEqual(["", "windows\r"]);
  });

  it("cuts a line at the cap and counts the bytes it dropped", () => {
    const framer = new LineFramer(4);
    expect(framer.push(Buffer.from("abcdefg"))).toEqual([]);
    const [line, ...rest] = framer.push(Buffer.from("hij\nok\n"));
    expect(line?.bytes.toString()).toBe("abcd");
    expect(line?.droppedBytes).toBe(6);
    expect(rest.map((next) => [next.bytes.toString(), next.droppedBytes])).toEqual([["ok", 0]]);
  });

  it("accepts a line exactly as long as the cap", () => {
    const framer = new LineFramer(4);
    expect(framer.push(Buffer.from("abcd\n"))).toEqual([{ bytes: Buffer.from("abcd"), droppedBytes: 0 }]);
  });

  it("flushes a partial line when the stream ends", () => {
    const framer = new LineFramer(100);
    framer.push(Buffer.from("done\nno newline"));
    expect(text(framer.end())).toEqual(["no newline"]);
    expect(framer.end()).toEqual([]);
  });

  it("has nothing to flush after a stream that ended on a newline", () => {
    const framer = new LineFramer(100);
    framer.push(Buffer.from("done\n"));
    expect(framer.end()).toEqual([]);
  });

  it("rejects a cap that is not a positive integer", () => {
    expect(() => new LineFramer(0)).toThrow(RangeError);
  });
});

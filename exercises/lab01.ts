// Lab 01's graded exercises: the publisher's loop, the listener's line framing, the reader's volume.
import type { Exercise } from "./types.ts";

const CHECKS = "labs/01-simplest/test/exercises";

export const lab01: Exercise[] = [
  {
    id: "lab01.publisher-loop",
    lab: "01",
    title: "The publisher's loop: send, wait for drain, reconnect with backoff",
    task:
      "Write the body of `publishForever()` in `labs/01-simplest/src/publisher.ts`: connect to the listener, " +
      "send `Hello from <PUB_NAME>! <ISO 8601 time>` once per interval, and wait for `drain` when `write()` " +
      "returns false. When the connection fails or breaks, connect again after a wait that starts at 200 ms and " +
      "doubles after each failure in a row up to 5 s (drawn between half and all of that; back to 200 ms once " +
      "a connection has held for an interval), and return when `stopping` is aborted.",
    points: 6,
    files: ["labs/01-simplest/src/publisher.ts"],
    hints: [
      'Work in rounds: `connect()` a socket, `await once(socket, "connect")`, then loop: `socket.write(line)`, ' +
        "`await sleep(interval)`. Give `once` and `sleep` an AbortSignal that aborts when the socket closes " +
        "or when `stopping` aborts: the waits then throw, and a try/catch around the round ends it.",
      '`AbortSignal.any([stopping.signal, closed.signal])`, with `socket.on("close", () => closed.abort())`. ' +
        'When `socket.write(line)` returns false, `await once(socket, "drain", { signal })` before the next ' +
        "line. After the round: when stopping, `socket.end()` (it sends what is buffered) and return.",
      "Otherwise `socket.destroy()`, then `const ceiling = Math.min(5000, 200 * 2 ** failures); failures += 1;` " +
        "and `await sleep(ceiling / 2 + (Math.random() * ceiling) / 2, undefined, { signal: stopping.signal })" +
        ".catch(() => undefined)`; set `failures = 0` after each `sleep(interval)` that a connection survived.",
    ],
    needs: "node",
    checks: [
      {
        file: `${CHECKS}/publisher-loop.unit.test.ts`,
        name: "the publisher's loop > sends one 'Hello from <PUB_NAME>! <time>' line per interval",
        points: 1,
      },
      {
        file: `${CHECKS}/publisher-loop.unit.test.ts`,
        name: "the publisher's loop > waits for a listener that is not up yet, then sends it its lines",
        points: 1,
      },
      {
        file: `${CHECKS}/publisher-loop.unit.test.ts`,
        name:
          "the publisher's loop > waits about twice as long after each connection the listener drops at once, " +
          "and afresh once one holds",
        points: 1,
      },
      {
        file: `${CHECKS}/publisher-loop.unit.test.ts`,
        name:
          "the publisher's loop > stops making lines while the listener does not read, and sends them all " +
          "whole once it does",
        points: 1,
      },
      {
        file: `${CHECKS}/publisher-loop.unit.test.ts`,
        name:
          "the publisher's loop > exits 0 on SIGTERM, both while connected and while waiting to retry, " +
          "sending only whole lines",
        points: 1,
      },
      {
        file: `${CHECKS}/publisher-loop.unit.hidden.test.ts`,
        name:
          "the publisher's loop > comes back each time the listener goes away twice, within 5 s of its return " +
          "after a long outage",
        points: 1,
        hidden: true,
      },
    ],
  },
  {
    id: "lab01.listener-framing",
    lab: "01",
    title: "The listener's line framing, with a 64 KiB cap",
    task:
      "Write the body of `lineFramer()` in `labs/01-simplest/src/listener.ts`: `push(chunk)` returns the lines " +
      "that a chunk of bytes completes, without their newline, and holds what follows the last newline for the " +
      "next chunk; `end()` returns the held rest as a last line, if any. A line keeps at most its first " +
      "`MAX_LINE_BYTES` (64 KiB); count the bytes cut from it in its `droppedBytes`.",
    points: 6,
    files: ["labs/01-simplest/src/listener.ts"],
    hints: [
      "Keep the line so far between calls, as Buffers (not strings: a character can be cut between two " +
        "chunks), with how many bytes it holds and how many were dropped. Each newline in a chunk finishes it.",
      "In `push`, walk the chunk with `chunk.indexOf(NEWLINE, start)`: hold the bytes before each newline, " +
        "then take the held line out as a `Line` and start afresh; hold what follows the last newline. To hold " +
        "`part`, keep `part.subarray(0, MAX_LINE_BYTES - heldBytes)` and add the rest's length to `droppedBytes`.",
      "Taking the line out: `{ bytes: Buffer.concat(held, heldBytes), droppedBytes }`, then `held = []`, " +
        "`heldBytes = 0`, `droppedBytes = 0`. `end()`: `heldBytes > 0 || droppedBytes > 0 ? [take()] : []`.",
    ],
    needs: "node",
    checks: [
      {
        file: `${CHECKS}/listener-framing.unit.test.ts`,
        name:
          "the listener's line framing > prints each line of a chunk that holds several, empty lines and " +
          "carriage returns kept",
        points: 1,
      },
      {
        file: `${CHECKS}/listener-framing.unit.test.ts`,
        name:
          "the listener's line framing > holds a partial line until its newline arrives, while another " +
          "publisher's lines go through",
        points: 1,
      },
      {
        file: `${CHECKS}/listener-framing.unit.test.ts`,
        name:
          "the listener's line framing > prints a publisher's last line when it disconnects without a newline, " +
          "and nothing more after a newline",
        points: 1,
      },
      {
        file: `${CHECKS}/listener-framing.unit.test.ts`,
        name:
          "the listener's line framing > cuts a line longer than 64 KiB to its first 64 KiB and says how many " +
          "bytes it dropped, and keeps one of exactly 64 KiB",
        points: 1,
      },
      {
        file: `${CHECKS}/listener-framing.unit.test.ts`,
        name: "the listener's line framing > cuts a line that never ends at 64 KiB, however much more comes",
        points: 1,
      },
      {
        file: `${CHECKS}/listener-framing.unit.hidden.test.ts`,
        name:
          "the listener's line framing > keeps a multi-byte character cut between two chunks, and a line that " +
          "comes one byte at a time",
        points: 1,
        hidden: true,
      },
    ],
  },
  {
    id: "lab01.reader-volume",
    lab: "01",
    title: "The reader's volume, mounted read-only",
    task:
      "In `docker-compose-shared-volume.yml`, give the `reader` service the listener's named volume at `/data`, " +
      "read-only: the listener appends to `/data/messages.log`, and the reader only follows it.",
    points: 6,
    files: ["docker-compose-shared-volume.yml"],
    hints: [
      "Look at how the `listener` service mounts `shared-volume`: the reader needs the same volume at the " +
        "same place, `/data`, where it reads `messages.log`.",
      "Compose's short syntax for a mount is `VOLUME:PATH_IN_CONTAINER:MODE`, and `ro` is the read-only mode.",
      "Under `reader:`, add `volumes:` with one item, `- shared-volume:/data:ro`.",
    ],
    needs: "docker",
    checks: [
      {
        file: `${CHECKS}/reader-volume.test.ts`,
        name:
          "the reader's volume in docker-compose-shared-volume.yml > shows the reader the lines both " +
          "publishers send, through the volume",
        points: 3,
      },
      {
        file: `${CHECKS}/reader-volume.test.ts`,
        name:
          "the reader's volume in docker-compose-shared-volume.yml > makes a write from inside the reader fail " +
          "with a read-only file system",
        points: 2,
      },
      {
        file: `${CHECKS}/reader-volume.hidden.test.ts`,
        name:
          "the reader's volume in docker-compose-shared-volume.yml > lets the reader read the listener's file, " +
          "but neither remove it nor create another",
        points: 1,
        hidden: true,
      },
    ],
  },
];

import { describe, expect, it } from "vitest";
import { findMissingLine, normalise } from "./support/match.ts";

describe("normalise", () => {
  it("replaces times, addresses, ports and counts with one placeholder", () => {
    expect(normalise("listener: 192.168.80.3:54894 is publishing")).toBe(
      normalise("listener: 10.0.0.12:1 is publishing"),
    );
    expect(normalise("Hello from publisher1! 2026-11-26T08:18:47.282Z")).toBe(
      normalise("Hello from publisher1! 2027-01-02T23:59:01.5Z"),
    );
    expect(normalise("web UI    http://localhost:8501")).toBe("web UI http://localhost:#");
    expect(normalise("  received       50000 lines, 4993 lines/s")).toBe("received # lines, # lines/s");
  });

  it("keeps the digits that end a name: publisher1 and publisher2 stay apart", () => {
    expect(normalise("Hello from publisher1!")).not.toBe(normalise("Hello from publisher2!"));
    expect(normalise("lab01-simplest-listener-1")).toBe("lab01-simplest-listener-#");
  });

  it("replaces container ids, uuids and stream ids, but not words made of hex letters", () => {
    expect(normalise("Hello from 6bb6e1c4e84c!")).toBe("Hello from #!");
    expect(normalise("id 3f2b8c1e-9d4a-4e5f-8a7b-1c2d3e4f5a6b")).toBe("id #");
    expect(normalise("id: 1733350000000-0")).toBe("id: #-#");
    expect(normalise("a deadbeef cafe")).toBe("a deadbeef cafe");
  });

  it("replaces Swarm's ids, whole or cut short, but not names", () => {
    expect(normalise("Swarm initialized: current node (oc0reu768rimiqnrx2g6vkqh6) is now a manager.")).toBe(
      "Swarm initialized: current node (#) is now a manager.",
    );
    expect(normalise("y1an6f4ho6qe   gps_web.2.y1an6f4ho6qe@vm")).toBe("# gps_web.2.#@vm");
    expect(normalise("gps_redis_password_v2 lab03-pubsub publisher1")).toBe(
      "gps_redis_password_v2 lab03-pubsub publisher1",
    );
  });

  it("replaces a Swarm id cut short that happens to hold no digit, where an id stands", () => {
    expect(normalise("woeacumygnyz   gps_web.1   gps-workshop/lab03-pubsub:latest   vm")).toBe(
      "# gps_web.1 gps-workshop/lab03-pubsub:latest vm",
    );
    expect(normalise("gps_web.3.woeacumygnyz@vm    | web: subscribed")).toBe(
      "gps_web.3.#@vm | web: subscribed",
    );
    expect(normalise("web (subscription): connected")).toBe("web (subscription): connected");
  });

  it("replaces day and month names, strips colours and makes runs of spaces one", () => {
    expect(normalise("Fri Dec  4 21:31:50 UTC 2026")).toBe(normalise("Sat Jan 16 01:02:03 UTC 2027"));
    expect(normalise("\u001b[32m✓\u001b[39m passed")).toBe("✓ passed");
    expect(normalise("publisher2        gps-workshop/lab01-node   Up 3 seconds")).toBe(
      "publisher2 gps-workshop/lab01-node Up # seconds",
    );
  });
});

describe("findMissingLine", () => {
  const printed = [
    "listener: listening on port 12345, writing to stdout",
    "listener: 172.18.0.3:40000 is publishing",
    "Hello from publisher1! 2026-12-04T10:00:00.001Z",
    "listener: 172.18.0.4:40002 is publishing",
    "Hello from publisher2! 2026-12-04T10:00:00.101Z",
    "Hello from publisher1! 2026-12-04T10:00:01.001Z",
  ].join("\n");

  it("finds the shown lines in order, with other lines between them", () => {
    const shown = [
      "listener: listening on port 12345, writing to stdout",
      "Hello from publisher1! 2026-11-26T08:18:47.282Z",
      "",
      "Hello from publisher2! 2026-11-26T08:18:47.367Z",
    ];
    expect(findMissingLine(shown, printed)).toBeUndefined();
  });

  it("finds a shown line inside a longer printed one", () => {
    expect(findMissingLine(["is publishing"], printed)).toBeUndefined();
  });

  it("names the first shown line that is missing", () => {
    expect(findMissingLine(["listener: listening on port 1", "Hello from publisher3! now"], printed)).toEqual(
      {
        index: 1,
        line: "Hello from publisher3! now",
      },
    );
  });

  it("needs the order shown, unless told any order will do", () => {
    const shown = [
      "Hello from publisher2! 2026-11-26T08:18:47.367Z",
      "listener: 172.18.0.3:40000 is publishing",
    ];
    expect(findMissingLine(shown, printed)?.index).toBe(1);
    expect(findMissingLine(shown, printed, { unordered: true })).toBeUndefined();
  });

  it("matches each printed line once when any order will do", () => {
    const shown = ["is publishing", "is publishing", "is publishing"];
    expect(findMissingLine(shown, printed, { unordered: true })?.index).toBe(2);
  });

  it("lets … stand for any text, within a line and as a line of its own", () => {
    expect(
      findMissingLine(["listener: … writing to stdout", "…", "Hello from publisher…!"], printed),
    ).toBeUndefined();
    expect(findMissingLine(["listener: … writing to a file"], printed)?.index).toBe(0);
  });

  it("reads lines ended by carriage returns, as progress bars print them", () => {
    expect(findMissingLine(["Step 2/2 done"], "Step 1/2 working\rStep 2/2 done\r\n")).toBeUndefined();
  });

  it("takes characters that mean something in a regular expression literally", () => {
    expect(findMissingLine(["(a+b)*[c]"], "x (a+b)*[c] y")).toBeUndefined();
    expect(findMissingLine(["(a+b)*[c]"], "x aab y")?.index).toBe(0);
  });
});

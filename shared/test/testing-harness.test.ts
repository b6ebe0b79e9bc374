import { createConnection } from "node:net";
import { expect } from "vitest";
import { test } from "../testing/index.ts";

/** Sends one inline Redis command over a raw socket and returns the first reply line. */
function redisCommand(url: string, command: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port) }, () =>
      socket.write(`${command}\r\n`),
    );
    socket.once("data", (data) => {
      resolve(data.toString("utf8").split("\r\n")[0] ?? "");
      socket.end();
    });
    socket.once("error", reject);
  });
}

test("the redis fixture gives a file a Redis that answers PING", async ({ redis }) => {
  expect(await redisCommand(redis.url, "PING")).toBe("+PONG");
});

test("the redis fixture is shared by the tests of one file", async ({ redis }) => {
  const key = `${redis.prefix}harness:shared`;
  expect(await redisCommand(redis.url, `SET ${key} 1`)).toBe("+OK");
  expect(await redisCommand(redis.url, `GET ${key}`)).toBe("$1");
});

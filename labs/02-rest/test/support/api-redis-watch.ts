import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { expect, onTestFinished } from "vitest";
import { eventually } from "./api-eventually.ts";

export interface MonitoredCommand {
  /** The client's address, as Redis sees it (ip:port). */
  client: string;
  /** The command and its arguments, upper-cased command first: ["XREAD", "BLOCK", "1000", …]. */
  args: string[];
}

export interface RedisWatch {
  /** Every command Redis has executed since the watch began (MONITOR). */
  readonly commands: MonitoredCommand[];
  /** The commands that name `key`, from any client but `except`. */
  commandsOn(key: string, except?: string): MonitoredCommand[];
  /**
   * Resolves once MONITOR has shown everything that Redis executed before the call: sends
   * `ECHO <marker>` with `client` and waits until MONITOR shows it (its lines arrive late).
   */
  caughtUp(client: { sendCommand(args: string[]): Promise<unknown> }): Promise<void>;
  /** Ends the watch before the test does (it ends with the test anyway). */
  close(): Promise<void>;
}

/** Watches everything Redis executes, with MONITOR: how tests count the commands the API sends. */
export async function watchRedis(url: string): Promise<RedisWatch> {
  const monitor = createClient({ url });
  monitor.on("error", () => {});
  await monitor.connect();
  onTestFinished(() => {
    if (monitor.isOpen) monitor.destroy();
  });
  const commands: MonitoredCommand[] = [];
  await monitor.monitor((line) => {
    const parsed = parseMonitorLine(line);
    if (parsed) commands.push(parsed);
  });
  return {
    commands,
    commandsOn: (key, except) =>
      commands.filter((command) => command.client !== except && command.args.slice(1).includes(key)),
    caughtUp: async (client) => {
      const marker = `caught-up-${randomUUID()}`;
      await client.sendCommand(["ECHO", marker]);
      await eventually(() => expect(commands.map(({ args }) => args.join(" "))).toContain(`ECHO ${marker}`));
    },
    close: async () => {
      monitor.destroy();
    },
  };
}

/** The address (ip:port) under which Redis knows this client. */
export async function clientAddress(client: {
  sendCommand(args: string[]): Promise<unknown>;
}): Promise<string> {
  const info = String(await client.sendCommand(["CLIENT", "INFO"]));
  const address = /\baddr=(\S+)/.exec(info)?.[1];
  if (!address) throw new Error(`no addr in CLIENT INFO: ${info}`);
  return address;
}

// e.g. 1700000000.123456 [0 172.17.0.1:45678] "XREAD" "BLOCK" "1000" "STREAMS" "gps_history" "0-0"
function parseMonitorLine(line: string): MonitoredCommand | undefined {
  const match = /^\S+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
  if (!match?.[1] || match[2] === undefined) return undefined;
  const args = [...match[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((arg) => arg[1] ?? "");
  return { client: match[1], args: args.map((arg, i) => (i === 0 ? arg.toUpperCase() : arg)) };
}

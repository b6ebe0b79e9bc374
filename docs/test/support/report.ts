/** How a README run reports: a failed command with its output, what it removed, how long it took. */
import { stripVTControlCharacters } from "node:util";
import type { Command } from "./readme.ts";
import type { Thing } from "./sandbox.ts";

/** The failure of a command: the README, the line, the command, what went wrong, and its output. */
export function failure(file: string, command: Command, what: string, output: string): Error {
  return new Error(
    `${file}:${command.line}: ${command.text} — ${what}\n${excerpt(stripVTControlCharacters(output))}`,
  );
}

/** The output of a failed command: all of it up to 40 lines, else its first 10 and last 30. */
function excerpt(output: string): string {
  const lines = output.trimEnd().split(/\r?\n/);
  if (lines.length <= 40) return `--- its output ---\n${lines.join("\n")}`;
  const skipped = `--- (${lines.length - 40} lines) ---`;
  return ["--- its output, first 10 lines ---", ...lines.slice(0, 10), skipped, ...lines.slice(-30)].join(
    "\n",
  );
}

export function listThings(things: Thing[]): string {
  return things.map((thing) => `${thing.kind} ${thing.name}`).join(", ");
}

export function time(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

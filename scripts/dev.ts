/**
 * `npm run dev -w <lab>`: runs several of the lab's npm scripts at once (its services, each in
 * `tsx watch` mode) and prefixes every output line with the script's service name, as
 * `docker compose up` does. Ctrl-C stops them all.
 *
 *   node ../../scripts/dev.ts dev:replayer dev:api dev:web
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error("dev: name the npm scripts to run, e.g. node ../../scripts/dev.ts dev:api dev:web");
  process.exit(2);
}

const width = Math.max(...scripts.map((script) => serviceName(script).length));
let running = scripts.length;
const children: ChildProcess[] = [];

for (const script of scripts) {
  const prefix = `${serviceName(script).padEnd(width)} | `;
  const child = spawn("npm", ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  createInterface({ input: child.stdout }).on("line", (line) => process.stdout.write(`${prefix}${line}\n`));
  createInterface({ input: child.stderr }).on("line", (line) => process.stderr.write(`${prefix}${line}\n`));
  child.once("exit", (code, signal) => {
    process.stderr.write(`${prefix}exited (${signal ?? `code ${code}`})\n`);
    running--;
    if (running === 0) process.exit(0);
  });
}

// Ctrl-C in a terminal reaches every child by itself (one process group); SIGTERM has to be passed
// on. Either way, wait for the children to finish instead of dying first.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {
  for (const child of children) child.kill("SIGTERM");
});

/** "dev:replayer" → "replayer". */
function serviceName(script: string): string {
  return script.replace(/^dev:/, "");
}

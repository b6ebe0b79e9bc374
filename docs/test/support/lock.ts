/**
 * Locks on names (ports, container names, compose projects) shared by every README run on this
 * machine, across test workers and checkouts: two READMEs that use port 8000 run one after the
 * other. A lock is a folder (mkdir either creates it or fails, atomically) holding its owner's pid;
 * a lock whose owner has died is taken over.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";

const LOCKS = path.join(tmpdir(), "gps-workshop-docs-locks");
const POLL_MS = 500;

/** Takes every lock in `keys` (in sorted order, so that two runs never wait for each other). */
export async function lockAll(keys: string[], timeoutMs: number): Promise<() => void> {
  const held: string[] = [];
  const release = () => {
    for (const folder of held) rmSync(folder, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  try {
    for (const key of [...new Set(keys)].sort()) {
      const folder = path.join(LOCKS, encodeURIComponent(key));
      while (!tryLock(folder)) {
        if (Date.now() > deadline)
          throw new Error(`${key} stayed in use by another README run for ${timeoutMs / 1000} s`);
        await delay(POLL_MS);
      }
      held.push(folder);
    }
  } catch (error) {
    release();
    throw error;
  }
  return release;
}

function tryLock(folder: string): boolean {
  mkdirSync(LOCKS, { recursive: true });
  try {
    mkdirSync(folder);
  } catch {
    if (ownerAlive(folder)) return false;
    rmSync(folder, { recursive: true, force: true });
    return false;
  }
  writeFileSync(path.join(folder, "owner"), String(process.pid));
  return true;
}

function ownerAlive(folder: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(folder, "owner"), "utf8"));
  } catch {
    // Just created and its owner file not written yet, unless its owner died in between.
    try {
      return Date.now() - statSync(folder).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

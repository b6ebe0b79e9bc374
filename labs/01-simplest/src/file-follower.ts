import { type FileHandle, open, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

/** New bytes from the file, or a notice that the follower moved to another file or position. */
export type FollowEvent = { type: "data"; bytes: Buffer } | { type: "notice"; message: string };

export interface FollowOptions {
  /** How long to wait before looking again once everything has been read. */
  pollMs: number;
  /** Aborting ends the iteration. */
  signal: AbortSignal;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Follows a file like `tail -n +1 -F`: waits for it to appear, yields its bytes from the start,
 * then whatever is appended. When the file is truncated it starts again from the top; when it is
 * replaced (rotated, or deleted and created again) it finishes the old one and opens the new one.
 * It polls rather than relying on file-system events, which do not always cross Docker volumes.
 */
export async function* followFile(
  file: string,
  { pollMs, signal }: FollowOptions,
): AsyncGenerator<FollowEvent> {
  let handle: FileHandle | undefined;
  let inode = 0;
  let position = 0;
  let waiting = false;
  // Set when the file at `file` is no longer the one we hold: the notice to give once it is finished.
  let leaving: string | undefined;
  try {
    while (!signal.aborted) {
      if (handle === undefined) {
        try {
          handle = await open(file, "r");
        } catch (error) {
          if (!isMissing(error)) throw error;
          if (!waiting) yield { type: "notice", message: `waiting for ${file} to appear` };
          waiting = true;
          await pause(pollMs, signal);
          continue;
        }
        waiting = false;
        inode = (await handle.stat()).ino;
        position = 0;
        yield { type: "notice", message: `following ${file}` };
      }

      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
      if (bytesRead > 0) {
        position += bytesRead;
        yield { type: "data", bytes: buffer.subarray(0, bytesRead) };
        continue;
      }
      if (leaving !== undefined) {
        await handle.close();
        handle = undefined;
        yield { type: "notice", message: leaving };
        leaving = undefined;
        continue;
      }

      // At the end of what we have: has the file been replaced, removed or truncated meanwhile?
      const current = await stat(file).catch((error: unknown) => {
        if (isMissing(error)) return undefined;
        throw error;
      });
      if (current === undefined || current.ino !== inode) {
        // Read the old file to its end once more: the writer may have appended since our last read.
        leaving = current ? `${file} was replaced, reopening it` : `${file} was removed`;
      } else if (current.size < position) {
        position = 0;
        yield { type: "notice", message: `${file} was truncated, reading it from the start` };
      } else {
        await pause(pollMs, signal);
      }
    }
  } finally {
    await handle?.close();
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

/** Like sleep, but an abort ends the pause early instead of throwing. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

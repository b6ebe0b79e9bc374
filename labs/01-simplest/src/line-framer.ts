/** One line cut out of a byte stream, without its newline. */
export interface Line {
  bytes: Buffer;
  /** How many bytes past the cap were dropped from this line (0 for a line within the cap). */
  droppedBytes: number;
}

const NEWLINE = 0x0a;

/**
 * Cuts a TCP byte stream into lines. TCP delivers bytes, not messages: one packet may hold several
 * lines or half of one, so a partial line is held until its newline arrives. A line longer than
 * `maxLineBytes` keeps its first `maxLineBytes` bytes and drops the rest, so a peer that never
 * sends a newline cannot make us hold unbounded memory.
 */
export class LineFramer {
  readonly #maxLineBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #droppedBytes = 0;

  constructor(maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    }
    this.#maxLineBytes = maxLineBytes;
  }

  /** Feeds the next chunk; returns the lines it completes (possibly none). */
  push(chunk: Buffer): Line[] {
    const lines: Line[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.#hold(chunk.subarray(start));
        break;
      }
      this.#hold(chunk.subarray(start, newline));
      lines.push(this.#take());
      start = newline + 1;
    }
    return lines;
  }

  /** The stream has ended: returns the partial line still held, if any. */
  end(): Line[] {
    return this.#pendingBytes > 0 || this.#droppedBytes > 0 ? [this.#take()] : [];
  }

  #hold(part: Buffer): void {
    const room = this.#maxLineBytes - this.#pendingBytes;
    const kept = part.length > room ? part.subarray(0, room) : part;
    this.#droppedBytes += part.length - kept.length;
    if (kept.length > 0) {
      this.#pending.push(kept);
      this.#pendingBytes += kept.length;
    }
  }

  #take(): Line {
    const line = {
      bytes: Buffer.concat(this.#pending, this.#pendingBytes),
      droppedBytes: this.#droppedBytes,
    };
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#droppedBytes = 0;
    return line;
  }
}

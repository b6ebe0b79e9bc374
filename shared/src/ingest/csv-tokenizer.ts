/** One CSV record: its cells, and the 1-based line of the file it starts on. */
export interface CsvRow {
  cells: string[];
  line: number;
  /** Why the row is malformed (a quote left open, text after a closing quote), else undefined. */
  error: string | undefined;
}

/** Thrown when one row grows past the size limit: usually a quote opened and never closed. */
export class CsvRowTooLongError extends Error {
  readonly line: number;

  constructor(line: number, maxRowChars: number) {
    super(`the row starting on line ${line} is longer than ${maxRowChars} characters (an unclosed quote?)`);
    this.name = "CsvRowTooLongError";
    this.line = line;
  }
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

type State =
  | "fieldStart" // nothing of the current field read yet
  | "unquoted" // inside a field that did not start with a quote
  | "quoted" // inside a quoted field
  | "quoteInQuoted" // just read a quote inside a quoted field: an escape ("") or the closing quote
  | "afterCR"; // a row just ended with CR: swallow the LF of a CRLF

/**
 * An RFC 4180 tokenizer that works on a stream of text chunks: feed it with `push(chunk)`, then
 * `end()`. A row, a field, a quote escape or a CRLF may be split anywhere between two chunks.
 * Line breaks are LF, CRLF or a lone CR, inside quotes too, so the line numbers match what an
 * editor shows. Memory is bounded: a row longer than `maxRowChars` throws CsvRowTooLongError.
 */
export class CsvTokenizer {
  readonly #maxRowChars: number;
  #state: State = "fieldStart";
  #cells: string[] = [];
  /** Text of the current field carried over from earlier chunks (or unescaped so far). */
  #pending = "";
  #line = 1;
  #rowLine = 1;
  #rowError: string | undefined;
  /** Characters of the current row read in earlier chunks. */
  #rowCharsBefore = 0;
  /** A quoted field's CR was the last character of a chunk: is it half of a CRLF? */
  #quotedCRAtChunkEnd = false;

  constructor(options: { maxRowChars?: number } = {}) {
    this.#maxRowChars = options.maxRowChars ?? 1024 * 1024;
  }

  /** Tokenizes one chunk; returns the rows it completed. */
  push(chunk: string): CsvRow[] {
    const rows: CsvRow[] = [];
    const length = chunk.length;
    if (length === 0) return rows;
    if (this.#quotedCRAtChunkEnd) {
      this.#quotedCRAtChunkEnd = false;
      if (chunk.charCodeAt(0) !== LF) this.#line++;
    }
    let i = 0;
    // Where the unread text of the current field starts in this chunk.
    let fieldStart = 0;
    // Where the current row starts in this chunk (0 when it started in an earlier one).
    let rowStart = 0;
    // The next LF, quote and CR at or after i (length when there is none), found as needed.
    let nextLF = -1;
    let nextQuote = -1;
    let nextCR = -1;

    while (i < length) {
      switch (this.#state) {
        case "afterCR":
          if (chunk.charCodeAt(i) === LF) {
            i++;
            rowStart = i;
          }
          this.#state = "fieldStart";
          break;

        case "fieldStart": {
          // Fast path: a whole row on one line, without quotes and without a CR other than that
          // of a CRLF, is split by the engine's String.split, several times faster than the loop.
          if (nextLF < i) nextLF = indexOrLength(chunk, LF, i);
          const lf = nextLF;
          if (lf < length && this.#cells.length === 0) {
            if (nextQuote < i) nextQuote = indexOrLength(chunk, QUOTE, i);
            if (nextCR < i) nextCR = indexOrLength(chunk, CR, i);
            const end = nextCR === lf - 1 ? lf - 1 : lf;
            if (nextQuote > lf && nextCR >= end) {
              rows.push({ cells: chunk.slice(i, end).split(","), line: this.#rowLine, error: undefined });
              this.#line++;
              this.#rowLine = this.#line;
              i = lf + 1;
              rowStart = i;
              break;
            }
          }
          const c = chunk.charCodeAt(i);
          if (c === QUOTE) {
            this.#state = "quoted";
            i++;
            fieldStart = i;
          } else if (c === COMMA) {
            this.#cells.push("");
            i++;
          } else if (c === LF || c === CR) {
            this.#cells.push("");
            rows.push(this.#endRow(c));
            rowStart = ++i;
          } else {
            this.#state = "unquoted";
            fieldStart = i;
          }
          break;
        }

        case "unquoted": {
          let c = 0;
          while (i < length) {
            c = chunk.charCodeAt(i);
            if (c === COMMA || c === LF || c === CR) break;
            i++;
          }
          if (i === length) break;
          const row = this.#endCell(this.#pending + chunk.slice(fieldStart, i), c);
          if (row) {
            rows.push(row);
            rowStart = i + 1;
          }
          i++;
          break;
        }

        case "quoted": {
          while (i < length) {
            const c = chunk.charCodeAt(i);
            if (c === QUOTE) break;
            if (c === LF) this.#line++;
            else if (c === CR) this.#countQuotedCR(chunk, i);
            i++;
          }
          if (i === length) break;
          this.#pending += chunk.slice(fieldStart, i);
          this.#state = "quoteInQuoted";
          i++;
          break;
        }

        case "quoteInQuoted": {
          const c = chunk.charCodeAt(i);
          if (c === QUOTE) {
            // An escaped quote: keep one, carry on inside the quotes.
            this.#pending += '"';
            this.#state = "quoted";
            i++;
            fieldStart = i;
          } else if (c === COMMA || c === LF || c === CR) {
            const row = this.#endCell(this.#pending, c);
            if (row) {
              rows.push(row);
              rowStart = i + 1;
            }
            i++;
          } else {
            // `"abc"def`: keep the text so the cell count stays right, but the row is unusable.
            this.#rowError ??= "text follows a closing quote";
            this.#state = "unquoted";
            fieldStart = i;
          }
          break;
        }
      }
    }

    if (this.#state === "unquoted" || this.#state === "quoted") {
      this.#pending += chunk.slice(fieldStart);
    }
    if (this.#rowInProgress()) {
      this.#rowCharsBefore += length - rowStart;
      if (this.#rowCharsBefore > this.#maxRowChars) {
        throw new CsvRowTooLongError(this.#rowLine, this.#maxRowChars);
      }
    }
    return rows;
  }

  /** Finishes the input: returns the last row when the text does not end with a line break. */
  end(): CsvRow[] {
    if (!this.#rowInProgress()) return [];
    if (this.#state === "quoted") {
      this.#rowError ??= "a quoted field is not closed before the end of the file";
    }
    this.#cells.push(this.#pending);
    return [{ cells: this.#cells, line: this.#rowLine, error: this.#rowError }];
  }

  /**
   * Ends the current cell, whose text is `cell`, on its delimiter `c`: a comma starts the next
   * cell; a line break also ends the row, which it returns.
   */
  #endCell(cell: string, c: number): CsvRow | undefined {
    this.#cells.push(cell);
    this.#pending = "";
    if (c === COMMA) {
      this.#state = "fieldStart";
      return undefined;
    }
    return this.#endRow(c);
  }

  /** Ends the current row on its line break `c` (CR or LF) and starts the next one. */
  #endRow(c: number): CsvRow {
    const row: CsvRow = { cells: this.#cells, line: this.#rowLine, error: this.#rowError };
    this.#cells = [];
    this.#rowError = undefined;
    this.#rowCharsBefore = 0;
    this.#line++;
    this.#rowLine = this.#line;
    this.#state = c === CR ? "afterCR" : "fieldStart";
    return row;
  }

  #rowInProgress(): boolean {
    return (
      this.#cells.length > 0 ||
      this.#state === "unquoted" ||
      this.#state === "quoted" ||
      this.#state === "quoteInQuoted"
    );
  }

  /** Counts a CR inside quotes as a line break unless it is the first half of a CRLF. */
  #countQuotedCR(chunk: string, i: number): void {
    if (i + 1 === chunk.length) this.#quotedCRAtChunkEnd = true;
    else if (chunk.charCodeAt(i + 1) !== LF) this.#line++;
  }
}

function indexOrLength(text: string, charCode: number, from: number): number {
  const index = text.indexOf(String.fromCharCode(charCode), from);
  return index === -1 ? text.length : index;
}

import { describe, expect, it } from "vitest";
import { type CsvRow, CsvRowTooLongError, CsvTokenizer } from "../src/ingest/csv-tokenizer.ts";

/** Tokenizes the text fed in the given chunks. */
function tokenize(...chunks: string[]): CsvRow[] {
  const tokenizer = new CsvTokenizer();
  return [...chunks.flatMap((chunk) => tokenizer.push(chunk)), ...tokenizer.end()];
}

const row = (line: number, ...cells: string[]): CsvRow => ({ cells, line, error: undefined });

describe("CsvTokenizer", () => {
  it("splits rows into cells and numbers their lines from 1", () => {
    expect(tokenize("a,b,c\n1,2,3\n")).toEqual([row(1, "a", "b", "c"), row(2, "1", "2", "3")]);
  });

  it("reads a last row that has no line break", () => {
    expect(tokenize("a,b\n1,2")).toEqual([row(1, "a", "b"), row(2, "1", "2")]);
  });

  it("keeps empty cells, including a trailing one", () => {
    expect(tokenize("a,,c,\n,,\n")).toEqual([row(1, "a", "", "c", ""), row(2, "", "", "")]);
  });

  it("gives a blank line as one empty cell, so the reader can skip it", () => {
    expect(tokenize("a\n\n\nb\n")).toEqual([row(1, "a"), row(2, ""), row(3, ""), row(4, "b")]);
  });

  it("accepts CRLF, LF and lone CR line breaks", () => {
    expect(tokenize("a\r\nb\nc\rd")).toEqual([row(1, "a"), row(2, "b"), row(3, "c"), row(4, "d")]);
  });

  it("keeps commas inside quotes and unescapes doubled quotes", () => {
    expect(tokenize('"a, b","say ""hi""",""\n')).toEqual([row(1, "a, b", 'say "hi"', "")]);
  });

  it("keeps line breaks inside quotes and numbers the following rows by their real line", () => {
    const text = 'h1,h2\n1,"two\nlines"\n2,"three\r\nlines\rhere"\n3,x\n';
    expect(tokenize(text)).toEqual([
      row(1, "h1", "h2"),
      row(2, "1", "two\nlines"),
      row(4, "2", "three\r\nlines\rhere"),
      row(7, "3", "x"),
    ]);
  });

  it("flags text after a closing quote, keeping the cell count", () => {
    expect(tokenize('"ab"c,d\n')).toEqual([
      { cells: ["abc", "d"], line: 1, error: "text follows a closing quote" },
    ]);
  });

  it("flags a quote left open at the end of the text", () => {
    expect(tokenize('a\n"open,b\n')).toEqual([
      row(1, "a"),
      { cells: ["open,b\n"], line: 2, error: "a quoted field is not closed before the end of the file" },
    ]);
  });

  it("handles a chunk boundary inside a quoted field, an escaped quote and a CRLF", () => {
    expect(tokenize('1,"ab', 'c"', '"d"\r', "\n2,x\r", "\n")).toEqual([
      row(1, "1", 'abc"d'),
      row(2, "2", "x"),
    ]);
  });

  it("counts a CRLF inside quotes once when a chunk boundary splits it", () => {
    expect(tokenize('1,"a\r', '\nb"\n2\n')).toEqual([row(1, "1", "a\r\nb"), row(3, "2")]);
  });

  it("gives the same rows wherever the text is cut into chunks", () => {
    const text = 'time,note\r\n1,"a, ""b""\r\nc"\r\n\r\n2,\r3,"x"\n4,"unclosed';
    const whole = tokenize(text);
    for (let first = 0; first <= text.length; first++) {
      for (let second = first; second <= text.length; second++) {
        const rows = tokenize(text.slice(0, first), text.slice(first, second), text.slice(second));
        expect(rows, `cut at ${first} and ${second}`).toEqual(whole);
      }
    }
  });

  it("stops with CsvRowTooLongError when a row outgrows the limit, so memory stays bounded", () => {
    const tokenizer = new CsvTokenizer({ maxRowChars: 100 });
    tokenizer.push('a,b\n1,"never closed');
    const push = () => {
      for (let i = 0; i < 20; i++) tokenizer.push("more text,\n");
    };
    expect(push).toThrow(CsvRowTooLongError);
    expect(push).toThrow("the row starting on line 2 is longer than 100 characters (an unclosed quote?)");
  });
});

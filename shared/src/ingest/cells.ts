import { parseIsoTime } from "./iso-time.ts";
import { RowRejection } from "./row-rejection.ts";

/** A cell or element text as a number; empty (or only spaces) is null. Throws RowRejection. */
export function parseNumber(text: string, label: string): number | null {
  if (text.length === 0) return null;
  const value = Number(text);
  // Number() reads "" and "  " as 0: those are empty cells, not readings of 0.
  if (value === 0 && text.trim() === "") return null;
  if (Number.isNaN(value)) throw new RowRejection(`${label} ${quote(text)} is not a number`);
  return value;
}

/** An ISO 8601 date-time as epoch seconds; empty is null. Throws RowRejection. */
export function parseTime(text: string, label: string): number | null {
  const trimmed = text.trim();
  if (trimmed.length === 0) return null;
  const seconds = parseIsoTime(trimmed);
  if (seconds === undefined) {
    throw new RowRejection(
      `${label} ${quote(text)} is not an ISO 8601 date-time (e.g. 2019-12-24T20:21:27Z)`,
    );
  }
  return seconds;
}

/** A value the record cannot do without. Throws RowRejection when it is missing. */
export function required(value: number | null, label: string): number {
  if (value === null) throw new RowRejection(`${label} is empty`);
  return value;
}

/** The text in quotes, shortened: a reason stays one readable line. */
function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}

/**
 * Loose matching of the output a README shows against the output a command printed. What varies
 * from run to run (numbers, times, container, task and other Docker ids, uuids, addresses, ports,
 * durations, day and month names, the width of table columns) is replaced by placeholders on both
 * sides; `…` in the README stands for any text. The shown lines must appear in order (or in any
 * order when asked), each inside one printed line; printed lines between them are allowed.
 */
import { stripVTControlCharacters } from "node:util";

const WILDCARD = "…";

const VARYING: [RegExp, string][] = [
  // uuids, then hex ids of 7 characters or more with a digit and a letter (container, image, git ids).
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "#"],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, "#"],
  // Swarm's ids (nodes, services, tasks, secrets): 25 lower-case letters and digits; cut short to
  // 12, they may hold no digit, and are known by where they stand: the ID column, or a task's
  // name in `docker service logs` (gps_web.1.<id>@node).
  [/\b[a-z0-9]{25}\b/g, "#"],
  [/^[a-z0-9]{12}(?=\s)|(?<=\.\d+\.)[a-z0-9]{12}(?=@)/g, "#"],
  [/\b(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{12}\b/g, "#"],
  [/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?/g, "<time>"],
  // Numbers of any size, with decimals or groups (3, 1.25, 50,000, 192.168.80.3), but not the
  // digits that end a name: publisher1 and publisher2 stay two names.
  [/(?<![\w.])\d+(?:[.,]\d+)*/g, "#"],
  [/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b/g, "<day>"],
  [/\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/g, "<month>"],
];

/** A line with its varying parts replaced and its runs of spaces made one. */
export function normalise(line: string): string {
  let text = stripVTControlCharacters(line);
  for (const [pattern, placeholder] of VARYING) text = text.replace(pattern, placeholder);
  return text.replace(/\s+/g, " ").trim();
}

export interface Mismatch {
  /** The first shown line (index in `shown`) with no printed line to match it. */
  index: number;
  line: string;
}

/**
 * Checks that `printed` holds the `shown` lines. Returns undefined when it does, or the first
 * shown line that is missing. Blank shown lines and lines that are only `…` match anything.
 */
export function findMissingLine(
  shown: string[],
  printed: string,
  { unordered = false }: { unordered?: boolean } = {},
): Mismatch | undefined {
  const lines = printed.split(/\r?\n|\r/).map(normalise);
  const used = new Set<number>();
  let from = 0;
  for (const [index, line] of shown.entries()) {
    const wanted = normalise(line);
    if (wanted === "" || wanted === WILDCARD) continue;
    const pattern = new RegExp(wanted.split(WILDCARD).map(escapeRegExp).join(".*"));
    const start = unordered ? 0 : from;
    const found = lines.findIndex((candidate, at) => at >= start && !used.has(at) && pattern.test(candidate));
    if (found === -1) return { index, line };
    used.add(found);
    from = found + 1;
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

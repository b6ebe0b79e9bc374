/**
 * The markers that say how a README's code block is tested (docs/testing-docs.md explains each).
 * A marker is written in the block's info string (```sh run) or in a comment on the line above
 * (<!-- docs: run -->); both hold the same text, parsed here.
 */

export interface Marker {
  kind: "run" | "background" | "skip" | "output" | "stop";
  /** Exit code the block's last command must give: 0, or N after `expect failure N`. */
  exitCode: number;
  /** `skip: <reason>`. */
  reason?: string;
  /** `in <folder>`: the folder, relative to the repository root, to run the block from. */
  folder?: string;
  /** `in a fresh clone`: run in a terminal of its own, in a fresh clone of the repository. */
  freshClone: boolean;
  /** `until "<text>"`: a background block is ready once its output holds this text. */
  until?: string;
  /** `within 90s` / `within 10m`: deadline of the block (of its `until`, for a background one). */
  withinMs?: number;
  /** `as <name>` on a background block, `of <name>` on an output block, `stop <name>`. */
  name?: string;
  /** `unordered`: the shown lines may appear in any order. */
  unordered: boolean;
  /** `stops cleanly`: once stopped, none of the containers and networks it started is left. */
  stopsCleanly: boolean;
}

/** The text of a `<!-- docs: … -->` comment, or undefined when the HTML is something else. */
export function commentMarkerText(html: string): string | undefined {
  return /^<!--\s*docs:\s*([\s\S]*?)\s*-->$/.exec(html.trim())?.[1];
}

/** True when an info string's words after the language start a marker. */
export function looksLikeMarker(text: string): boolean {
  return /^(run|background|expect|skip|output|stop)\b/.test(text.trim());
}

const OPTIONS_OF: Record<Marker["kind"], string[]> = {
  run: ["in", "within", "unordered"],
  background: ["in", "until", "within", "as", "stops", "unordered"],
  output: ["of", "within", "unordered"],
  skip: [],
  stop: [],
};

/** Parses a marker's text; throws an Error whose message says what is wrong and what is expected. */
export function parseMarker(text: string): Marker {
  const marker: Marker = {
    kind: "run",
    exitCode: 0,
    freshClone: false,
    unordered: false,
    stopsCleanly: false,
  };
  const trimmed = text.trim();
  if (/^skip\b/.test(trimmed)) {
    const reason = /^skip:\s*(\S[\s\S]*)$/.exec(trimmed)?.[1];
    if (!reason) throw new Error(`"${trimmed}": a skip needs a reason, e.g. "skip: Windows only"`);
    return { ...marker, kind: "skip", reason };
  }
  const words = tokens(trimmed);
  const next = (what: string) => {
    const word = words.shift();
    if (word === undefined) throw new Error(`"${trimmed}": ${what} is missing`);
    return word;
  };
  const head = next("the kind of block");
  if (head.value === "expect") {
    if (next("failure").value !== "failure")
      throw new Error(`"${trimmed}": write "expect failure <exit code>"`);
    const code = next("the exit code after expect failure").value;
    if (!/^([1-9]\d?|1\d\d|2[0-4]\d|25[0-5])$/.test(code))
      throw new Error(`"${trimmed}": the exit code after "expect failure" must be a number from 1 to 255`);
    marker.exitCode = Number(code);
  } else if (head.value === "stop") {
    return { ...marker, kind: "stop", name: next("the name of the background block to stop").value };
  } else if (["run", "background", "output"].includes(head.value)) {
    marker.kind = head.value as Marker["kind"];
  } else {
    throw new Error(
      `"${trimmed}": unknown marker; use run, background, expect failure <code>, skip: <reason> or output`,
    );
  }
  while (words.length > 0) {
    const option = next("an option").value;
    if (!OPTIONS_OF[marker.kind].includes(option))
      throw new Error(`"${trimmed}": "${option}" is not an option of ${marker.kind} blocks`);
    if (option === "in") {
      const folder = next("the folder after in").value;
      if (folder === "a" && words[0]?.value === "fresh" && words[1]?.value === "clone") {
        words.splice(0, 2);
        marker.freshClone = true;
      } else if (folder.startsWith("/") || folder.split("/").includes("..")) {
        throw new Error(`"${trimmed}": the folder after "in" is relative to the repository root, inside it`);
      } else marker.folder = folder;
    } else if (option === "until") {
      const until = next('the text after until, in quotes: until "listening on"');
      if (!until.quoted || until.value === "")
        throw new Error(`"${trimmed}": write the text after until in quotes`);
      marker.until = until.value;
    } else if (option === "within") {
      marker.withinMs = duration(next("the duration after within, e.g. 90s or 10m").value, trimmed);
    } else if (option === "as" || option === "of") {
      marker.name = next(`the name after ${option}`).value;
    } else if (option === "stops") {
      if (next("cleanly").value !== "cleanly") throw new Error(`"${trimmed}": write "stops cleanly"`);
      marker.stopsCleanly = true;
    } else marker.unordered = true;
  }
  return marker;
}

function duration(text: string, marker: string): number {
  const match = /^(\d+)(s|m)$/.exec(text);
  if (!match)
    throw new Error(`"${marker}": a duration is a whole number of seconds or minutes, e.g. 90s or 10m`);
  return Number(match[1]) * (match[2] === "m" ? 60_000 : 1000);
}

/** Words, and texts in double or single quotes (which may hold spaces and the other quote). */
function tokens(text: string): { value: string; quoted: boolean }[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => ({
    value: match[1] ?? match[2] ?? match[3] ?? "",
    quoted: match[3] === undefined,
  }));
}

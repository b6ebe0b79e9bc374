/**
 * Reads a README into the steps a student follows: its headings, its shell blocks with their
 * markers and commands, the output blocks to check, and `stop` markers, in document order.
 */
import { spawnSync } from "node:child_process";
import type { Code, Heading, Nodes } from "mdast";
import { remark } from "remark";
import { commentMarkerText, looksLikeMarker, type Marker, parseMarker } from "./markers.ts";

/** One command as a student types it, with the output lines the README shows for it. */
export interface Command {
  line: number;
  text: string;
  shown: string[];
}

export type Step =
  | { type: "shell"; line: number; marker: Marker; commands: Command[] }
  | { type: "output"; line: number; marker: Marker; shown: string[] }
  | { type: "heading"; line: number; title: string }
  | { type: "stop"; line: number; name: string };

export interface Readme {
  steps: Step[];
  /** Blocks not marked, and markers that cannot be read: each fails the README's test. */
  problems: { line: number; message: string }[];
  /** How many markers the README has: none means it has not been marked yet. */
  markers: number;
}

const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console", "shell-session"]);
const PROMPT = /^\$ /;

export function parseReadme(markdown: string): Readme {
  const readme: Readme = { steps: [], problems: [], markers: 0 };
  const names = new Set<string>();
  const visit = (node: Nodes) => {
    if (!("children" in node)) return;
    node.children.forEach((child, index) => {
      const line = child.position?.start.line ?? 0;
      const comment = child.type === "html" ? commentMarkerText(child.value) : undefined;
      const previous = node.children[index - 1];
      const aboveText = previous?.type === "html" ? commentMarkerText(previous.value) : undefined;
      const above = aboveText !== undefined && !isStop(aboveText) ? aboveText : undefined;
      try {
        if (child.type === "heading") {
          readme.steps.push({ type: "heading", line, title: heading(child) });
        } else if (comment !== undefined) {
          readme.markers += 1;
          if (isStop(comment)) {
            const { name = "" } = parseMarker(comment);
            if (!names.has(name)) throw new Error(`stop ${name}: no background block above is named so`);
            readme.steps.push({ type: "stop", line, name });
          } else if (node.children[index + 1]?.type !== "code") {
            throw new Error(`"${comment}": a marker must be on the line above a code block`);
          }
        } else if (child.type === "code") {
          const step = codeStep(readme, child, above);
          if (step?.marker.name && step.marker.kind === "background") names.add(step.marker.name);
          if (step) readme.steps.push(step);
        } else visit(child);
      } catch (error) {
        readme.problems.push({ line, message: (error as Error).message });
      }
    });
  };
  visit(remark().parse(markdown));
  return readme;
}

type BlockStep = Extract<Step, { marker: Marker }>;

function heading(node: Heading): string {
  return remark()
    .stringify({ type: "root", children: [node] })
    .trim();
}

function codeStep(readme: Readme, code: Code, commentText: string | undefined): BlockStep | undefined {
  const line = code.position?.start.line ?? 0;
  const meta = code.meta ?? "";
  const shell = SHELL_LANGUAGES.has(code.lang ?? "") || (!code.lang && code.value.split("\n").some(isPrompt));
  const infoText = meta && (shell || looksLikeMarker(meta)) ? meta : undefined;
  if (infoText !== undefined && commentText !== undefined)
    throw new Error("two markers: one in the comment above and one after the language");
  if (infoText !== undefined) readme.markers += 1;
  const text = commentText ?? infoText;
  if (text === undefined) {
    if (shell)
      throw new Error(
        "a shell block without a marker: mark it run, background, expect failure <code> or skip: <reason>",
      );
    return undefined;
  }
  const marker = parseMarker(text);
  if (marker.kind === "stop") throw new Error("stop is a marker of its own, not of a block");
  if (marker.kind === "output") {
    if (shell) throw new Error("output marks a block that shows output, not a shell block");
    return { type: "output", line, marker, shown: code.value.split("\n") };
  }
  if (!shell)
    throw new Error(`"${marker.kind}" marks a shell block; this block is ${code.lang ?? "plain text"}`);
  const found = commands(code.value, line + 1);
  if (found.length === 0 && marker.kind !== "skip") throw new Error("a shell block without a command");
  return { type: "shell", line, marker, commands: found };
}

function isStop(markerText: string): boolean {
  return /^stop\b/.test(markerText);
}

function isPrompt(line: string): boolean {
  return PROMPT.test(line);
}

/**
 * The commands of a block. With `$ ` prompts, the prompt lines are commands (a trailing `\`
 * continues one) and the lines after each are its shown output. Without, every complete shell
 * command is one, however many lines it takes (bash says when it is complete).
 */
export function commands(block: string, firstLine: number): Command[] {
  const lines = block.split("\n");
  const found: Command[] = [];
  if (lines.some(isPrompt)) {
    let current: Command | undefined;
    let continued = false;
    lines.forEach((text, index) => {
      if (current && continued) {
        current.text += `\n${text.replace(/^> /, "")}`;
      } else if (isPrompt(text)) {
        current = { line: firstLine + index, text: text.slice(2), shown: [] };
        found.push(current);
      } else {
        current?.shown.push(text);
      }
      continued = current !== undefined && text.endsWith("\\");
    });
    return found;
  }
  let pending: Command | undefined;
  lines.forEach((text, index) => {
    if (!pending && /^\s*(#.*)?$/.test(text)) return;
    pending = pending
      ? { ...pending, text: `${pending.text}\n${text}` }
      : { line: firstLine + index, text, shown: [] };
    if (isComplete(pending.text)) {
      found.push(pending);
      pending = undefined;
    }
  });
  if (pending) found.push(pending);
  return found;
}

/** Whether bash reads the text as complete commands: no open quote, loop, `\` or here-document. */
function isComplete(text: string): boolean {
  const check = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
  return check.status === 0 && check.stderr === "" && !text.endsWith("\\");
}

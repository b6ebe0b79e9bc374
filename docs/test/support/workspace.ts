/**
 * The terminals a README's blocks run in: one at the repository root, and, for the blocks marked
 * `in a fresh clone`, one in a `git clone` of the repository made on first use. Both live in a
 * temporary folder removed at the end.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Marker } from "./markers.ts";
import { Terminal } from "./terminal.ts";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

export class Workspace {
  readonly #file: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #runId: string;
  readonly #temp = mkdtempSync(path.join(tmpdir(), "gps-docs-"));
  readonly #terminal: Terminal;
  #clone: { root: string; terminal: Terminal } | undefined;

  constructor({ file, env, runId }: { file: string; env: NodeJS.ProcessEnv; runId: string }) {
    this.#file = file;
    this.#env = env;
    this.#runId = runId;
    this.#terminal = this.#newTerminal(ROOT, "terminal.state", env);
  }

  /** The terminal of a block, and the folder it starts in when its marker says `in <folder>`. */
  terminalFor({ folder, freshClone }: Marker): { terminal: Terminal; folder?: string } {
    if (!freshClone) return { terminal: this.#terminal, folder: folder && path.join(ROOT, folder) };
    if (!this.#clone) {
      const root = path.join(this.#temp, "clone");
      try {
        execFileSync("git", ["clone", "--quiet", ROOT, root], { stdio: ["ignore", "ignore", "pipe"] });
      } catch (error) {
        throw new Error(`${this.#file}: a fresh clone needs git, and the repository as a git checkout`, {
          cause: error,
        });
      }
      if (execFileSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).trim())
        console.log(
          `${this.#file}: the fresh clone holds the last commit, not the changes not committed yet`,
        );
      this.#clone = {
        root,
        terminal: this.#newTerminal(root, "clone.state", this.#env),
      };
    }
    return { terminal: this.#clone.terminal, folder: folder && path.join(this.#clone.root, folder) };
  }

  /** Removes the temporary folder, the clone with it. */
  dispose(): void {
    rmSync(this.#temp, { recursive: true, force: true });
  }

  #newTerminal(cwd: string, state: string, env: NodeJS.ProcessEnv): Terminal {
    return new Terminal({ cwd, stateFile: path.join(this.#temp, state), env, runId: this.#runId });
  }
}

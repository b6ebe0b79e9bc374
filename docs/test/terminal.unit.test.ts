import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Terminal } from "./support/terminal.ts";

describe("a README's terminal", () => {
  const temp = mkdtempSync(path.join(tmpdir(), "terminal-test-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  const terminal = new Terminal({
    cwd: temp,
    stateFile: path.join(temp, "state"),
    env: process.env,
    runId: "unit",
  });

  async function type(command: string): Promise<{ code: number; output: string }> {
    const job = terminal.start(command);
    const code = await job.exited;
    return { code, output: job.output() };
  }

  it("keeps the folder, variables and functions from one command to the next", async () => {
    await type("mkdir -p sub && cd sub");
    await type('export GREETING=hello; NAME="a student"; shout() { echo "$1!"; }');
    expect(await type('pwd; echo "$GREETING, $NAME"; shout hi')).toEqual({
      code: 0,
      output: `${path.join(temp, "sub")}\nhello, a student\nhi!\n`,
    });
  });

  it("gives each command's exit code, with what it wrote to stderr among its output", async () => {
    expect(await type("echo out; echo err >&2; exit 3")).toEqual({ code: 3, output: "out\nerr\n" });
  });

  it("starts a block in the folder it is given, and stays there", async () => {
    expect((await terminal.start("pwd", { folder: temp }).exited) === 0).toBe(true);
    expect((await type("pwd")).output).toBe(`${temp}\n`);
  });

  it("stops a running command with Ctrl-C, which reaches every process of it", async () => {
    const job = terminal.start("echo started; bash -c 'sleep 30; echo inner'; echo outer");
    await job.waitFor((output) => output === "started\n", 5000, "printed no started");
    expect(await job.stop()).toBe(130);
    expect(job.output()).toBe("started\n");
  });

  it("stops only once every process of the command has ended, the ones its first leaves behind too", async () => {
    // As `npm start` does: the first process exits on Ctrl-C, its child cleans up for 3 s more
    // (longer than the 2 s a job waits for its output to close).
    const leader = path.join(temp, "leader.mjs");
    writeFileSync(
      leader,
      `import { spawn } from "node:child_process";
spawn("bash", ["-c", "trap 'sleep 3; echo cleaned; exit 0' INT; echo started; while :; do sleep 0.1; done"], { stdio: "inherit" });
process.on("SIGINT", () => process.exit(130));
`,
    );
    const job = terminal.start(`"${process.execPath}" ${leader}`);
    await job.waitFor((output) => output.includes("started"), 5000, "printed no started");
    await job.stop();
    expect(job.output()).toBe("started\ncleaned\n");
  });

  it("waits for a line with a deadline, and says so when the command exits first", async () => {
    const job = terminal.start("echo starting; echo ready; sleep 30");
    await job.waitFor((output) => output.includes("ready"), 5000, "printed no ready");
    await job.stop();
    const quick = terminal.start("echo bye");
    await expect(
      quick.waitFor((output) => output.includes("ready"), 5000, "printed no ready"),
    ).rejects.toThrow("printed no ready, but it exited with 0 first");
  });

  it("runs `docker` as a function that labels what it creates, and nothing else", async () => {
    const { output } = await type("type docker | head -n 1; declare -f docker | grep -c -- '--label'");
    expect(output).toBe("docker is a function\n2\n");
  });
});

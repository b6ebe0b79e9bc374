/**
 * The command line of swarm.ts: `npm run swarm:up -- --port 8505`. A bad option is a UsageError
 * (one line, exit code 2).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { decimal, UsageError } from "@gps-workshop/service/config";
import { Failure } from "./docker.ts";

const USAGE = `Usage: npm run swarm:up [-- options]     npm run swarm:down [-- options]

  --stack NAME           the stack's name, in front of its services' names (default gps)
up:
  --port PORT            the page's port on each machine of the swarm (default 8504)
  --tag TAG              the tag of lab 03's images to build and run (default latest)
  --password-file FILE   Redis's password, read from FILE (default: a random one, printed nowhere)
  --no-build             run the images that are there, instead of building them first
down:
  --volumes              remove Redis's volume too (its data is kept otherwise)`;
const OPTIONS = {
  stack: { type: "string", default: "gps" },
  port: { type: "string", default: "8504" },
  tag: { type: "string", default: "latest" },
  "password-file": { type: "string" },
  "no-build": { type: "boolean", default: false },
  volumes: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;
const ONLY_FOR = { up: ["port", "tag", "password-file", "no-build"], down: ["volumes"] };

export type Options = ReturnType<typeof readOptions>;

/** The options after `npm run swarm:<command> --`; --help prints the usage and exits 0. */
export function readOptions(command: "up" | "down", args: string[]) {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; tokens: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, tokens: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, tokens } = parsed;
  const other = command === "up" ? "down" : "up";
  const misplaced = tokens.find((token) => token.kind === "option" && ONLY_FOR[other].includes(token.name));
  if (misplaced?.kind === "option")
    throw new UsageError(`${misplaced.rawName} is an option of swarm:${other}`);
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = decimal({ min: 1, max: 65_535, integer: true }).safeParse(values.port);
  if (!port.success) throw new UsageError(`--port: ${port.error.issues[0]?.message} (got ${values.port})`);
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(values.stack)) {
    throw new UsageError(`--stack: lower-case letters, digits and - (got ${values.stack})`);
  }
  if (!/^\w[\w.-]{0,127}$/.test(values.tag))
    throw new UsageError(`--tag: not an image tag (got ${values.tag})`);
  const { stack, tag, volumes } = values;
  return {
    stack,
    tag,
    volumes,
    port: port.data,
    passwordFile: values["password-file"],
    build: !values["no-build"],
  };
}

/** The password of --password-file: one line, which goes into Redis's configuration as one word. */
export async function readPassword(file: string): Promise<string> {
  const text = await readFile(file, "utf8").catch((error: Error) => {
    throw new Failure(`cannot read --password-file: ${error.message}`);
  });
  const password = text.replace(/\r?\n$/, "");
  if (!/^[\w.~+/=-]{16,}$/.test(password)) {
    throw new Failure(`${file}: a password of at least 16 letters, digits or . ~ + / = - _, on one line`);
  }
  return password;
}

/**
 * Every relative link, link from the repository's root (/shared/README.md) and #anchor in the
 * repository's Markdown points to a file and heading that exist (remark-validate-links, offline:
 * web addresses are not fetched).
 */
import { globSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { remark } from "remark";
import { type Context, engine } from "unified-engine";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/workspace.ts";

const FILES = globSync("**/*.md", {
  cwd: ROOT,
  exclude: ["**/node_modules/**", "**/dist/**", "test-results/**"],
}).sort();

/** Checks every file at once, so that links to headings in other files are checked too. */
function checkLinks(files: string[]): Promise<Context["files"]> {
  return new Promise((resolve, reject) => {
    engine(
      {
        processor: remark(),
        files: files.map((file) => path.join(ROOT, file)),
        cwd: ROOT,
        // By name, as remark's CLI loads it: the engine then lets it read the headings of other files.
        plugins: {
          "remark-validate-links": {
            repository: false,
            root: ROOT,
            // Links from the repository's root, as GitHub reads them (/shared/README.md): the plugin
            // checks them only as addresses of a hosted repository, so it is given one to resolve
            // against ROOT. No such address appears in the Markdown.
            urlConfig: {
              hostname: "repository.invalid",
              prefix: "/blob/",
              headingPrefix: "#",
              resolveAbsolutePathsInRepo: true,
            },
          },
        },
        out: false,
        quiet: true,
        // The tests below report, file by file.
        streamError: new PassThrough().resume(),
      },
      (error, _code, context) => (error ? reject(error) : resolve(context?.files ?? [])),
    );
  });
}

describe("links in Markdown", () => {
  let broken = new Map<string, string[]>();
  beforeAll(async () => {
    const checked = await checkLinks(FILES);
    broken = new Map(
      checked.map((file) => [
        path.relative(ROOT, file.path),
        file.messages.map(
          (message) => `${path.relative(ROOT, file.path)}:${message.line}: ${message.reason}`,
        ),
      ]),
    );
  });

  it("finds the Markdown files of the repository", () => {
    expect(FILES).toContain("README.md");
    expect(FILES).toContain("docs/slides.md");
  });

  it.each(FILES)("%s links only to files and headings that exist", (file) => {
    expect(broken.get(file)).toEqual([]);
  });
});

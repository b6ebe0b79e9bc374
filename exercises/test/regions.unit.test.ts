import { describe, expect, it } from "vitest";
import { parseRegions, RegionError, replaceRegions, starterRegion, withSolution } from "../regions.ts";

// Markers are written as strings joined into files, so that this test file holds no region itself.
const lines = (...text: string[]) => text.join("\n");
const exercise = {
  id: "lab02.gps-state",
  title: "GET /gps_state",
  hints: ["Read the key.", "GET it."],
};

const typescript = lines(
  "export function state(): string {",
  "  const a = 1;",
  "  // #region solution lab02.gps-state",
  "  const b = a + 1;",
  "  return String(b);",
  "  // #endregion",
  "}",
);

describe("parseRegions", () => {
  it("finds a TypeScript region: its id, kind, indentation, marker lines and body", () => {
    expect(parseRegions(typescript, "app.ts")).toEqual([
      {
        id: "lab02.gps-state",
        kind: "solution",
        comment: "//",
        indent: "  ",
        start: 3,
        end: 6,
        body: ["  const b = a + 1;", "  return String(b);"],
      },
    ]);
  });

  it("finds # regions in YAML, exercise regions, and several regions in one file", () => {
    const yaml = lines(
      "services:",
      "  # #region solution lab01.reader-volume",
      "  reader: {}",
      "  # #endregion",
      "# #region exercise lab01.other",
      "# #endregion",
    );
    const regions = parseRegions(yaml, "compose.yml");
    expect(
      regions.map(({ id, kind, comment, indent, start, end }) => ({ id, kind, comment, indent, start, end })),
    ).toEqual([
      { id: "lab01.reader-volume", kind: "solution", comment: "#", indent: "  ", start: 2, end: 4 },
      { id: "lab01.other", kind: "exercise", comment: "#", indent: "", start: 5, end: 6 },
    ]);
    expect(regions[1]?.body).toEqual([]);
  });

  it("finds nothing in a file without markers", () => {
    expect(parseRegions("const a = 1;\n// a comment about regions\n", "a.ts")).toEqual([]);
  });

  it("refuses a region inside another, naming both and where", () => {
    const nested = lines(
      "// #region solution lab01.a",
      "// #region solution lab01.b",
      "// #endregion",
      "// #endregion",
    );
    expect(() => parseRegions(nested, "x.ts")).toThrow(
      new RegionError("x.ts:2: region lab01.b opens inside region lab01.a (line 1); regions cannot nest"),
    );
  });

  it("refuses a region that is never closed", () => {
    expect(() => parseRegions(lines("a", "  // #region solution lab01.a", "b"), "x.ts")).toThrow(
      "x.ts:2: region lab01.a is never closed with #endregion",
    );
  });

  it("refuses an #endregion with no region open", () => {
    expect(() => parseRegions(lines("# #endregion"), "x.yml")).toThrow(
      "x.yml:1: #endregion with no #region open before it",
    );
  });

  it("refuses a marker it cannot read rather than leave a solution in the starter", () => {
    for (const marker of [
      "// #region solution",
      "//#region solution lab01.a",
      "// #region solutions lab01.a",
      "// #region solution Lab01.a",
    ]) {
      expect(() => parseRegions(marker, "x.ts")).toThrow(`x.ts:1: "${marker}" is not a region marker`);
    }
  });
});

describe("starterRegion", () => {
  it("turns a TypeScript region into exercise markers, the first hint and a throw, indented alike", () => {
    const [region] = parseRegions(typescript, "app.ts");
    expect(region && starterRegion(region, exercise, "labs/02-rest/src/api/app.ts")).toEqual([
      "  // #region exercise lab02.gps-state",
      "  // Hint: Read the key.",
      '  throw new Error("TODO(lab02.gps-state): GET /gps_state — see npm run exercises -- hint lab02.gps-state");',
      "  // #endregion",
    ]);
  });

  it("lays a throw too long for one line out as the formatter does, over three", () => {
    const [region] = parseRegions(
      lines("      // #region solution lab02.gps-state", "      // #endregion"),
      "app.ts",
    );
    const long = { ...exercise, title: "GET /gps_state: 503 problem JSON when there is no state yet" };
    expect(region && starterRegion(region, long, "app.ts")).toEqual([
      "      // #region exercise lab02.gps-state",
      "      // Hint: Read the key.",
      "      throw new Error(",
      '        "TODO(lab02.gps-state): GET /gps_state: 503 problem JSON when there is no state yet — see npm run exercises -- hint lab02.gps-state",',
      "      );",
      "      // #endregion",
    ]);
  });

  it("quotes a title holding double quotes with single quotes, as the formatter does", () => {
    const [region] = parseRegions(lines("// #region solution lab02.t", "// #endregion"), "a.ts");
    const quoted = { id: "lab02.t", title: 'FAILED "interrupted"', hints: ["h"] };
    expect(region && starterRegion(region, quoted, "a.ts")[2]).toBe(
      `throw new Error('TODO(lab02.t): FAILED "interrupted" — see npm run exercises -- hint lab02.t');`,
    );
  });

  it("turns a YAML region into the hint alone, as a comment", () => {
    const [region] = parseRegions(
      lines("    # #region solution lab02.gps-state", "    networks: [backend]", "    # #endregion"),
      "c.yml",
    );
    expect(region && starterRegion(region, exercise, "docker-compose-rest.yml")).toEqual([
      "    # #region exercise lab02.gps-state",
      "    # Hint: Read the key.",
      "    # #endregion",
    ]);
  });
});

describe("replaceRegions and withSolution", () => {
  it("replaces the regions it is given lines for and keeps every other line", () => {
    const text = lines(
      "a",
      "// #region solution lab01.a",
      "x",
      "// #endregion",
      "b",
      "// #region solution lab01.b",
      "y",
      "// #endregion",
      "c",
    );
    const replaced = replaceRegions(text, "f.ts", (region) =>
      region.id === "lab01.b" ? ["B1", "B2"] : undefined,
    );
    expect(replaced).toBe(
      lines("a", "// #region solution lab01.a", "x", "// #endregion", "b", "B1", "B2", "c"),
    );
  });

  it("puts the solution's regions of one exercise back into a student's file, in order", () => {
    const solution = lines(
      "// #region solution lab01.a",
      "one",
      "// #endregion",
      "mid",
      "// #region solution lab01.a",
      "two",
      "// #endregion",
    );
    const student = lines(
      "// #region exercise lab01.a",
      "stub",
      "// #endregion",
      "mid",
      "// #region exercise lab01.a",
      "stub",
      "// #endregion",
    );
    expect(withSolution(student, solution, "f.ts", "lab01.a")).toBe(solution);
  });
});

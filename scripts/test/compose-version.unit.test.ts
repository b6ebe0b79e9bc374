import { describe, expect, it } from "vitest";
import { composeVersionProblem } from "../compose-version.ts";

// What `docker compose version --short` prints: Compose releases, Docker Desktop's and Debian's builds.
describe("the Compose version check of npm start", () => {
  it.each(["2.24.0", "2.26.1", "2.26.1-4\n", "v2.40.3", "2.24.0-desktop.1", "5.0.0", "5.7.2"])(
    "accepts Compose %j",
    (printed) => {
      expect(composeVersionProblem(printed)).toBeUndefined();
    },
  );

  it.each([
    [
      "1.29.2",
      "Docker Compose 1.29.2 is too old: Compose 2.24 or later (Docker Desktop ships 5.x) is needed",
    ],
    [
      "2.23.3",
      "Docker Compose 2.23.3 is too old: Compose 2.24 or later (Docker Desktop ships 5.x) is needed",
    ],
    [
      "v2.23.3-desktop.2",
      "Docker Compose 2.23.3-desktop.2 is too old: Compose 2.24 or later (Docker Desktop ships 5.x) is needed",
    ],
  ])("rejects Compose %j, naming the version found and the version needed", (printed, problem) => {
    expect(composeVersionProblem(printed)).toBe(problem);
  });

  it.each(["", "garbage", "5", "2.24", "docker: 'compose' is not a docker command."])(
    "says it cannot read %j as a version",
    (printed) => {
      expect(composeVersionProblem(printed)).toBe(
        `could not read the Compose version in "${printed}": Compose 2.24 or later (Docker Desktop ships 5.x) is needed`,
      );
    },
  );
});

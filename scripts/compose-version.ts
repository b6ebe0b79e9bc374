import semver from "semver";

/** The workshop's compose files need 2.24: the socat overrides use its `!reset` tag. */
export const COMPOSE_NEEDED = "Compose 2.24 or later (Docker Desktop ships 5.x)";
const MINIMUM = "2.24.0";

/**
 * Reads what `docker compose version --short` printed ("2.26.1", "v2.40.3", "2.24.0-desktop.1",
 * "5.0.0") and says, in one line, why that Compose cannot run the workshop; undefined when it can.
 * Compose went from 2.x to 5.x in December 2025: any version from 2.24 on will do.
 */
export function composeVersionProblem(printed: string): string | undefined {
  const version = semver.parse(printed.trim());
  if (!version)
    return `could not read the Compose version in "${printed.trim()}": ${COMPOSE_NEEDED} is needed`;
  // "2.24.0-desktop.1" is Docker Desktop's build of 2.24.0, not a pre-release of it.
  const release = `${version.major}.${version.minor}.${version.patch}`;
  if (semver.lt(release, MINIMUM))
    return `Docker Compose ${version.version} is too old: ${COMPOSE_NEEDED} is needed`;
  return undefined;
}

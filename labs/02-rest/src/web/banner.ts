import { formatTimeOfDay } from "@gps-workshop/shared/ui";
import type { ApiError } from "./api-client.ts";

/** The status line at the top of the page (the shared @status-banner partial). */
export interface Banner {
  tone: "ok" | "warning" | "error";
  message: string;
}

export function waitingBanner(period: number): Banner {
  return { tone: "warning", message: `Asking the API for the state every ${period} s…` };
}

export function answeredBanner(period: number, nowMs: number): Banner {
  return {
    tone: "ok",
    message: `Last answer from the API at ${formatTimeOfDay(nowMs / 1000)} UTC; asking again every ${period} s.`,
  };
}

/**
 * What the page says when a poll fails. A 503 is a warning: the API works, but has nothing to give
 * yet (no state written, Redis down). Anything else is an error. The page keeps polling, and the
 * next answer puts things right.
 */
export function failedBanner(error: ApiError, period: number): Banner {
  const again = `Trying again in ${period} s.`;
  if (error.kind === "problem" && error.status === 503) {
    return {
      tone: "warning",
      message: `The API cannot give the state right now (503: ${error.message}). ${again}`,
    };
  }
  const prefix = error.kind === "problem" ? `The API answered with an error (${error.status}): ` : "";
  return { tone: "error", message: `${prefix}${capitalize(error.message)}. ${again}` };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

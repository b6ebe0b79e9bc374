import { eventually } from "./api-eventually.ts";
import type { RunningApi } from "./api-server.ts";

/**
 * What a check says when the API's answer is not the expected one: the answer, and what the API
 * logged (an unexpected error, such as an exercise's TODO, is logged there with its stack).
 */
export async function why(response: Response, api: RunningApi): Promise<string> {
  const body = await response.clone().text();
  return `the API answered ${response.status} ${body}\nand logged:\n${api.logs.join("\n") || "nothing"}`;
}

/**
 * Waits until `condition` passes, as `eventually` does, while the request `pending` should still be
 * waiting for the end of its window: if the API answers it meanwhile, fails at once saying why.
 */
export async function whilePending<T>(
  pending: Promise<Response>,
  api: RunningApi,
  condition: () => T | Promise<T>,
): Promise<T> {
  const answered = pending.then(async (response) => {
    throw new Error(`the request was answered before the end of its window: ${await why(response, api)}`);
  });
  answered.catch(() => {}); // once the condition has passed, the answer at the window's end is no error
  return Promise.race([eventually(condition), answered]);
}

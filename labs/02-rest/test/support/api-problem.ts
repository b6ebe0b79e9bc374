import { expect } from "vitest";

/**
 * Checks that a response is an RFC 9457 problem with this status, and returns its body. When
 * `param` is given, checks that it is a 400 naming that parameter.
 */
export async function expectProblem(
  response: Response,
  status: number,
  param?: string,
): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  expect(body.detail).toEqual(expect.any(String));
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at /); // no stack trace
  if (param) {
    expect(body.detail).toContain(param);
    expect(body.invalid_params).toEqual([{ name: param, reason: expect.any(String) }]);
  }
  return body;
}

import { z } from "zod";
import { ManualClock } from "../clock";
import { randomHex } from "../ids";
import { deleteKeysWithPrefix as deleteKeys } from "../jobs/delete-keys";
import { type Sim, type SimOptions, startSim } from "../start-sim";

/**
 * Helpers for tests that run against the simulator: a sim on a random port with a manual
 * clock, unique names so tests run in parallel, Redis cleanup, and a small Platform API
 * client that returns status, headers and body without throwing.
 */

export const testRedisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A unique, Heroku-valid name (3-30 of a-z, 0-9, -). */
export function uniqueName(prefix = "sim"): string {
  return `${prefix}-${randomHex(5)}`;
}

export interface TestSim {
  sim: Sim;
  clock: ManualClock;
  close(): Promise<void>;
}

/** A simulator with a ManualClock: nothing happens until the test advances time. */
export async function startTestSim(options: Omit<SimOptions, "clock"> = {}): Promise<TestSim> {
  const clock = new ManualClock();
  const sim = await startSim({ ...options, clock });
  return { sim, clock, close: () => sim.close() };
}

/** Deletes every key starting with `prefix` (a test's namespace). */
export function deleteKeysWithPrefix(prefix: string, redisUrl = testRedisUrl): Promise<void> {
  return deleteKeys(prefix, redisUrl);
}

export interface ApiResult {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Calls the simulated Platform API the way a v3 client does. */
export async function callApi(
  baseUrl: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResult> {
  const headers: Record<string, string> = { Accept: "application/vnd.heroku+json; version=3" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const clientErrorSchema = z.object({ statusCode: z.number(), body: z.unknown() });

/**
 * The status and Heroku error body a heroku-client call failed with (heroku-client rejects
 * with an Error carrying both); throws if the call succeeded.
 */
export async function herokuClientError(call: Promise<unknown>): Promise<{ status: number; id: string; message: string }> {
  try {
    await call;
  } catch (error) {
    const parsed = clientErrorSchema.safeParse(error);
    if (!parsed.success) throw error;
    const body = z.object({ id: z.string(), message: z.string() }).parse(parsed.data.body);
    return { status: parsed.data.statusCode, id: body.id, message: body.message };
  }
  throw new Error("expected the Heroku API call to fail");
}

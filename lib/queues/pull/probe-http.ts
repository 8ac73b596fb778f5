import { ProbeError } from "@/lib/queues/errors";
import { PULL_MAX_BYTES, PULL_TIMEOUT_MS } from "@/lib/queues/limits";
import { parseEbbflowReport, parseHirefire } from "@/lib/queues/pull/parse-response";
import { safeGet } from "@/lib/queues/pull/safe-get";
import { httpSourceOptionsSchema, type HttpSourceOptions } from "@/lib/queues/schema";
import type { BackendReading } from "@/lib/queues/summarize";

/**
 * Pull: read the queue numbers from an HTTP endpoint in the tenant's app, either HireFire's
 * worker info (`/hirefire/<token>/info`, so apps already running a HireFire agent work
 * unchanged) or Ebbflow's report JSON.
 */
export async function probeHttp(url: string, options: Partial<HttpSourceOptions> = {}): Promise<BackendReading> {
  const settings = httpSourceOptionsSchema.parse(options);
  const headers: Record<string, string> = settings.token ? { "HireFire-Token": settings.token } : {};
  const { status, body } = await safeGet(url, {
    headers,
    timeoutMs: PULL_TIMEOUT_MS,
    maxBytes: PULL_MAX_BYTES,
  });
  if (status === 401 || status === 403 || status === 404) {
    throw new ProbeError(
      status === 404 ? "bad_response" : "auth_failed",
      `The endpoint answered ${status}. Check the URL${settings.format === "hirefire" ? " (it contains your HIREFIRE_TOKEN)" : ""} and the token.`,
    );
  }
  if (status < 200 || status >= 300) {
    throw new ProbeError("bad_response", `The endpoint answered ${status} instead of 200.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ProbeError("unparseable", "The endpoint's answer is not JSON.");
  }
  const reading = settings.format === "hirefire" ? parseHirefire(json, settings) : parseEbbflowReport(json);
  return { ...reading, roundTrips: 1 };
}

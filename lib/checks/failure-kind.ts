import type { CheckResult, ScaleEventRow } from "@/lib/checks/run-check";
import { statusOf } from "@/lib/heroku/platform";
import { TokenUnavailableError } from "@/lib/heroku/tokens";
import { checksTotal, errorsTotal } from "@/lib/metrics";
import { ProbeError, type ProbeErrorKind } from "@/lib/queues/errors";

/**
 * Why a check failed, in a small fixed set an operator can act on. Every check that ends as
 * `error` counts exactly one kind (its first failure) in ebbflow_errors_total, so the kinds of
 * a period add up to its failed checks: a failure nobody can explain is a bug, not noise.
 *
 * - probe_*: reading the customer's queue store failed (unreachable, timeout, auth refused,
 *   set up wrong, answered something Ebbflow cannot read);
 * - agent_silent: a push source's agent has not reported within two intervals;
 * - heroku_4xx / heroku_5xx / heroku_unreachable: the Platform API refused, broke, or did not
 *   answer (after retries);
 * - rate_limited: the account's Heroku rate limit is used up (429, or Ebbflow's own bucket);
 * - heroku_release: Heroku refused a formation change during a release (409);
 * - token: the scaling token could not be read or refreshed (not: no token at all, which is
 *   "not authorized" and not a failure);
 * - invalid_rules: saved rules no longer parse;
 * - internal: anything else (Ebbflow's own Redis or Postgres, a bug).
 */
export const checkFailureKinds = [
  "probe_unreachable",
  "probe_timeout",
  "probe_auth",
  "probe_config",
  "probe_bad_answer",
  "agent_silent",
  "heroku_4xx",
  "heroku_5xx",
  "heroku_unreachable",
  "rate_limited",
  "heroku_release",
  "token",
  "invalid_rules",
  "internal",
] as const;

export type CheckFailureKind = (typeof checkFailureKinds)[number];

const probeKinds: Record<ProbeErrorKind, CheckFailureKind> = {
  unreachable: "probe_unreachable",
  address_refused: "probe_unreachable",
  timeout: "probe_timeout",
  auth_failed: "probe_auth",
  invalid_config: "probe_config",
  wrong_type: "probe_config",
  table_missing: "probe_config",
  unparseable: "probe_bad_answer",
  bad_response: "probe_bad_answer",
};

/** A token that exists but could not be used: unsealing or a transient refresh failure. */
export class TokenFailure extends Error {
  constructor(cause: unknown) {
    super(`The scaling token could not be read or refreshed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "TokenFailure";
  }
}

/** The kind of anything a check's steps threw or returned as a failure. */
export function failureKindOf(error: unknown): CheckFailureKind {
  if (error instanceof ProbeError) return probeKinds[error.kind];
  if (error instanceof TokenFailure || error instanceof TokenUnavailableError) return "token";
  const status = statusOf(error);
  if (status === 429) return "rate_limited";
  if (status === 409) return "heroku_release";
  if (status !== undefined && status >= 500) return "heroku_5xx";
  if (status !== undefined && status >= 400) return "heroku_4xx";
  return "internal";
}

/** The kind of a Platform API call that ended without a status: network, or a 2xx Ebbflow could not read. */
export function herokuStatusKind(status: number | null): CheckFailureKind {
  if (status === null) return "heroku_unreachable";
  if (status === 429) return "rate_limited";
  if (status === 409) return "heroku_release";
  return status >= 500 ? "heroku_5xx" : status >= 400 ? "heroku_4xx" : "internal";
}

/** Counts one finished check: ok, or error with its first failure's kind. */
export function countCheck(failures: readonly CheckFailureKind[]): void {
  const [first] = failures;
  checksTotal.inc({ outcome: first === undefined ? "ok" : "error" });
  if (first !== undefined) errorsTotal.inc({ kind: first });
}

/**
 * A check's scale events, a failed one carrying the kind of the formation call that failed
 * (the dashboard's events list and the API show it next to the error text).
 */
export function withFailureKinds(result: CheckResult): Array<ScaleEventRow & { errorKind: CheckFailureKind | null }> {
  const formation = result.formation;
  const kind = formation && (formation.kind === "failed" || formation.kind === "deferred") ? formation.failure : null;
  return result.events.map((event) => ({ ...event, errorKind: event.error === null ? null : kind }));
}

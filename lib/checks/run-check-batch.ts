import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { readCheckStates, writeCheckStates, type CheckState } from "@/lib/checks/check-state";
import { getCheckContexts } from "@/lib/checks/context-cache";
import { countCheck, failureKindOf, withFailureKinds } from "@/lib/checks/failure-kind";
import type { ClaimedCheck } from "@/lib/checks/due-set";
import { recordLagSamples } from "@/lib/checks/lag-samples";
import { queueNotifications } from "@/lib/checks/queue-notifications";
import { runCheck, type CheckDeps, type CheckResult } from "@/lib/checks/run-check";
import { checksTotal, errorsTotal } from "@/lib/metrics";
import { log } from "@/lib/log";

/** Checks of one batch that run at once; the rest wait their turn. */
const PARALLEL_CHECKS = 25;

const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Runs a batch of claimed checks: contexts and states read in one go, each tenant under its
 * own short lock (a check that overruns its interval is never doubled), states and scale
 * events written in one go.
 */
export async function runCheckBatch(claims: ClaimedCheck[], deps: CheckDeps): Promise<CheckResult[]> {
  const ids = claims.map((claim) => claim.tenantId);
  const [contexts, states] = await Promise.all([getCheckContexts(ids), readCheckStates(deps.redis, ids)]);
  const results: CheckResult[] = [];
  const changed = new Map<string, CheckState>();

  let next = 0;
  const runNext = async (): Promise<void> => {
    while (next < claims.length) {
      const claim = claims[next++] as ClaimedCheck;
      const context = contexts.get(claim.tenantId);
      if (!context) {
        checksTotal.inc({ outcome: "skipped" });
        continue;
      }
      const lockKey = `ebbflow:check-lock:${claim.tenantId}`;
      const lockValue = randomUUID();
      // No longer than one interval: a worker that dies mid-check must not keep the tenant
      // from the next slot, which another worker takes.
      const lockMs = Math.max(3_000, context.checkIntervalSeconds * 1000);
      if ((await deps.redis.set(lockKey, lockValue, "PX", lockMs, "NX")) !== "OK") {
        checksTotal.inc({ outcome: "skipped" });
        log.warn({ tenantId: claim.tenantId }, "previous check still running; skipping this one");
        continue;
      }
      try {
        const result = await runCheck(context, states.get(claim.tenantId) ?? { history: {}, formation: null }, claim.dueAtMs, deps);
        results.push(result);
        changed.set(claim.tenantId, result.state);
      } catch (error) {
        const kind = failureKindOf(error);
        countCheck([kind]);
        log.error({ tenantId: claim.tenantId, kind, err: error }, "check failed");
      } finally {
        await deps.redis.eval(RELEASE_LOCK, 1, lockKey, lockValue);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CHECKS, claims.length) }, runNext));

  await recordLagSamples(deps.redis, claims, results);
  await writeCheckStates(deps.redis, changed);
  const events = results.flatMap(withFailureKinds);
  if (events.length > 0) await db.scaleEvent.createMany({ data: events });
  const now = new Date();
  for (const result of results) {
    try {
      await queueNotifications(deps.redis, result, now);
    } catch (error) {
      // A notice that could not be queued must not fail the checks it reports on.
      errorsTotal.inc({ kind: "notify" });
      log.warn({ tenantId: result.tenantId, err: error }, "could not queue notifications");
    }
  }
  return results;
}

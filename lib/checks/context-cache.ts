import { loadCheckContexts, type CheckContext } from "@/lib/checks/check-context";

/**
 * Check contexts change when a customer edits rules or sources, rarely next to how often
 * checks run (10 000 tenants at 10 s is 1 000 checks a second). Each worker keeps them this
 * long, so an edit reaches the engine within CONTEXT_TTL_MS.
 */
export const CONTEXT_TTL_MS = 15_000;

const cache = new Map<string, { context: CheckContext | null; expiresAtMs: number }>();

export async function getCheckContexts(tenantIds: string[], nowMs: number = Date.now()): Promise<Map<string, CheckContext | null>> {
  const result = new Map<string, CheckContext | null>();
  const missing: string[] = [];
  for (const id of tenantIds) {
    const hit = cache.get(id);
    if (hit && hit.expiresAtMs > nowMs) result.set(id, hit.context);
    else missing.push(id);
  }
  if (missing.length > 0) {
    const loaded = await loadCheckContexts(missing);
    // Spread expiries so a batch loaded together is not reloaded together forever.
    for (const [id, context] of loaded) {
      cache.set(id, { context, expiresAtMs: nowMs + CONTEXT_TTL_MS * (0.75 + Math.random() * 0.5) });
      result.set(id, context);
    }
  }
  return result;
}

/** Forgets a tenant's cached context (this worker only), e.g. after its formation was refused. */
export function forgetCheckContext(tenantId: string): void {
  cache.delete(tenantId);
}

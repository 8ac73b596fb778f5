import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";

/** What the app's status says about a queue source whose sealed connection cannot be opened. */
export const UNREADABLE_SOURCE_PROBLEM =
  "its queue source cannot be decrypted (sealed with a key that is no longer in ENCRYPTION_KEY); enter the connection again in Sources";

/** Sealed values already reported by this process: a worker checks the same tenant every few seconds. */
const reported = new Set<string>();

/**
 * Says once that a tenant's queue source cannot be opened, typically because ENCRYPTION_KEY
 * changed without keeping the old key. The check marks the process type as a problem every
 * time (the app's status shows it); this writes one `source.unreadable` audit event per sealed
 * value, whichever worker gets there first, and one log line per process, without a stack trace.
 */
export async function reportUnreadableSource(tenantId: string, processType: string, configSealed: string, error: unknown): Promise<void> {
  const sealedDigest = createHash("sha256").update(configSealed).digest("hex").slice(0, 16);
  const key = `${tenantId}:${processType}:${sealedDigest}`;
  if (reported.has(key)) return;
  reported.add(key);
  log.warn({ tenantId, processType, reason: error instanceof Error ? error.message : String(error) }, "queue source cannot be decrypted; the process type holds until it is entered again");
  const details = JSON.stringify({ processType, sealedDigest, reason: UNREADABLE_SOURCE_PROBLEM });
  await db.$executeRaw`
    INSERT INTO audit_logs (tenant_id, actor, action, details)
    SELECT ${tenantId}::uuid, 'ebbflow', 'source.unreadable', ${details}::jsonb
     WHERE NOT EXISTS (
       SELECT 1 FROM audit_logs
        WHERE tenant_id = ${tenantId}::uuid AND action = 'source.unreadable' AND details->>'sealedDigest' = ${sealedDigest})`;
}

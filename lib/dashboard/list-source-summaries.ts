import { unseal } from "@/lib/crypto";
import { db } from "@/lib/db/client";
import { describeSource, type SourceSummary } from "@/lib/dashboard/describe-source";
import { queueSourceSchema } from "@/lib/queues/schema";

export interface SourceView {
  processType: string;
  mode: "probe" | "push";
  /** What may be shown of a probe's configuration; null for push, or when it cannot be read. */
  summary: SourceSummary | null;
  problem: string | null;
  /** Whether the customer let Ebbflow quiet dynos through a write URL (never shown). */
  quiet: boolean;
}

/** An app's queue sources as the dashboard may show them: hosts, never URLs. */
export async function listSourceSummaries(tenantId: string): Promise<{ sources: SourceView[]; hasAgentToken: boolean; channel: "heroku" | "direct" }> {
  const tenant = await db.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { channel: true, agentTokenHash: true, queueSources: { select: { processType: true, mode: true, configSealed: true, quietUrlSealed: true }, orderBy: { processType: "asc" } } },
  });
  const sources = tenant.queueSources.map((row): SourceView => ({ ...viewOf(row), quiet: row.quietUrlSealed !== null }));
  return { sources, hasAgentToken: tenant.agentTokenHash !== null, channel: tenant.channel };
}

function viewOf(row: { processType: string; mode: "probe" | "push"; configSealed: string | null }): Omit<SourceView, "quiet"> {
  {
    if (row.mode === "push" || !row.configSealed) return { processType: row.processType, mode: row.mode, summary: null, problem: null };
    try {
      const parsed = queueSourceSchema.safeParse(JSON.parse(unseal(row.configSealed)));
      if (parsed.success) return { processType: row.processType, mode: "probe", summary: describeSource(parsed.data), problem: null };
      return { processType: row.processType, mode: "probe", summary: null, problem: "The stored connection is not valid any more: enter it again." };
    } catch {
      return { processType: row.processType, mode: "probe", summary: null, problem: "The stored connection could not be opened: enter it again." };
    }
  }
}

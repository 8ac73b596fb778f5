import { NextResponse, type NextRequest } from "next/server";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { agentTokenFrom, hashAgentToken } from "@/lib/queues/agent-token";
import { reactToReport } from "@/lib/checks/react-to-report";
import { triggerCheckNow } from "@/lib/checks/trigger-check";
import { limitReportRate, pushReportSchema, storeReport } from "@/lib/queues/push";
import { readQuietInstructions, reportsDrainedDyno } from "@/lib/queues/push-quiet";
import { storeWebReport } from "@/lib/queues/web-reports";
import { webRedis } from "@/lib/redis/connection";

export const dynamic = "force-dynamic";

/** A report is a few queues; anything much larger is not a report. */
const MAX_REPORT_BYTES = 64 * 1024;

/**
 * POST /api/v1/reports: an agent in the tenant's app pushes its queue numbers.
 * Agent token → tenant (by the token's sha256) → rate limit → JSON → zod → store.
 * 401 without a valid token, 429 with Retry-After past the rate, 400 for malformed JSON,
 * 422 naming the field for a malformed report, 202 when stored (with the dynos to quiet and
 * whether the process type is at zero, for protocol 2 agents). A `web` object is kept per dyno for the web rule's window.
 */
export const POST = handle(async (request: NextRequest) => {
  const token = agentTokenFrom(request.headers.get("authorization"));
  if (!token) throw new AppError("unauthorized", "Send the agent token as `Authorization: Bearer <token>`.");
  const tenant = await db.tenant.findUnique({
    where: { agentTokenHash: hashAgentToken(token) },
    select: { id: true, state: true },
  });
  if (!tenant || tenant.state === "deprovisioned") throw new AppError("unauthorized", "Unknown agent token.");

  await limitReportRate(webRedis(), tenant.id);
  const report = await readJson(request, pushReportSchema, MAX_REPORT_BYTES);
  const result = await storeReport(webRedis(), tenant.id, report);
  if (report.web) await storeWebReport(webRedis(), tenant.id, report.process_type, report.dynos?.[0]?.name ?? null, report.web);
  const reaction = await reactToReport(webRedis(), tenant.id, report.process_type, result);
  const toQuiet = report.protocol >= 2 ? await readQuietInstructions(webRedis(), tenant.id, report.process_type) : [];
  // A dyno Ebbflow asked to quiet reports quiet and idle: check now, and the check drops it.
  let checkTriggered = reaction.checkTriggered;
  if (!checkTriggered && reportsDrainedDyno(report.dynos, toQuiet)) {
    await triggerCheckNow(tenant.id);
    checkTriggered = true;
  }
  // Protocol 2 agents get the dynos to quiet and whether the process type is at zero (they wake
  // Ebbflow on enqueue then; docs/AGENT_PROTOCOL.md); version 1 answers stay as they were.
  const instructions = report.protocol >= 2 ? { scaled_to_zero: reaction.scaledToZero, instructions: { quiet: toQuiet } } : {};
  return NextResponse.json(
    {
      received: true,
      process_type: report.process_type,
      total_depth: result.totalDepth,
      max_latency_ms: result.maxLatencyMs,
      check_triggered: checkTriggered,
      ...instructions,
    },
    { status: 202 },
  );
});

import { NextResponse, type NextRequest } from "next/server";
import { handle } from "@/lib/http/handle";
import { readJson } from "@/lib/http/read-json";
import { webRedis } from "@/lib/redis/connection";
import { limitRate } from "@/lib/redis/limit-rate";
import { requireTenant } from "@/lib/tenants/tenant-access";
import { TUNE_MAX_BODY_BYTES, tuneFromHistory, tuneRequestSchema } from "@/lib/tuning/tune-from-history";

export const dynamic = "force-dynamic";

/**
 * POST /apps/{id}/rules/tune: the cheapest rule that meets the wait target on the last 7 days of
 * samples. Each simulates up to 40 rules over days of history (about a second or two of CPU),
 * so an app gets 10 a minute (429 after); only a valid request counts.
 */
export const POST = handle<{ tenantId: string }>(async (request: NextRequest, { params }) => {
  const { tenant } = await requireTenant(params.tenantId);
  const body = await readJson(request, tuneRequestSchema, TUNE_MAX_BODY_BYTES);
  await limitRate(webRedis(), { key: `rule-tunes:${tenant.id}`, limit: 10, windowSeconds: 60, what: "tunings from history" });
  return NextResponse.json(await tuneFromHistory(tenant.id, body));
});

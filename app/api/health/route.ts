import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { checkHealth } from "@/lib/health/check-health";
import { handle } from "@/lib/http/handle";
import { webRedis } from "@/lib/redis/connection";

export const dynamic = "force-dynamic";

/** GET /api/health: 200 when Postgres and Redis both answer, 503 naming the part that did not. */
export const GET = handle(async () => {
  const report = await checkHealth({ pingDb: () => db.$queryRaw`SELECT 1`, redis: webRedis() });
  return NextResponse.json(report, {
    status: report.ok ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
});

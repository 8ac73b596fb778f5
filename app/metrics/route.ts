import { safeEqual } from "@/lib/crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { handle } from "@/lib/http/handle";
import { aggregatedMetrics } from "@/lib/metrics-publish";
import { webRedis } from "@/lib/redis/connection";

export const dynamic = "force-dynamic";

/**
 * GET /metrics: every worker's counters and histograms added up, in Prometheus's text format.
 * Scrapers send METRICS_TOKEN as a bearer token. In production without METRICS_TOKEN the
 * endpoint does not exist (404): queue names, tenant counts and error rates are not public.
 * Development and tests without a token leave it open.
 */
export const GET = handle(async (request) => {
  const { METRICS_TOKEN: expected, NODE_ENV } = env();
  if (!expected && NODE_ENV === "production") throw new AppError("not_found", "Not found");
  if (expected) {
    const given = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
    if (!safeEqual(given, expected)) throw new AppError("unauthorized", "Send the metrics token as a bearer token");
  }
  const { contentType, body } = await aggregatedMetrics(webRedis());
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});

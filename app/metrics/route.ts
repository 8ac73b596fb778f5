import { safeEqual } from "@/lib/crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { handle } from "@/lib/http/handle";
import { aggregatedMetrics } from "@/lib/metrics-publish";
import { webRedis } from "@/lib/redis/connection";

export const dynamic = "force-dynamic";

/**
 * GET /metrics: every worker's counters and histograms added up, in Prometheus's text format.
 * With METRICS_TOKEN set, scrapers must send it as a bearer token.
 */
export const GET = handle(async (request) => {
  const expected = env().METRICS_TOKEN;
  if (expected) {
    const given = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
    if (!safeEqual(given, expected)) throw new AppError("unauthorized", "Send the metrics token as a bearer token");
  }
  const { contentType, body } = await aggregatedMetrics(webRedis());
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});

import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { quantile, round } from "@/bench/lib/stats";
import { startWeb } from "@/bench/lib/start-web";
import { localEnv } from "@/scripts/local-env";

/**
 * The app overview's data at scale: one app with 30 days of 10 s samples for `worker`
 * (≈ 260 000 rows, inserted with generate_series) and a scale event every 20 minutes. Times the
 * chart query in-process for every range, then the JSON route and the page itself through
 * `next start`, and counts the bytes of chart data sent. Targets: p95 under 300 ms, chart data
 * under 200 KB. The bench tenant is deleted at the end (its rows go with it).
 */
const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "40" },
    port: { type: "string", default: "3220" },
    out: { type: "string", default: "bench/results/dashboard.json" },
  },
});
const requests = Number(values.requests);
const port = Number(values.port);
const baseUrl = `http://127.0.0.1:${port}`;
const databaseUrl = "postgresql://postgres@127.0.0.1:5432/ebbflow_test";
Object.assign(process.env, localEnv({ baseUrl, databaseUrl }));

const SAMPLE_SECONDS = 10;
const DAYS = 30;

async function seed(client: pg.Client, tenantId: string, userId: string): Promise<number> {
  await client.query(
    `INSERT INTO tenants (id, channel, app_name, plan, state, updated_at) VALUES ($1, 'direct', $2, 'standard', 'active', now())`,
    [tenantId, `bench-${tenantId.slice(0, 8)}`],
  );
  await client.query(`INSERT INTO users (id, email, updated_at) VALUES ($1, $2, now())`, [userId, `bench-${userId}@example.com`]);
  await client.query(`INSERT INTO memberships (id, tenant_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'owner')`, [tenantId, userId]);
  await client.query(
    `INSERT INTO process_rules (id, tenant_id, process_type, min_dynos, max_dynos, settings, updated_at)
     VALUES (gen_random_uuid(), $1, 'worker', 0, 10, '{"concurrencyPerDyno": 5}', now())`,
    [tenantId],
  );
  // A daily wave with noise: depth, latency and dynos that follow it.
  const inserted = await client.query(
    `INSERT INTO metric_samples (tenant_id, process_type, resolution, sampled_at, depth, latency_ms, busy, dynos)
     SELECT $1, 'worker', 'raw', now() - make_interval(secs => i * $2),
            greatest(0, (200 * sin(i / 1440.0) + random() * 40))::int,
            greatest(0, (8000 * sin(i / 1440.0) + random() * 1000))::int,
            (random() * 20)::int,
            greatest(0, least(10, (5 + 5 * sin(i / 1440.0))::int))
       FROM generate_series(0, $3) AS i`,
    [tenantId, SAMPLE_SECONDS, (DAYS * 86_400) / SAMPLE_SECONDS - 1],
  );
  await client.query(
    `INSERT INTO scale_events (tenant_id, process_type, occurred_at, from_quantity, to_quantity, reason, outcome)
     SELECT $1, 'worker', now() - make_interval(mins => i * 20), i % 5, (i + 1) % 5, 'bench', 'applied'
       FROM generate_series(0, $2) AS i`,
    [tenantId, (DAYS * 24 * 60) / 20 - 1],
  );
  await client.query("ANALYZE metric_samples");
  return inserted.rowCount ?? 0;
}

function stats(latencies: number[]) {
  return { p50: round(quantile(latencies, 0.5)), p95: round(quantile(latencies, 0.95)), max: round(Math.max(...latencies)) };
}

async function timeHttp(url: string, cookie: string): Promise<{ latencyMs: ReturnType<typeof stats>; bytes: number; status: number }> {
  const latencies: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < requests + 3; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    const body = await response.arrayBuffer();
    if (i >= 3) latencies.push(performance.now() - started); // the first few open pools
    bytes = body.byteLength;
    status = response.status;
  }
  return { latencyMs: stats(latencies), bytes, status };
}

async function main(): Promise<void> {
  const { chartRangeNames } = await import("@/lib/dashboard/chart-ranges");
  const { loadOverview } = await import("@/lib/dashboard/load-overview");
  const { loadChartSeries } = await import("@/lib/dashboard/load-chart-series");
  const { chartWindow } = await import("@/lib/dashboard/chart-ranges");
  const { encodeSession, sessionCookieName } = await import("@/lib/auth/session-token");
  const { disconnectDb } = await import("@/lib/db/client");
  const { disconnectWebRedis } = await import("@/lib/redis/connection");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const tenantId = randomUUID();
  const userId = randomUUID();
  try {
    const seedStarted = performance.now();
    const rows = await seed(client, tenantId, userId);
    console.log(`seeded ${rows} samples in ${round((performance.now() - seedStarted) / 1000)} s`);

    const query: Record<string, { p50: number; p95: number; max: number; points: number; jsonBytes: number }> = {};
    for (const range of chartRangeNames) {
      const latencies: number[] = [];
      let data = await loadOverview(tenantId, range);
      for (let i = 0; i < requests; i += 1) {
        const started = performance.now();
        data = await loadOverview(tenantId, range);
        latencies.push(performance.now() - started);
      }
      query[range] = { ...stats(latencies), points: data.charts[0]?.series.bucket.length ?? 0, jsonBytes: Buffer.byteLength(JSON.stringify(data)) };
    }

    // The roll-up itself, without the cache of complete buckets: what the first viewer of a range waits for.
    const uncached: Record<string, ReturnType<typeof stats>> = {};
    for (const range of ["7d", "30d"] as const) {
      const latencies: number[] = [];
      for (let i = 0; i < Math.min(requests, 20); i += 1) {
        const started = performance.now();
        await loadChartSeries(tenantId, ["worker"], chartWindow(range, Date.now()), null);
        latencies.push(performance.now() - started);
      }
      uncached[range] = stats(latencies);
    }

    const cookie = `${sessionCookieName()}=${await encodeSession({ sub: userId, email: `bench-${userId}@example.com`, via: "heroku" })}`;
    const web = await startWeb(port, { DATABASE_URL: databaseUrl });
    let route: Awaited<ReturnType<typeof timeHttp>>;
    let page: Awaited<ReturnType<typeof timeHttp>>;
    try {
      route = await timeHttp(`${baseUrl}/apps/${tenantId}/chart?range=30d`, cookie);
      page = await timeHttp(`${baseUrl}/apps/${tenantId}`, cookie);
    } finally {
      await web.stop();
    }

    const table = [
      ...Object.entries(query).map(([range, row]) => ({ what: `loadOverview ${range} (in process)`, ...row, status: 200 })),
      ...Object.entries(uncached).map(([range, row]) => ({ what: `roll-up ${range}, no cache`, ...row, points: query[range]?.points ?? 0, jsonBytes: 0, status: 200 })),
      { what: "GET /apps/{id}/chart?range=30d", ...route.latencyMs, points: query["30d"]?.points ?? 0, jsonBytes: route.bytes, status: route.status },
      { what: "GET /apps/{id} (page, 6h)", ...page.latencyMs, points: query["6h"]?.points ?? 0, jsonBytes: page.bytes, status: page.status },
    ];
    console.table(table);
    const worstP95 = Math.max(...table.map((row) => row.p95));
    const chartBytes = route.bytes;
    const result = {
      samples: rows,
      sampleSeconds: SAMPLE_SECONDS,
      days: DAYS,
      requests,
      query,
      rollUpWithoutCache: uncached,
      chartRoute30d: { latencyMs: route.latencyMs, bytes: route.bytes, status: route.status },
      page6h: { latencyMs: page.latencyMs, htmlBytes: page.bytes, status: page.status },
      targets: { p95Ms: 300, chartBytes: 200 * 1024 },
      met: worstP95 < 300 && chartBytes < 200 * 1024 && route.status === 200 && page.status === 200,
    };
    console.log(result.met ? `every p95 under 300 ms (worst ${worstP95} ms); 30-day chart data ${chartBytes} bytes` : `TARGET MISSED: worst p95 ${worstP95} ms, chart data ${chartBytes} bytes`);
    await mkdir(path.dirname(path.resolve(values.out)), { recursive: true });
    await writeFile(path.resolve(values.out), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await client.query("DELETE FROM tenants WHERE id = $1", [tenantId]);
    await client.query("DELETE FROM users WHERE id = $1", [userId]);
    await client.end();
    await disconnectDb();
    await disconnectWebRedis();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

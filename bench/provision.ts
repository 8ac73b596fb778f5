import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { quantile, round } from "@/bench/lib/stats";
import { startWeb } from "@/bench/lib/start-web";
import { LOCAL_SECRETS } from "@/scripts/local-env";

/**
 * Provision latency under concurrency: rounds of N simultaneous `POST /heroku/resources`
 * against the production build, as Heroku would send them. Target: p99 under 200 ms at 50.
 */
const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "50" },
    rounds: { type: "string", default: "20" },
    port: { type: "string", default: "3210" },
    out: { type: "string", default: "bench/results/provision.json" },
  },
});
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const auth = `Basic ${Buffer.from(`${LOCAL_SECRETS.HEROKU_ADDON_ID}:${LOCAL_SECRETS.HEROKU_ADDON_PASSWORD}`).toString("base64")}`;

async function provisionOnce(baseUrl: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/heroku/resources`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify({ uuid: randomUUID(), plan: "standard", region: "amazon-web-services::us-east-1", name: "bench", options: {} }),
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

async function main(): Promise<void> {
  const web = await startWeb(Number(values.port));
  try {
    // Warm up every web process (each loads its route modules and opens its pools on its
    // first requests): a few untimed rounds at the measured concurrency.
    for (let round = 0; round < 5; round += 1) {
      await Promise.all(Array.from({ length: concurrency }, () => provisionOnce(web.baseUrl)));
    }
    const latencies: number[] = [];
    let failures = 0;
    const started = performance.now();
    for (let round = 0; round < rounds; round += 1) {
      const results = await Promise.all(Array.from({ length: concurrency }, () => provisionOnce(web.baseUrl)));
      for (const result of results) {
        latencies.push(result.ms);
        if (result.status !== 200) failures += 1;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const result = {
      concurrency,
      requests: latencies.length,
      failures,
      requestsPerSecond: round(latencies.length / seconds),
      latencyMs: { p50: round(quantile(latencies, 0.5)), p95: round(quantile(latencies, 0.95)), p99: round(quantile(latencies, 0.99)), max: round(Math.max(...latencies)) },
      targetP99Ms: 200,
    };
    console.table([{ concurrency, requests: result.requests, failures, "req/s": result.requestsPerSecond, ...result.latencyMs }]);
    console.log(result.latencyMs.p99 < 200 ? "p99 under the 200 ms target" : "p99 ABOVE the 200 ms target");
    await mkdir(path.dirname(path.resolve(values.out)), { recursive: true });
    await writeFile(path.resolve(values.out), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await web.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

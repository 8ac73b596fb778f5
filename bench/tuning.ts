/**
 * Times "Tune from history" on the largest history it reads: 7 days of 10 s checks of a
 * bursty workload, estimated and simulated across every candidate at each step size.
 * `npm run bench:tuning`.
 */
import { processRuleSchema } from "@/lib/scaling/rules";
import { proposeRule } from "@/lib/tuning/propose";
import { buildWorkload, estimateArrivals, estimateJobSeconds, type HistoryRow } from "@/lib/tuning/workload";

const checkSeconds = 10;
const days = 7;
const startMs = Date.UTC(2025, 0, 6);
const rows: HistoryRow[] = [];
let depth = 0;
let busy = 0;
const jobSeconds = 20;
const slots = 10;
for (let i = 0; i < (days * 86_400) / checkSeconds; i += 1) {
  const t = i * checkSeconds;
  const hour = (t / 3600) % 24;
  // Office hours carry 0.8 jobs/s, nights 0.05, and a burst of 300 jobs every hour on the hour.
  const rate = hour >= 8 && hour < 18 ? 0.8 : 0.05;
  const burst = t % 3600 === 0 ? 300 : 0;
  const arrived = rate * checkSeconds + burst;
  const done = (busy * checkSeconds) / jobSeconds;
  const n = Math.max(0, depth + busy + arrived - done);
  busy = Math.min(slots, n);
  depth = n - busy;
  rows.push({ atMs: startMs + t * 1000, resolution: "raw", depth: Math.round(depth), busy: Math.round(busy), dynos: 2 });
}
const rule = processRuleSchema.parse({ processType: "worker", maxQuantity: 10, concurrencyPerDyno: 5, jobSeconds });
for (const stepSeconds of [10, 30, 60]) {
  const began = performance.now();
  const job = estimateJobSeconds(rows, checkSeconds);
  const segments = estimateArrivals(rows, { checkIntervalSeconds: checkSeconds, jobSeconds, concurrencyPerDyno: 5 });
  const workload = buildWorkload(segments, { stepSeconds, jobSeconds, initialDynos: 2 });
  const estimatedMs = performance.now() - began;
  const proposal = proposeRule(rule, workload);
  const totalMs = performance.now() - began;
  console.log(
    `${rows.length} samples, ${stepSeconds} s steps (${workload.arrivals.length} steps × ${proposal.candidates} candidates): estimate ${estimatedMs.toFixed(0)} ms, total ${totalMs.toFixed(0)} ms;` +
      ` job time ${job.seconds.toFixed(1)} s (${job.source}); current $${proposal.current.monthlyDollars.toFixed(2)} p95 ${proposal.current.p95WaitSeconds.toFixed(0)} s;` +
      ` proposed $${proposal.proposed.monthlyDollars.toFixed(2)} p95 ${proposal.proposed.p95WaitSeconds.toFixed(0)} s (target ${proposal.waitTargetSeconds} s, met: ${proposal.meetsTarget})`,
  );
}

import { decide, emptyHistory } from "@/lib/scaling/decide";
import { recordDecision } from "@/lib/scaling/history";
import type { ProcessRule } from "@/lib/scaling/rules";
import type { ProcessHistory } from "@/lib/scaling/types";
import type { Workload } from "@/lib/tuning/workload";

/** What one rule would have cost and how long its jobs would have waited, over a workload. */
export interface SimulationResult {
  /** Dyno-seconds billed: every dyno from its start (boot included) to its stop. */
  dynoSeconds: number;
  /** Seconds of history simulated (gaps left out). */
  coveredSeconds: number;
  /** The p95 of every job's wait between arriving and a dyno taking it, in seconds. */
  p95WaitSeconds: number;
  /** Jobs simulated (fractional: a fluid model). */
  jobs: number;
  maxDynos: number;
  formationChanges: number;
}

interface Cohort {
  atMs: number;
  jobs: number;
}

/** Jobs waited `seconds` each, `weight` of them. */
interface WaitRecord {
  seconds: number;
  weight: number;
}

/** The weighted `q` quantile of waits (0 when no job arrived). */
export function weightedQuantile(records: readonly WaitRecord[], q: number): number {
  const total = records.reduce((sum, r) => sum + r.weight, 0);
  if (total <= 0) return 0;
  const sorted = [...records].sort((a, b) => a.seconds - b.seconds);
  let seen = 0;
  for (const record of sorted) {
    seen += record.weight;
    if (seen >= q * total - 1e-9) return record.seconds;
  }
  return sorted[sorted.length - 1]?.seconds ?? 0;
}

/**
 * Runs `rule` over a workload with the production `decide`, one decision a step (the engine
 * sees the step as its check interval), applying every decision at once as the scheduler does.
 * A time-step fluid model of the queue:
 *
 * - A dyno the engine adds starts serving `bootSeconds` later and is billed from its start; a
 *   dyno it removes is the newest one (Heroku stops the highest-numbered first), billed to then.
 * - Each ready dyno has `concurrencyPerDyno` slots; a job holds a slot for `jobSeconds`.
 * - In a step, the slots free at its start take the oldest waiting jobs at once; slots freed by
 *   jobs finishing during it (and by dynos that finish booting) take more, spread over the step.
 * - Jobs wait in FIFO order; a job's wait is from its arrival (the middle of its step) until a
 *   slot takes it. Jobs still waiting when history ends count with their wait so far.
 * - The engine reads what it would have read: the waiting jobs, the oldest one's age, the
 *   running jobs. Jobs on a dyno stopped while busy are counted as done (busy-aware downscale,
 *   the default, stops none).
 */
export function simulateRule(rule: ProcessRule, workload: Workload): SimulationResult {
  const S = workload.stepSeconds;
  const stepMs = S * 1000;
  const J = Math.max(0.1, workload.jobSeconds);
  const conc = rule.concurrencyPerDyno;
  const simulated: ProcessRule = { ...rule, queues: [], paused: false, dryRun: false };
  const rules = { checkIntervalSeconds: S, processTypes: [simulated] };
  const processType = simulated.processType;

  const firstMs = workload.stepStartMs[0] ?? 0;
  const initial = Math.min(Math.max(workload.initialDynos, rule.minQuantity), rule.maxQuantity);
  let history: ProcessHistory = emptyHistory(initial);
  // When each dyno starts serving, oldest first.
  const readyAt: number[] = Array.from({ length: initial }, () => firstMs);
  const queue: Cohort[] = [];
  let head = 0;
  let queued = 0;
  let busy = 0;
  let dynoSeconds = 0;
  let jobs = 0;
  let maxDynos = initial;
  let changes = 0;
  const waits: WaitRecord[] = [];
  let previousMs = firstMs - stepMs;

  for (let k = 0; k < workload.stepStartMs.length; k += 1) {
    const t = workload.stepStartMs[k] ?? 0;
    // A gap in history: nothing happened in it, so shift what is waiting or booting across it.
    const gapMs = t - previousMs - stepMs;
    if (gapMs > 0) {
      for (let i = head; i < queue.length; i += 1) (queue[i] as Cohort).atMs += gapMs;
      for (let i = 0; i < readyAt.length; i += 1) readyAt[i] = (readyAt[i] ?? 0) + gapMs;
    }
    previousMs = t;

    // 1. The check: what the engine would have seen, and what it decides.
    const now = new Date(t);
    const oldest = head < queue.length ? (queue[head] as Cohort).atMs : null;
    const depth = Math.round(queued);
    const metrics = {
      queues: [{ name: "all", depth, latencyMs: depth > 0 && oldest !== null ? Math.max(0, t - oldest) : 0, busy: Math.round(busy), scheduled: 0, retries: 0, sampledAt: now }],
    };
    const [decision] = decide(rules, { [processType]: metrics }, { [processType]: history }, now);
    if (decision) {
      history = recordDecision(simulated, history, decision, now, S, decision.apply);
      const want = history.currentQuantity;
      if (want !== readyAt.length) changes += 1;
      while (readyAt.length < want) readyAt.push(t + rule.bootSeconds * 1000);
      while (readyAt.length > want) readyAt.pop();
      maxDynos = Math.max(maxDynos, readyAt.length);
    }

    // 2. The step: arrivals, completions, and slots taking waiting jobs in FIFO order.
    busy = Math.min(busy, readyAt.length * conc);
    const endMs = t + stepMs;
    let readyAtStart = 0;
    let slotShare = 0;
    for (const at of readyAt) {
      if (at <= t) readyAtStart += 1;
      slotShare += Math.min(1, Math.max(0, (endMs - at) / stepMs));
    }
    const slotsAtStart = readyAtStart * conc;
    const slots = slotShare * conc;
    const freeAtStart = Math.max(0, slotsAtStart - busy);
    busy -= busy * Math.min(1, S / J);
    // Slots freed during the step: jobs finishing, dynos finishing their boot, and short jobs
    // turning a slot over more than once.
    const spread = Math.max(0, slots - busy - freeAtStart) + slots * Math.max(0, S / J - 1);

    const arriving = workload.arrivals[k] ?? 0;
    jobs += arriving;
    if (arriving > 0) {
      queue.push({ atMs: t + stepMs / 2, jobs: arriving });
      queued += arriving;
    }
    let started = 0;
    const capacity = freeAtStart + spread;
    while (head < queue.length && started < capacity - 1e-9) {
      const cohort = queue[head] as Cohort;
      const take = Math.min(cohort.jobs, capacity - started);
      // Where in the step these jobs start: at once in the free slots, then spread over it.
      const fromFree = Math.max(0, Math.min(take, freeAtStart - started));
      const fromSpread = take - fromFree;
      if (fromFree > 0) waits.push({ seconds: Math.max(0, (t - cohort.atMs) / 1000), weight: fromFree });
      if (fromSpread > 0 && spread > 0) {
        const spreadBefore = Math.max(0, started - freeAtStart);
        const middle = t + stepMs * ((spreadBefore + fromSpread / 2) / spread);
        waits.push({ seconds: Math.max(0, (middle - cohort.atMs) / 1000), weight: fromSpread });
      }
      started += take;
      cohort.jobs -= take;
      queued -= take;
      if (cohort.jobs <= 1e-9) head += 1;
    }
    if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    if (queued < 1e-9) queued = 0;
    busy = Math.min(readyAt.length * conc, busy + started * Math.min(1, J / S));
    dynoSeconds += readyAt.length * S;
  }

  // Jobs still waiting when history ends: they waited at least this long.
  const endMs = previousMs + stepMs;
  for (let i = head; i < queue.length; i += 1) {
    const cohort = queue[i] as Cohort;
    if (cohort.jobs > 1e-9) waits.push({ seconds: Math.max(0, (endMs - cohort.atMs) / 1000), weight: cohort.jobs });
  }
  return {
    dynoSeconds,
    coveredSeconds: workload.stepStartMs.length * S,
    p95WaitSeconds: weightedQuantile(waits, 0.95),
    jobs,
    maxDynos,
    formationChanges: changes,
  };
}

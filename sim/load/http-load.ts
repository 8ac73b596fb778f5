import { quantile } from "@/bench/lib/stats";
import { Rng } from "@/bench/policy/rng";
import { nextArrivalSeconds, type RateFunction } from "./request-rate";

export interface HttpLoadOptions {
  /** What to request (the app's router URL and a path). */
  url: string;
  /** Requests a second, by seconds since the start (real time). */
  rate: RateFunction;
  /** The highest value `rate` takes. */
  maxRps: number;
  durationSeconds: number;
  /** Requests this client keeps open at most; an arrival beyond it is counted as shed, not sent. */
  maxInFlight: number;
  seed?: number;
}

export interface HttpLoadSummary {
  sent: number;
  /** Arrivals not sent because `maxInFlight` requests were open. */
  shed: number;
  /** Answers by status code; 0 for a request that got no answer. */
  byStatus: Record<string, number>;
  /** Response times seen by the client, ms. */
  responseMs: { p50: number; p95: number; max: number } | null;
}

export interface HttpLoadRun {
  readonly done: Promise<HttpLoadSummary>;
  /** Requests open now. */
  inFlight(): number;
  stop(): void;
}

/**
 * Open-loop HTTP load in real time: Poisson arrivals at a rate that changes over time (the
 * same arrival process as the discrete-event model), each sent as a GET, with at most
 * `maxInFlight` open at once (a client's connection limit).
 */
export function runHttpLoad(options: HttpLoadOptions): HttpLoadRun {
  const rng = new Rng(options.seed ?? 1);
  const startedAt = Date.now();
  const summary: HttpLoadSummary = { sent: 0, shed: 0, byStatus: {}, responseMs: null };
  const times: number[] = [];
  const open = new Set<Promise<void>>();
  let stopped = false;
  let wake: (() => void) | null = null;

  const send = () => {
    const sentAt = Date.now();
    summary.sent += 1;
    const request = fetch(options.url, { signal: AbortSignal.timeout(60_000) })
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      })
      .catch(() => 0)
      .then((status) => {
        summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
        times.push(Date.now() - sentAt);
        open.delete(request);
      });
    open.add(request);
  };

  const loop = async () => {
    let t = 0;
    for (;;) {
      t = nextArrivalSeconds(options.rate, options.maxRps, rng, t, options.durationSeconds);
      if (!Number.isFinite(t)) break;
      const delayMs = startedAt + t * 1000 - Date.now();
      if (delayMs > 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, delayMs);
        });
      }
      if (stopped) break;
      if (open.size >= options.maxInFlight) summary.shed += 1;
      else send();
    }
    await Promise.all(open);
    summary.responseMs = times.length ? { p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: times.reduce((most, ms) => Math.max(most, ms), 0) } : null;
    return summary;
  };

  return {
    done: loop(),
    inFlight: () => open.size,
    stop: () => {
      stopped = true;
      wake?.();
    },
  };
}

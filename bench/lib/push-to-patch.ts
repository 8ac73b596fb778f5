import type { Redis } from "ioredis";
import { reactToReport } from "@/lib/checks/react-to-report";
import { limitReportRate, pushReportSchema, storeReport } from "@/lib/queues/push";
import type { ApiResponseEvent } from "@/sim/http/types";

/**
 * Push report → formation PATCH latency. A report is handled as POST /api/v1/reports handles
 * it (rate limit, store, react: an upscale triggers a check at once) minus the HTTP hop and
 * the agent-token lookup; the clock starts just before that and stops when the simulated
 * Heroku answers the app's formation PATCH (its onApiResponse hook runs in this process, so
 * both ends read the same clock). Whichever check makes the PATCH counts, the triggered one
 * or a scheduled one that read the report first: that is the delay a customer sees.
 */
export interface PushTarget {
  tenantId: string;
  appId: string;
}

/** A report whose PATCH has not come after this long is counted as missed. */
const MISSED_AFTER_MS = 15_000;
const formationPath = /^\/apps\/([^/]+)\/formation$/;

export class PushToPatch {
  readonly latenciesMs: number[] = [];
  sent = 0;
  /** Reports the engine did not see as calling for more dynos (no PATCH expected). */
  notTriggered = 0;
  missed = 0;
  failed = 0;
  /** Platform API answers seen, by "METHOD status kind" (formation only). */
  readonly apiCalls = new Map<string, number>();
  private readonly pending = new Map<string, number>();
  private readonly depths = new Map<string, number>();

  constructor(private readonly redis: Redis) {}

  /** The simulator's onApiResponse hook. */
  readonly onApiResponse = (event: ApiResponseEvent): void => {
    const match = formationPath.exec(event.path);
    if (!match) return;
    const label = `${event.method} ${event.status}`;
    this.apiCalls.set(label, (this.apiCalls.get(label) ?? 0) + 1);
    if (event.method !== "PATCH" || event.status !== 200) return;
    const appId = decodeURIComponent(match[1] as string);
    const startedMs = this.pending.get(appId);
    if (startedMs === undefined) return;
    this.pending.delete(appId);
    this.latenciesMs.push(performance.now() - startedMs);
  };

  /** Sends one report whose depth is one job more than the last one for this tenant. */
  async send(target: PushTarget): Promise<void> {
    const depth = (this.depths.get(target.tenantId) ?? 0) + 1;
    this.depths.set(target.tenantId, depth);
    this.expireOld();
    // The previous report to this app never saw its PATCH.
    if (this.pending.has(target.appId)) this.missed += 1;
    const startedMs = performance.now();
    this.pending.set(target.appId, startedMs);
    this.sent += 1;
    try {
      await limitReportRate(this.redis, target.tenantId);
      const report = pushReportSchema.parse({ process_type: "worker", queues: [{ name: "default", depth }] });
      const result = await storeReport(this.redis, target.tenantId, report);
      const { checkTriggered } = await reactToReport(this.redis, target.tenantId, report.process_type, result);
      if (!checkTriggered && this.pending.get(target.appId) === startedMs) {
        this.pending.delete(target.appId);
        this.notTriggered += 1;
      }
    } catch (error) {
      this.pending.delete(target.appId);
      this.failed += 1;
      console.error("push report failed:", error);
    }
  }

  /**
   * What an agent sends between changes: the same depth as last time (0 before the first
   * timed report), every few seconds, so the tenant's checks have fresh numbers as they would
   * in production. Not timed; it calls for no more dynos than the timed reports did.
   */
  async sendSteady(target: PushTarget): Promise<void> {
    try {
      await limitReportRate(this.redis, target.tenantId);
      const report = pushReportSchema.parse({ process_type: "worker", queues: [{ name: "default", depth: this.depths.get(target.tenantId) ?? 0 }] });
      const result = await storeReport(this.redis, target.tenantId, report);
      await reactToReport(this.redis, target.tenantId, report.process_type, result);
    } catch (error) {
      console.error("steady push report failed:", error);
    }
  }

  /** Counts reports still waiting for their PATCH as missed (call at the end). */
  finish(): void {
    this.missed += this.pending.size;
    this.pending.clear();
  }

  private expireOld(): void {
    const cutoff = performance.now() - MISSED_AFTER_MS;
    for (const [appId, startedMs] of this.pending) {
      if (startedMs < cutoff) {
        this.pending.delete(appId);
        this.missed += 1;
      }
    }
  }
}

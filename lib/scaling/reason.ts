import type { LatencyVerdict } from "@/lib/scaling/need";
import type { Observation } from "@/lib/scaling/observe";
import { jobsPerDynoOf, type ProcessRule } from "@/lib/scaling/rules";

/** 1240 → "1 240": digit groups a person reads at a glance, in any locale. */
export function formatCount(n: number): string {
  const rounded = Math.round(n);
  const sign = rounded < 0 ? "-" : "";
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

/** Seconds as people say them: "48 s", "1.5 s", "12 min", "2 h". */
export function formatSeconds(seconds: number): string {
  if (seconds >= 7200) return `${formatCount(seconds / 3600)} h`;
  if (seconds >= 120) return `${formatCount(seconds / 60)} min`;
  if (seconds >= 10 || Number.isInteger(seconds)) return `${formatCount(seconds)} s`;
  return `${seconds.toFixed(1)} s`;
}

/** "1 job", "3 jobs". */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${Math.round(n) === 1 ? "" : "s"}`;
}

/** "latency 48 s > 10 s upscale threshold" and its siblings. */
export function latencyPhrase(rule: ProcessRule, seen: Observation, verdict: LatencyVerdict): string {
  if (seen.latencyMs === null) return seen.depth === 0 ? "queue empty" : "latency unknown";
  const latency = formatSeconds(seen.latencyMs / 1000);
  const up = formatSeconds(rule.upscaleLatencySeconds);
  const down = formatSeconds(rule.downscaleLatencySeconds);
  if (verdict === "up") return `latency ${latency} > ${up} upscale threshold`;
  if (verdict === "booting") return `latency ${latency} > ${up} upscale threshold, waiting for booting dynos`;
  if (verdict === "hold") return `latency ${latency} within ${down}–${up}`;
  if (seen.depth === 0) return "queue empty";
  return `latency ${latency} < ${down} downscale threshold`;
}

/** "1 240 jobs / 250 per dyno". */
export function depthPhrase(rule: ProcessRule, seen: Observation): string {
  return `${plural(seen.depth, "job")} / ${formatCount(jobsPerDynoOf(rule))} per dyno`;
}

/** "12 busy / 5 per dyno" — the running jobs and the dynos they hold. */
export function busyPhrase(rule: ProcessRule, busy: number): string {
  return `${formatCount(busy)} busy / ${formatCount(rule.concurrencyPerDyno)} per dyno`;
}

/** "worker 2 → 5: part; part; part (dry run: not applied)". */
export function composeReason(
  processType: string,
  current: number,
  desired: number,
  parts: readonly string[],
  dryRun: boolean,
): string {
  const head = current === desired ? `${processType} holds at ${current}` : `${processType} ${current} → ${desired}`;
  const body = parts.filter((p) => p.length > 0).join("; ");
  const tail = dryRun && current !== desired ? " (dry run: not applied)" : "";
  return `${head}${body ? `: ${body}` : ""}${tail}`;
}

"use client";

import { useState } from "react";
import { postJson } from "./post-json";
import type { FormValues } from "@/lib/dashboard/rule-form";
import type { ProcessRule } from "@/lib/scaling/rules";
import type { Prediction } from "@/lib/tuning/propose";
import type { TuneResult } from "@/lib/tuning/tune-from-history";

export interface TunePanelProps {
  tenantId: string;
  processType: string;
  /** The form's values: a proposal is for the values it was made from. */
  values: FormValues;
  /** The rule input the form describes (formValuesToInput), or null while it is not valid. */
  ruleInput: () => Record<string, unknown> | null;
  dynoSize: string;
  disabled: boolean;
  onApply: (rule: ProcessRule, prediction: Prediction) => Promise<void>;
}

export const dollars = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const waitText = (seconds: number) => (seconds < 120 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`);

const seconds = (n: number | null) => (n === null ? "default" : `${n} s`);

/** The knobs a proposal changes, in the form's words. */
function changesBetween(from: Record<string, unknown>, to: ProcessRule): string[] {
  const before = from as Partial<ProcessRule>;
  const out: string[] = [];
  const line = (label: string, a: unknown, b: unknown, show: (v: never) => string) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${label}: ${show(a as never)} → ${show(b as never)}`);
  };
  line("Downscale delay", before.downscale?.delaySeconds, to.downscale.delaySeconds, seconds);
  line("Idle before zero", before.scaleToZero?.idleSeconds, to.scaleToZero.idleSeconds, seconds);
  line("Keep warm after starts", before.scaleToZero?.keepWarmAfterStarts, to.scaleToZero.keepWarmAfterStarts, (n: number) => (n === 0 ? "never" : String(n)));
  line("Keep warm for", before.scaleToZero?.keepWarmSeconds, to.scaleToZero.keepWarmSeconds, seconds);
  line("Upscale latency", before.upscaleLatencySeconds, to.upscaleLatencySeconds, seconds);
  line("Downscale latency", before.downscaleLatencySeconds, to.downscaleLatencySeconds, seconds);
  line("Waiting jobs per dyno", before.jobsPerDyno ?? null, to.jobsPerDyno, (n: number | null) => (n === null ? "jobs per dyno at once" : String(n)));
  return out;
}

function jobTimeText(result: TuneResult): string {
  const job = result.history.jobTime;
  if (job.source === "rule") return `job time ${waitText(job.seconds)} (the rule's typical job time)`;
  if (job.source === "estimated") return `job time ${waitText(job.seconds)}, estimated from ${job.intervals} checks where the queue drained (set Typical job time to use yours)`;
  return `job time assumed ${waitText(job.seconds)}: too few draining checks to estimate it, set Typical job time for a better prediction`;
}

function historyText(result: TuneResult): string {
  const h = result.history;
  const parts = [`${h.rawSamples.toLocaleString("en-US")} per-check samples`];
  if (h.minuteSamples > 0) parts.push(`${h.minuteSamples.toLocaleString("en-US")} per-minute roll-ups (their maxima: arrivals there are an upper bound)`);
  const hours = h.coveredHours >= 48 ? `${(h.coveredHours / 24).toFixed(1)} days` : `${h.coveredHours.toFixed(1)} hours`;
  const skipped = h.hourSamples > 0 ? ` ${h.hourSamples} hourly roll-ups were not used: an hour's maxima cannot say how work arrived within it.` : "";
  const truncated = h.truncated ? " Only the newest samples were read." : "";
  return `Simulated ${hours} of the last 7 days (${parts.join(", ")}) in ${h.stepSeconds} s steps: about ${Math.round(h.jobs).toLocaleString("en-US")} jobs, ${jobTimeText(result)}.${skipped}${truncated}`;
}

function PredictionRow({ label, prediction, testId }: { label: string; prediction: Prediction; testId: string }) {
  return (
    <tr data-testid={testId}>
      <th scope="row" className="py-1 pr-4 text-left font-medium">
        {label}
      </th>
      <td className="py-1 pr-4 tabular-nums" data-testid={`${testId}-cost`}>
        {dollars(prediction.monthlyDollars)}
      </td>
      <td className="py-1 pr-4 tabular-nums" data-testid={`${testId}-wait`}>
        {waitText(prediction.p95WaitSeconds)} {prediction.meetsTarget ? "" : <span className="text-amber-800 dark:text-amber-300">(over target)</span>}
      </td>
      <td className="py-1 tabular-nums">
        {prediction.meanDynos.toFixed(2)} (max {prediction.maxDynos})
      </td>
    </tr>
  );
}

/**
 * "Tune from history": replays the last 7 days' estimated arrivals through the engine for the
 * rule and its candidates, and offers the cheapest that meets the wait target (lib/tuning).
 */
export function TunePanel(props: TunePanelProps) {
  const [busy, setBusy] = useState<"tune" | "apply" | null>(null);
  const [result, setResult] = useState<{ forValues: FormValues; input: Record<string, unknown>; answer: TuneResult } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const tune = async () => {
    const input = props.ruleInput();
    if (!input) {
      setError("Fix the marked values to tune them.");
      return;
    }
    setBusy("tune");
    setError(null);
    const answer = await postJson<TuneResult>(`/apps/${props.tenantId}/rules/tune`, { dynoSize: props.dynoSize || null, rule: input });
    setBusy(null);
    if (answer.ok) setResult({ forValues: props.values, input, answer: answer.body });
    else setError(`Tuning failed: ${answer.message}`);
  };

  const proposal = result?.answer.proposal ?? null;
  const stale = result !== null && result.forValues !== props.values;
  const apply = async () => {
    if (!proposal) return;
    setBusy("apply");
    await props.onApply(proposal.rule, proposal.proposed);
    setBusy(null);
  };

  return (
    <section aria-labelledby={`tune-${props.processType}`} className="flex flex-col gap-3 rounded-md border border-slate-200 p-4 dark:border-slate-800" data-testid="tune">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h3 id={`tune-${props.processType}`} className="text-base font-semibold">
            Tune from history
          </h3>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Estimates the work that arrived over the last 7 days, simulates these rules and up to 39 variations on it with the engine, and
            proposes the cheapest whose p95 wait meets the wait target.
          </p>
        </div>
        <button
          type="button"
          onClick={tune}
          disabled={props.disabled || busy !== null}
          className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          {busy === "tune" ? "Simulating…" : "Propose from history"}
        </button>
      </div>
      <div aria-live="polite" className="flex flex-col gap-2 text-sm">
        {error ? (
          <p role="alert" className="text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : null}
        {result && !proposal ? <p data-testid="tune-message">{result.answer.message}</p> : null}
        {result && proposal ? (
          <>
            <p className="text-slate-700 dark:text-slate-300" data-testid="tune-history">
              {historyText(result.answer)}
            </p>
            <table className="w-full max-w-2xl text-sm">
              <caption className="text-left text-xs text-slate-600 dark:text-slate-400">
                Predicted for a 30-day month at this history&apos;s pace; wait target (p95) {waitText(proposal.waitTargetSeconds)}; {proposal.candidates} rules compared.
              </caption>
              <thead>
                <tr className="text-left text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">
                  <th scope="col" className="py-1 pr-4">
                    Rules
                  </th>
                  <th scope="col" className="py-1 pr-4">
                    Monthly cost
                  </th>
                  <th scope="col" className="py-1 pr-4">
                    p95 wait
                  </th>
                  <th scope="col" className="py-1">
                    Mean dynos
                  </th>
                </tr>
              </thead>
              <tbody>
                <PredictionRow label="Current" prediction={proposal.current} testId="tune-current" />
                <PredictionRow label="Proposed" prediction={proposal.proposed} testId="tune-proposed" />
              </tbody>
            </table>
            {proposal.meetsTarget ? null : (
              <p className="text-amber-800 dark:text-amber-300" data-testid="tune-unmet">
                No rule compared meets the {waitText(proposal.waitTargetSeconds)} wait target on this history (the maximum of {proposal.rule.maxQuantity} dynos,
                the boot time or the job time may not allow it): the proposal is the one that waits least. Raise the maximum or the wait target.
              </p>
            )}
            {proposal.unchanged ? (
              <p data-testid="tune-unchanged">These rules are already the cheapest {proposal.meetsTarget ? "that meet the target" : "of those that wait least"}: nothing to change.</p>
            ) : (
              <>
                <ul className="list-disc pl-5 text-slate-700 dark:text-slate-300" data-testid="tune-changes">
                  {changesBetween(result.input, proposal.rule).map((change) => (
                    <li key={change}>{change}</li>
                  ))}
                </ul>
                {stale ? (
                  <p className="text-slate-600 dark:text-slate-400">The form changed since this proposal: propose again to apply one.</p>
                ) : (
                  <div>
                    <button
                      type="button"
                      onClick={apply}
                      disabled={props.disabled || busy !== null}
                      className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
                    >
                      {busy === "apply" ? "Applying…" : "Apply proposal and save"}
                    </button>
                  </div>
                )}
              </>
            )}
            <p className="text-xs text-slate-600 dark:text-slate-400">
              A model, not a replay: arrivals are estimated from queue depth and running jobs, every job is taken to run the job time above, and a
              different formation is simulated draining them. Treat the figures as a comparison between rules.
            </p>
          </>
        ) : null}
      </div>
    </section>
  );
}

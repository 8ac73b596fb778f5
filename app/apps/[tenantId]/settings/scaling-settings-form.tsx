"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { postJson } from "../rules/post-json";

/** Pause and dry run for the whole app; a change applies to the schedule at once. */
export function ScalingSettingsForm({ tenantId, paused, dryRun }: { tenantId: string; paused: boolean; dryRun: boolean }) {
  const router = useRouter();
  const [state, setState] = useState({ paused, dryRun });
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);

  const apply = async (next: { paused: boolean; dryRun: boolean }) => {
    setBusy(true);
    const result = await postJson<{ paused: boolean; dryRun: boolean }>(`/apps/${tenantId}/settings/scaling`, next);
    setBusy(false);
    if (result.ok) {
      setState(result.body);
      setNotice({
        tone: "ok",
        text: result.body.paused ? "Autoscaling is paused: Ebbflow leaves the formation as it is." : result.body.dryRun ? "Dry run: Ebbflow decides and records, but does not change dynos." : "Autoscaling is on.",
      });
      router.refresh();
    } else {
      setNotice({ tone: "bad", text: `Not changed: ${result.message}` });
    }
  };

  return (
    <section aria-labelledby="scaling-heading" className="flex flex-col gap-3 rounded-lg border border-slate-200 p-5 dark:border-slate-800">
      <h2 id="scaling-heading" className="text-lg font-semibold">
        Autoscaling
      </h2>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {state.paused ? "Paused: checks stop and the formation stays as it is." : "Running: Ebbflow checks this app at its plan's interval."}
      </p>
      <div className="flex flex-wrap gap-3">
        <button
          type="button"
          disabled={busy}
          onClick={() => apply({ ...state, paused: !state.paused })}
          className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
        >
          {state.paused ? "Resume autoscaling" : "Pause autoscaling"}
        </button>
        <div className="flex items-center gap-2">
          <input id="dry-run" type="checkbox" className="h-4 w-4" checked={state.dryRun} disabled={busy} onChange={(e) => apply({ ...state, dryRun: e.target.checked })} aria-describedby="dry-run-help" />
          <label htmlFor="dry-run" className="text-sm font-medium">
            Dry run
          </label>
          <span id="dry-run-help" className="text-xs text-slate-600 dark:text-slate-400">
            decide and record, never change dynos
          </span>
        </div>
      </div>
      <div aria-live="polite">
        {notice ? (
          <p role={notice.tone === "bad" ? "alert" : "status"} className={`text-sm ${notice.tone === "ok" ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}>
            {notice.text}
          </p>
        ) : null}
      </div>
    </section>
  );
}

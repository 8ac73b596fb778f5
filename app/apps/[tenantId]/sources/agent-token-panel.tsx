"use client";

import { useState } from "react";
import { postJson } from "../rules/post-json";
import type { RotatedAgentToken } from "@/lib/dashboard/rotate-agent-token";

/**
 * The push agent's token: never shown again after it is made. Generating a new one stops the
 * old one at once; the new EBBFLOW_URL is shown here once, to copy.
 */
export function AgentTokenPanel({ tenantId, hasToken, channel, appName }: { tenantId: string; hasToken: boolean; channel: "heroku" | "direct"; appName: string }) {
  const [rotated, setRotated] = useState<RotatedAgentToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const rotate = async () => {
    if (hasToken && !window.confirm("Make a new agent token? The current one stops working at once.")) return;
    setBusy(true);
    setProblem(null);
    const result = await postJson<RotatedAgentToken>(`/apps/${tenantId}/sources/agent-token`, {});
    setBusy(false);
    if (result.ok) setRotated(result.body);
    else setProblem(result.message);
  };

  return (
    <section aria-labelledby="agent-heading" className="flex flex-col gap-3 rounded-lg border border-slate-200 p-5 dark:border-slate-800">
      <h2 id="agent-heading" className="text-lg font-semibold">
        Push agent token
      </h2>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        In push mode your app&apos;s agent posts queue numbers to <code>EBBFLOW_URL</code>; the token is the URL&apos;s password.{" "}
        {channel === "heroku" ? "The add-on set EBBFLOW_URL on your app when it was created." : "Set EBBFLOW_URL on your app with heroku config:set."}{" "}
        Ebbflow keeps only a hash of it{hasToken ? "" : "; this app has no token yet"}.
      </p>
      <div>
        <button type="button" onClick={rotate} disabled={busy} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800">
          {busy ? "Generating…" : hasToken ? "Generate a new token" : "Generate a token"}
        </button>
      </div>
      {problem ? <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not generate a token: {problem}</p> : null}
      {rotated ? (
        <div role="status" className="flex flex-col gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100" data-testid="new-agent-url">
          <p className="font-medium">Copy it now: it is not shown again.</p>
          <code className="break-all">{rotated.ebbflowUrl}</code>
          <div>
            <button
              type="button"
              className="text-sm underline"
              onClick={() => {
                void navigator.clipboard?.writeText(rotated.ebbflowUrl).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy EBBFLOW_URL"}
            </button>
          </div>
          <p>
            {rotated.configUpdated
              ? "Ebbflow already set the new EBBFLOW_URL on your app; Heroku restarts its dynos to pick it up."
              : `Set it on your app: heroku config:set EBBFLOW_URL='…' -a ${appName}`}
          </p>
        </div>
      ) : null}
    </section>
  );
}

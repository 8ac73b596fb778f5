"use client";

import { useState, type FormEvent } from "react";
import { postJson } from "../rules/post-json";

/** Disconnecting a direct app: the customer types its name, as Heroku asks before destroying. */
export function DisconnectForm({ tenantId, appName }: { tenantId: string; appName: string }) {
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await postJson(`/apps/${tenantId}/settings/disconnect`, { confirmAppName: typed });
    setBusy(false);
    if (result.ok) window.location.assign("/apps");
    else setProblem(result.message);
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-2">
      <label htmlFor="confirm-app" className="text-sm font-medium">
        Type <strong>{appName}</strong> to disconnect it
      </label>
      <div className="flex flex-wrap gap-2">
        <input id="confirm-app" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-red-600 dark:border-slate-700 dark:bg-slate-900" />
        <button type="submit" disabled={busy || typed !== appName} className="rounded-md bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 disabled:opacity-50">
          Disconnect app
        </button>
      </div>
      {problem ? <p role="alert" className="text-sm text-red-700 dark:text-red-300">{problem}</p> : null}
    </form>
  );
}

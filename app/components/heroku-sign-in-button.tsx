"use client";

import { signIn } from "next-auth/react";
import { useState, type ReactNode } from "react";
import { postJson } from "@/app/apps/[tenantId]/rules/post-json";

/**
 * Starts a Heroku OAuth round trip through next-auth. Used for signing in, for "Authorize
 * scaling" and for connecting an app: each returns to `callbackUrl` with a fresh authorization.
 * With `startUrl`, the server first binds the round trip to this browser and names the callback
 * (lib/auth/oauth-intent.ts): callbacks that change state act only for a round trip started here.
 */
export function HerokuSignInButton({ callbackUrl, startUrl, children }: { callbackUrl: string; startUrl?: string; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const start = async () => {
    setBusy(true);
    setProblem(null);
    if (!startUrl) {
      await signIn("heroku", { callbackUrl }, { scope: "identity write" });
      return;
    }
    const started = await postJson<{ callbackUrl: string }>(startUrl, {});
    if (!started.ok) {
      setBusy(false);
      setProblem(started.message);
      return;
    }
    await signIn("heroku", { callbackUrl: started.body.callbackUrl }, { scope: "identity write" });
  };
  return (
    <>
    <button
      type="button"
      disabled={busy}
      onClick={() => void start()}
      className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
    >
      {busy ? "Redirecting to Heroku…" : children}
    </button>
    {problem ? <p role="alert" className="text-sm text-red-700 dark:text-red-300">{problem}</p> : null}
    </>
  );
}

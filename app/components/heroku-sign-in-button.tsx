"use client";

import { signIn } from "next-auth/react";
import { useState, type ReactNode } from "react";

/**
 * Starts a Heroku OAuth round trip through next-auth. Used for signing in, for "Authorize
 * scaling" and for connecting an app: each returns to `callbackUrl` with a fresh authorization.
 */
export function HerokuSignInButton({ callbackUrl, children }: { callbackUrl: string; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signIn("heroku", { callbackUrl }, { scope: "identity write" });
      }}
      className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
    >
      {busy ? "Redirecting to Heroku…" : children}
    </button>
  );
}

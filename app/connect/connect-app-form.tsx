"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { postJson } from "@/app/apps/[tenantId]/rules/post-json";

const appNamePattern = /^[a-z][a-z0-9-]{2,29}$/;

export function ConnectAppForm() {
  const [appName, setAppName] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        const name = appName.trim();
        if (!appNamePattern.test(name)) {
          setError("Use the app's Heroku name: lowercase letters, digits and dashes, 3 to 30 long.");
          return;
        }
        // The server binds this round trip to this browser and names the callback to come back to.
        void postJson<{ callbackUrl: string }>("/connect/start", { app: name }).then(async (started) => {
          if (!started.ok) {
            setError(started.message);
            return;
          }
          await signIn("heroku", { callbackUrl: started.body.callbackUrl }, { scope: "identity write" });
        });
      }}
    >
      <label htmlFor="app-name" className="font-medium">
        Heroku app name
      </label>
      <input
        id="app-name"
        name="app"
        value={appName}
        onChange={(event) => setAppName(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "app-name-error" : undefined}
        className="rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        placeholder="my-rails-app"
      />
      {error ? (
        <p id="app-name-error" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
      <button type="submit" className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
        Connect with Heroku
      </button>
    </form>
  );
}

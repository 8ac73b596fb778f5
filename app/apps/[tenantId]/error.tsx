"use client";

/** An app page that failed to render: say what to try, without internals. */
export default function AppError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-3 px-6 py-8">
      <h1 className="text-xl font-semibold">This page could not be loaded</h1>
      <p className="text-slate-700 dark:text-slate-300">
        Ebbflow could not read this app&apos;s data just now. Try again in a moment; if it keeps failing, check
        Ebbflow&apos;s status or contact support with the time it happened.
      </p>
      <div>
        <button
          type="button"
          onClick={reset}
          className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Try again
        </button>
      </div>
    </main>
  );
}

/** Shown while an app page's data loads. */
export function PageLoading() {
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-4 px-6 py-8" aria-busy="true">
      <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
        Loading…
      </p>
      <div className="h-8 w-1/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-40 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900" />
      <div className="h-40 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900" />
    </main>
  );
}

/**
 * Shown while the apps list loads. It lives in the (list) group so that its Suspense boundary
 * wraps the list alone: around an app's pages it would stream them, and the tenant guard's 404
 * and sign-in redirect could then no longer set the status.
 */
export default function Loading() {
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-4 px-6 py-10" aria-busy="true">
      <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
        Loading your apps…
      </p>
      {[0, 1, 2].map((i) => (
        <div key={i} className="h-16 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-900" />
      ))}
    </main>
  );
}

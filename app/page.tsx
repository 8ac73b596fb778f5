const features = [
  {
    title: "Scales on what your users feel",
    body: "Ebbflow reads queue depth and the age of the oldest waiting job straight from Sidekiq, Resque, BullMQ, Celery, RQ, GoodJob, Que, Solid Queue or Delayed Job, and sizes your worker formation to match.",
  },
  {
    title: "Never kills a running job",
    body: "Busy-aware downscale keeps a dyno until its jobs are done, so a quiet minute does not SIGKILL a half-finished export.",
  },
  {
    title: "Down to zero, back in seconds",
    body: "Idle process types scale to zero and wake on the first job, so you stop paying for dynos that wait all night.",
  },
  {
    title: "Every decision explained",
    body: "Each change comes with the reason in plain words: “worker 2 → 5: latency 48 s > 30 s upscale threshold”.",
  },
];

export default function LandingPage() {
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-12 px-6 py-16">
      <header className="flex flex-col gap-4">
        <p className="flex items-center gap-2 text-sm font-semibold uppercase tracking-wide text-indigo-600 dark:text-indigo-400">
          <img src="/logo.svg" alt="" width={28} height={28} />
          Ebbflow
        </p>
        <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">
          Pay for worker dynos only while there is work.
        </h1>
        <p className="max-w-2xl text-lg text-slate-600 dark:text-slate-300">
          Ebbflow is a Heroku add-on that autoscales your worker dynos from the depth and latency of your job
          queues. It adds dynos when work piles up and removes them when the queues are quiet.
        </p>
      </header>

      <section aria-labelledby="install" className="rounded-xl bg-slate-100 p-6 dark:bg-slate-900">
        <h2 id="install" className="mb-3 text-lg font-semibold">
          Install in two commands
        </h2>
        <pre className="overflow-x-auto text-sm leading-relaxed">
          <code>{`heroku addons:create ebbflow -a your-app\nheroku addons:open ebbflow -a your-app`}</code>
        </pre>
      </section>

      <section aria-label="What Ebbflow does" className="grid gap-6 sm:grid-cols-2">
        {features.map((feature) => (
          <article key={feature.title} className="rounded-xl border border-slate-200 p-6 dark:border-slate-800">
            <h2 className="mb-2 font-semibold">{feature.title}</h2>
            <p className="text-slate-600 dark:text-slate-300">{feature.body}</p>
          </article>
        ))}
      </section>
    </main>
  );
}

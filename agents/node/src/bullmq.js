/**
 * BullMQ through its own API: depth = waiting + prioritized, latency = age of the oldest
 * waiting job, busy = active (app-wide). This process's busy count comes from its workers'
 * events; quiet is `worker.pause(true)` (stop fetching, let running jobs finish). Once used by
 * an agent, each queue's local `waiting` event (emitted in this process by `queue.add`) wakes
 * the agent; a delayed job does not.
 */
export function bullmqSource({ queues = [], workers = [], processType } = {}) {
  let running = 0;
  let attached = false;
  for (const worker of workers) {
    worker.on("active", () => (running += 1));
    const done = () => (running = Math.max(0, running - 1));
    worker.on("completed", done);
    worker.on("failed", (job) => job && done());
  }
  return {
    processType,
    attach(agent) {
      if (attached) return;
      attached = true;
      const wake = (job) => {
        if (!(job?.opts?.delay > 0)) agent.wake();
      };
      for (const queue of queues) queue.on("waiting", wake);
    },
    async collect(nowMs = Date.now()) {
      return Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts("wait", "prioritized", "active");
          const [oldest] = await queue.getJobs(["wait"], 0, 0, true);
          return {
            name: queue.name,
            depth: (counts.wait ?? 0) + (counts.prioritized ?? 0),
            latency_ms: oldest?.timestamp ? Math.max(0, nowMs - oldest.timestamp) : null,
            busy: counts.active ?? 0,
          };
        }),
      );
    },
    busy: () => running,
    async quiet() {
      await Promise.all(workers.map((worker) => worker.pause(true)));
    },
  };
}

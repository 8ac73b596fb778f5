/**
 * Bull through its own API: depth = waiting (+ paused), latency = age of the oldest waiting job,
 * busy = active (app-wide). This process's busy count comes from the queue's local events;
 * quiet is Bull's local pause, `queue.pause(true, true)` (this process only, running jobs finish).
 *
 * Bull emits nothing in-process on `add`: its `waiting` event reaches the adding queue instance
 * through a Redis subscription (a subscriber connection per queue, and every add of the queue,
 * from any process, is delivered to it). So the enqueue wake is opt-in here: with `wake: true`
 * the source listens to `waiting` and wakes the agent; otherwise call `agent.wake()` after add.
 */
export function bullSource({ queues = [], processType, wake = false } = {}) {
  let running = 0;
  let attached = false;
  for (const queue of queues) {
    queue.on("active", () => (running += 1));
    const done = () => (running = Math.max(0, running - 1));
    queue.on("completed", done);
    queue.on("failed", done);
  }
  return {
    processType,
    attach(agent) {
      if (!wake || attached) return;
      attached = true;
      for (const queue of queues) queue.on("waiting", () => agent.wake());
    },
    async collect(nowMs = Date.now()) {
      return Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts();
          const waiting = (counts.waiting ?? 0) + (counts.paused ?? 0);
          // getWaiting is oldest first.
          const [oldest] = waiting > 0 ? await queue.getWaiting(0, 0) : [];
          return {
            name: queue.name,
            depth: waiting,
            latency_ms: oldest?.timestamp ? Math.max(0, nowMs - oldest.timestamp) : null,
            busy: counts.active ?? 0,
          };
        }),
      );
    },
    busy: () => running,
    async quiet() {
      await Promise.all(queues.map((queue) => queue.pause(true, true)));
    },
  };
}

// A Node host app for the end-to-end agent test: the agent with a real BullMQ queue (E2E_QUEUE,
// 3 waiting jobs) and web requests recorded every 100 ms. Runs until killed.
import { Queue } from "bullmq";
import { bullmqSource, createAgent } from "../../../../agents/node/src/index.js";

const queue = new Queue(process.env.E2E_QUEUE, { connection: { url: process.env.REDIS_URL } });
await queue.obliterate({ force: true });
for (let i = 0; i < 3; i += 1) await queue.add("job", { i });
const agent = createAgent({ intervalMs: 2000, maxBackoffMs: 2000 });
agent.use(bullmqSource({ queues: [queue], processType: "worker" }));
setInterval(() => agent.recordRequest(String(Date.now() - 50)), 100);
process.on("SIGTERM", async () => {
  await agent.stop();
  await queue.obliterate({ force: true });
  await queue.close();
  process.exit(0);
});
console.log("host ready");

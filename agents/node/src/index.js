import { createAgent, Agent, VERSION, WAKE_GAP_MS } from "./agent.js";
import { bullmqSource } from "./bullmq.js";
import { bullSource } from "./bull.js";
import { expressMiddleware, fastifyHook, nextjsRecord } from "./middleware.js";
import { parseRequestStart, queueTimeMs } from "./request-start.js";

let shared = null;

/** The process's one agent, configured from EBBFLOW_URL and DYNO on first use. */
export function agent() {
  shared ??= createAgent();
  return shared;
}

/**
 * A job was just enqueued: while Ebbflow has a process type at zero, report now (at most once
 * per 5 s). For enqueues no hook sees (Bull without `wake: true`, BullMQ's addBulk and flows).
 */
export function wake() {
  try {
    agent().wake();
  } catch {
    // Never into the app.
  }
}

/** Report BullMQ queues and follow quiet for these workers: `ebbflow.bullmq({ queues, workers })`. */
export function bullmq(options) {
  return agent().use(bullmqSource(options));
}

/** Report Bull queues and follow quiet for them: `ebbflow.bull({ queues, wake? })`. */
export function bull(options) {
  return agent().use(bullSource(options));
}

/** Express middleware: `app.use(ebbflow.express())`. */
export function express() {
  return expressMiddleware(agent());
}

/** Fastify plugin: `app.register(ebbflow.fastify)` (hooks onRequest at the root). */
export function fastify(instance, _options, done) {
  instance.addHook("onRequest", fastifyHook(agent()));
  done();
}
fastify[Symbol.for("skip-override")] = true;

/** Next.js: `ebbflow.nextjs(request)` at the top of proxy.ts. */
export function nextjs(request) {
  nextjsRecord(agent(), request);
}

export { Agent, createAgent, VERSION, WAKE_GAP_MS, bullmqSource, bullSource, expressMiddleware, fastifyHook, nextjsRecord, parseRequestStart, queueTimeMs };
export default { agent, wake, bullmq, bull, express, fastify, nextjs, createAgent, VERSION };

/**
 * Web middleware: each records now − X-Request-Start for the agent's window and does nothing
 * else (no I/O, nothing that can throw into the app). With EBBFLOW_URL unset they only call next.
 */

/** Express / Connect: `app.use(expressMiddleware(agent))`, first in the chain. */
export function expressMiddleware(agent) {
  return function ebbflow(req, _res, next) {
    if (agent.enabled) agent.recordRequest(req.headers["x-request-start"]);
    next();
  };
}

/** Fastify: `app.addHook("onRequest", fastifyHook(agent))`. */
export function fastifyHook(agent) {
  return function ebbflow(request, _reply, done) {
    if (agent.enabled) agent.recordRequest(request.headers["x-request-start"]);
    done();
  };
}

/**
 * Next.js: call from `proxy.ts` (Node.js runtime) or a route handler with the Web `Request`:
 * `export function proxy(request) { nextjsRecord(agent, request); }`.
 */
export function nextjsRecord(agent, request) {
  if (agent.enabled) agent.recordRequest(request.headers.get("x-request-start") ?? undefined);
}

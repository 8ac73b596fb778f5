import { createServer } from "node:http";

/**
 * A stand-in Ebbflow for the agent's own tests: accepts POST /api/v1/reports with the right
 * Bearer token, records each body, and answers 202 with the instructions and `scaled_to_zero`
 * the test sets (`scaledToZero` undefined leaves the field out, as an older server does). It
 * can be stopped and started again on the same port to play an outage. (The agent is also
 * tested against the real Ebbflow route in the repository's integration tests.)
 */
export async function startFakeEbbflow({ token = "test-token-0123456789", port = 0 } = {}) {
  const state = { reports: [], quiet: [], scaledToZero: undefined, status: 202, token, server: null, port };
  const listen = () =>
    new Promise((resolve) => {
      state.server = createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
          if (req.method !== "POST" || req.url !== "/api/v1/reports") return res.writeHead(404).end();
          if (req.headers.authorization !== `Bearer ${state.token}`) return res.writeHead(401).end('{"error":"unauthorized"}');
          if (state.status !== 202) return res.writeHead(state.status).end("{}");
          const report = JSON.parse(body);
          state.reports.push({ at: Date.now(), report });
          res.writeHead(202, { "content-type": "application/json" });
          res.end(JSON.stringify({ received: true, process_type: report.process_type, scaled_to_zero: state.scaledToZero, instructions: { quiet: state.quiet } }));
        });
      });
      state.server.listen(state.port, "127.0.0.1", () => {
        state.port = state.server.address().port;
        resolve();
      });
    });
  await listen();
  return {
    state,
    get url() {
      return `http://agent:${state.token}@127.0.0.1:${state.port}`;
    },
    stop: () => new Promise((resolve) => { state.server.closeAllConnections?.(); state.server.close(() => resolve()); }),
    start: listen,
  };
}

export async function waitFor(predicate, timeoutMs = 15_000, stepMs = 50) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

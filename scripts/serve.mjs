// The production web process: Next.js behind Node's cluster module, one process per core
// (WEB_CONCURRENCY, which Heroku's Node.js support sets from the dyno's size), sharing one
// port. Next's own `next start` runs one process, which leaves cores idle under load.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { availableParallelism } from "node:os";
import next from "next";
import { tsImport } from "tsx/esm/api";

// The environment is checked before anything listens, as the worker does: in production a
// missing or malformed variable stops the process with each one named, instead of a web
// process that starts and answers 500s.
const { parseEnv, EnvError } = await tsImport("../lib/env.ts", import.meta.url);
let settings;
try {
  settings = parseEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`Ebbflow web cannot start. ${error.message}`);
  process.exit(1);
}

const port = settings.PORT;
const hostname = process.env.HOSTNAME_BIND ?? "0.0.0.0";
const processes = Math.max(1, settings.WEB_CONCURRENCY ?? availableParallelism());

// lib/env.ts warns again in each process that reads the environment; this says it at start.
if (cluster.isPrimary && process.env.NODE_ENV === "production" && ["1", "true"].includes(process.env.EBBFLOW_ALLOW_PRIVATE_TARGETS ?? "")) {
  console.warn(
    JSON.stringify({ level: 40, time: new Date().toISOString(), service: "ebbflow", msg: "EBBFLOW_ALLOW_PRIVATE_TARGETS is set: customer-given queue stores, pulls and webhooks may reach loopback and private addresses. Never set it on a public deployment." }),
  );
}

if (cluster.isPrimary && processes > 1) {
  let stopping = false;
  for (let i = 0; i < processes; i += 1) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    console.error(`web process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  const app = next({ dev: false, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((request, response) => {
    // Next.js answers a path it cannot decode (`/heroku/resources/%zz`) with a 500 before any
    // of Ebbflow's code runs; it is the client's mistake, so it gets a 400 here.
    if (!decodable(request.url ?? "/")) {
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { code: "bad_request", message: "The address has a malformed %-escape" }, message: "The address has a malformed %-escape" }));
      return;
    }
    handle(request, response).catch((error) => {
      console.error(error);
      if (!response.headersSent) response.statusCode = 500;
      response.end();
    });
  });
  server.listen(port, hostname, () => {
    if (!cluster.isWorker || cluster.worker?.id === 1) console.log(`Ebbflow web listening on http://${hostname}:${port} (${processes} process${processes > 1 ? "es" : ""})`);
  });
  const close = () => server.close(() => process.exit(0));
  process.on("SIGTERM", close);
  process.on("SIGINT", close);
}

function decodable(url) {
  try {
    decodeURIComponent(url.split("?")[0]);
    return true;
  } catch {
    return false;
  }
}

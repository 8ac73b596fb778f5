import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RoutingCore } from "./routing-core";

interface PendingRequest {
  req: IncomingMessage;
  res: ServerResponse;
  headers: http.OutgoingHttpHeaders;
}

interface Upstream {
  port: number;
  /** Resolves the promise `whenIdle` handed out once the dyno holds nothing. */
  idleWaiters: (() => void)[];
}

export interface RouterStats {
  routed: number;
  /** Answered 503 with no web dyno up (Heroku's H14). */
  noDynos: number;
  /** Answered 503 because the dyno did not answer (closed, refused: Heroku's H13). */
  upstreamErrors: number;
}

/** Heroku's router answers these itself, with its error page; the sim answers plain text. */
function answerError(res: ServerResponse, code: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "x-sim-router-error": code });
  res.end(`${code}: ${message}\n`);
}

/**
 * The real-time side of the simulator's router: an HTTP server in front of an app's web
 * dynos (real processes listening on their own ports). Each request gets Heroku's router
 * headers, `X-Request-Start` (ms since the epoch when the router received it) first among
 * them, and goes to a dyno picked by the routing core: at random, waiting while the dyno's
 * `concurrency` slots are busy. A stopping dyno gets no new requests; what already waits at
 * it is still sent while its process listens, and fails with 503 once it is gone.
 */
export class HttpRouter {
  readonly stats: RouterStats = { routed: 0, noDynos: 0, upstreamErrors: 0 };
  private readonly core: RoutingCore<PendingRequest>;
  private readonly upstreams = new Map<string, Upstream>();
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true });
  private address: AddressInfo | null = null;

  constructor(options: { random?: () => number } = {}) {
    this.core = new RoutingCore<PendingRequest>(options.random ?? Math.random);
    this.server = http.createServer((req, res) => this.accept(req, res));
  }

  /** Where clients send the app's requests, e.g. http://127.0.0.1:41234. */
  get url(): string {
    if (!this.address) throw new Error("the router is not listening");
    return `http://127.0.0.1:${this.address.port}`;
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
  }

  /** A dyno listening on `port` joins the draw; `key` is unique per process. */
  addDyno(key: string, port: number, concurrency: number): void {
    this.core.addDyno(key, concurrency);
    this.upstreams.set(key, { port, idleWaiters: [] });
  }

  /** The dyno got SIGTERM: it leaves the draw now. */
  stopRouting(key: string): void {
    this.core.stopRouting(key);
  }

  /** The dyno's process is gone: requests still waiting at it fail with 503. */
  removeDyno(key: string): void {
    const upstream = this.upstreams.get(key);
    for (const pending of this.core.removeDyno(key)) {
      this.stats.upstreamErrors += 1;
      answerError(pending.res, "H13", "Connection closed without response");
    }
    this.upstreams.delete(key);
    for (const resolve of upstream?.idleWaiters ?? []) resolve();
  }

  /** Resolves once the dyno has answered everything it holds (at once if it holds nothing). */
  whenIdle(key: string): Promise<void> {
    const upstream = this.upstreams.get(key);
    if (!upstream || this.core.isIdle(key)) return Promise.resolve();
    return new Promise((resolve) => upstream.idleWaiters.push(resolve));
  }

  routableDynos(): string[] {
    return this.core.routableDynos();
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(req: IncomingMessage, res: ServerResponse): void {
    const receivedAtMs = Date.now();
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    // Heroku's router headers; a client cannot set X-Request-Start for the app.
    headers["x-request-start"] = String(receivedAtMs);
    headers["x-request-id"] = typeof req.headers["x-request-id"] === "string" ? req.headers["x-request-id"] : randomUUID();
    headers["x-forwarded-for"] = [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ");
    headers["x-forwarded-proto"] = "http";
    headers["x-forwarded-port"] = String(this.address?.port ?? "");
    headers.via = "1.1 vegur";
    const pending: PendingRequest = { req, res, headers };
    const placement = this.core.route(pending);
    if (!placement) {
      this.stats.noDynos += 1;
      answerError(res, "H14", "No web dynos running");
      return;
    }
    this.stats.routed += 1;
    if (placement.startsNow) this.forward(placement.dyno, pending);
  }

  private forward(key: string, pending: PendingRequest): void {
    const upstream = this.upstreams.get(key);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      this.release(key);
    };
    if (!upstream) {
      this.stats.upstreamErrors += 1;
      answerError(pending.res, "H13", "Connection closed without response");
      finish();
      return;
    }
    const { req, res, headers } = pending;
    if (res.destroyed) {
      // The client gave up while the request waited at the dyno: nothing to send.
      finish();
      return;
    }
    const outgoing = http.request(
      { host: "127.0.0.1", port: upstream.port, method: req.method, path: req.url, headers, agent: this.agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on("end", finish);
        answer.on("error", finish);
        answer.on("close", finish);
      },
    );
    outgoing.on("error", () => {
      this.stats.upstreamErrors += 1;
      answerError(res, "H13", "Connection closed without response");
      finish();
    });
    res.on("close", () => {
      if (!res.writableFinished) outgoing.destroy();
    });
    req.pipe(outgoing);
  }

  /** One request on `key` is done: the next one waiting there goes, or the slot frees. */
  private release(key: string): void {
    const next = this.core.finish(key);
    if (next) {
      this.forward(key, next);
      return;
    }
    const upstream = this.upstreams.get(key);
    if (upstream && this.core.isIdle(key)) {
      const waiters = upstream.idleWaiters.splice(0);
      for (const resolve of waiters) resolve();
    }
  }
}

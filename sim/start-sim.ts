import type { AddressInfo } from "node:net";
import { log, type Logger } from "@/lib/log";
import { RealClock, type SimClock } from "./clock";
import type { FaultController } from "./faults";
import { createSimServer } from "./http/server";
import type { ApiResponseEvent } from "./http/types";
import { herokuRateLimit, type RateLimitOptions } from "./rate-limiter";
import type { AppStats } from "./runtime/app-runtime";
import { loadHerokuSchema } from "./schema/heroku-schema";
import type { SimAccount } from "./world/accounts";
import type { SimAddon, SimAddonService } from "./world/addons";
import type { AddonServiceInput } from "./world/sim-world";
import type { AppSpecInput } from "./world/app-spec";
import type { SimApp } from "./world/apps";
import type { IssuedToken, OAuthClient, OAuthScope } from "./world/oauth";
import { type AddonGrant, SimWorld } from "./world/sim-world";

export interface SimOptions {
  /** Port to listen on; 0 (default) picks a free one. The CLI uses SIM_PORT or 5100. */
  port?: number;
  /** Interface to bind; the sim only ever listens on loopback by default. */
  host?: string;
  /** Real time (default), `new RealClock({ speed: 10 })`, or a `ManualClock` a test advances. */
  clock?: SimClock;
  /** Seconds from starting a dyno to `up` (default 30). */
  bootDelaySeconds?: number;
  /** Seconds between SIGTERM and SIGKILL on a stop (default 30, as on Heroku). */
  shutdownGraceSeconds?: number;
  /** Seconds between Sidekiq heartbeats (default 10, as in Sidekiq). */
  heartbeatSeconds?: number;
  /** Seconds between idle dynos' looks at the queues (default 1). */
  pollIntervalSeconds?: number;
  /** Run time of a job whose payload names no duration (default 1). */
  defaultJobSeconds?: number;
  /** Access token lifetime (default 8 hours). */
  tokenTtlSeconds?: number;
  /** Grant code lifetime (default 5 minutes). */
  grantTtlSeconds?: number;
  /** Retire a refresh token once used, handing out a new one (default true; Heroku keeps them). */
  rotateRefreshTokens?: boolean;
  rateLimit?: Partial<RateLimitOptions>;
  /** Check Platform API request bodies against Heroku's schema (default true). */
  validateRequests?: boolean;
  /** Where Heroku's schema is (default: HEROKU_SCHEMA_PATH or ../shared/heroku/ next to the repo). */
  schemaPath?: string;
  /** Called with every Platform API response (tests validate them against the schema). */
  onApiResponse?: (event: ApiResponseEvent) => void;
  /**
   * Run each app's `web` dynos as real processes (the process type's `command`, with PORT set,
   * in `cwd`, default the current directory) behind a router of the app's own
   * (`sim.routerUrl(app)`). Off by default, and only here: the admin API never runs commands.
   */
  webProcesses?: { cwd?: string };
  /** Randomness for injected 5xx faults (default Math.random). */
  random?: () => number;
  logger?: Logger;
}

/** A running simulated Heroku. */
export interface Sim {
  /** Platform API base URL (e.g. http://127.0.0.1:5100). */
  readonly apiUrl: string;
  /** ID (OAuth) base URL: the same server; `/oauth/token` and `/oauth/authorize` live there. */
  readonly idUrl: string;
  /** Admin API base URL (`<apiUrl>/__sim`). */
  readonly adminUrl: string;
  readonly port: number;
  readonly clock: SimClock;
  readonly world: SimWorld;
  readonly faults: FaultController;
  createAccount(input?: { email?: string; name?: string | null }): SimAccount;
  issueToken(account: string, scopes?: OAuthScope[]): IssuedToken;
  registerOAuthClient(input?: { id?: string; secret?: string; name?: string; redirectUri?: string | null }): OAuthClient;
  issueAuthorizationCode(input: { account: string; clientId: string; scopes: OAuthScope[] }): { code: string; expiresAtMs: number };
  createApp(input: AppSpecInput): Promise<SimApp>;
  registerAddonService(input: AddonServiceInput): {
    service: SimAddonService;
    client: OAuthClient;
  };
  createAddon(input: { app: string; service: string; plan: string; name?: string }): SimAddon;
  issueAddonGrant(addon: string): AddonGrant;
  /** Puts one job on an app's queue (Sidekiq or BullMQ layout, per the app). */
  enqueue(app: string, job: { queue?: string; durationSeconds: number; className?: string }): Promise<string>;
  queueDepth(app: string, queue?: string): Promise<number>;
  appStats(app: string): AppStats;
  /** Where the app's web requests go (its router), with `webProcesses` on; throws otherwise. */
  routerUrl(app: string): string;
  /** Stops dynos (jobs in progress go back on their queues), closes connections and the server. */
  close(): Promise<void>;
}

/** Starts the simulator in-process and resolves once it is listening. */
export async function startSim(options: SimOptions = {}): Promise<Sim> {
  const clock = options.clock ?? new RealClock();
  const logger = options.logger ?? log.child({ component: "sim" });
  const world = new SimWorld(
    clock,
    {
      bootDelaySeconds: options.bootDelaySeconds ?? 30,
      shutdownGraceSeconds: options.shutdownGraceSeconds ?? 30,
      heartbeatSeconds: options.heartbeatSeconds ?? 10,
      pollIntervalSeconds: options.pollIntervalSeconds ?? 1,
      defaultJobSeconds: options.defaultJobSeconds ?? 1,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 8 * 60 * 60,
      grantTtlSeconds: options.grantTtlSeconds ?? 5 * 60,
      rotateRefreshTokens: options.rotateRefreshTokens ?? true,
      rateLimit: { ...herokuRateLimit, ...options.rateLimit },
      webProcesses: options.webProcesses ? { cwd: options.webProcesses.cwd ?? process.cwd() } : null,
    },
    logger,
    options.random,
  );
  const schema = options.validateRequests === false ? null : loadHerokuSchema({ path: options.schemaPath });
  let urls = { apiUrl: "", idUrl: "" };
  const server = createSimServer({ world, schema, urls: () => urls, onApiResponse: options.onApiResponse });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://${host}:${port}`;
  urls = { apiUrl: baseUrl, idUrl: baseUrl };
  world.baseUrl = baseUrl;

  const app = (idOrName: string) => world.apps.get(idOrName);
  return {
    apiUrl: baseUrl,
    idUrl: baseUrl,
    adminUrl: `${baseUrl}/__sim`,
    port,
    clock,
    world,
    faults: world.faults,
    createAccount: (input = {}) => world.createAccount(input),
    issueToken: (account, scopes) => world.issueToken(account, scopes),
    registerOAuthClient: (input = {}) => world.registerOAuthClient(input),
    issueAuthorizationCode: (input) => world.issueAuthorizationCode(input),
    createApp: (input) => world.createApp(input),
    registerAddonService: (input) => world.registerAddonService(input),
    createAddon: (input) => world.createAddon(input),
    issueAddonGrant: (addon) => world.issueAddonGrant(addon),
    enqueue: async (appName, job) => {
      const backend = app(appName).runtime.backend;
      if (!backend) throw new Error(`app ${appName} has no job store`);
      return backend.enqueue({ queue: job.queue ?? "default", durationSeconds: job.durationSeconds, className: job.className });
    },
    queueDepth: (appName, queue = "default") => app(appName).runtime.queueDepth([queue]),
    appStats: (appName) => world.appStats(appName),
    routerUrl: (appName) => {
      const router = app(appName).runtime.web?.router;
      if (!router) throw new Error(`app ${appName} has no router: start the sim with webProcesses and give the app a web type`);
      return router.url;
    },
    close: async () => {
      await world.close();
      clock.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

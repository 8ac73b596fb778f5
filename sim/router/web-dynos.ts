import type { Dyno } from "../runtime/dyno";
import type { HttpRouter } from "./http-router";
import { freePort, WebProcess } from "./web-process";

/** What a web dyno asks of the platform: a process behind the router. */
export interface WebDynoHost {
  /** Starts the dyno's command with PORT; resolves once the router sends it requests. */
  start(dyno: Dyno): Promise<void>;
  /** SIGTERM: the dyno leaves the router's draw now; resolves when its process has exited. */
  stop(dyno: Dyno): Promise<void>;
  /** SIGKILL (end of the grace period, or the simulator shutting down); resolves on exit. */
  kill(dyno: Dyno): Promise<void>;
}

export interface WebDynoSettings {
  /** Where commands run (the app's checkout). */
  cwd: string;
  /** The app's config vars, read when each dyno starts. */
  configVars: () => Record<string, string>;
  /** Real ms a process may take to listen on PORT (Heroku's R10 boot timeout is 60 s). */
  bootTimeoutMs?: number;
}

/** What a dyno's process sees besides its config vars: enough of the machine's environment to run. */
function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "LANG", "TMPDIR", "GEM_HOME", "GEM_PATH"];
  return Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name] as string]] : [])));
}

/**
 * Runs an app's web dynos as real processes behind its router. The dyno object drives the
 * life cycle (boot delay, SIGTERM, grace, SIGKILL on the sim clock); this class turns it
 * into processes and routing.
 */
export class WebDynos implements WebDynoHost {
  private readonly processes = new Map<string, WebProcess>();

  constructor(
    readonly router: HttpRouter,
    private readonly settings: WebDynoSettings,
  ) {}

  async start(dyno: Dyno): Promise<void> {
    const port = await freePort();
    if (dyno.state !== "up") return;
    const env = { ...baseEnv(), ...this.settings.configVars(), DYNO: dyno.name };
    const child = new WebProcess({ command: dyno.spec.command, cwd: this.settings.cwd, env, port });
    this.processes.set(dyno.id, child);
    void child.exited.then(() => {
      this.processes.delete(dyno.id);
      this.router.removeDyno(dyno.id);
    });
    await child.waitListening(port, this.settings.bootTimeoutMs ?? 60_000);
    if (dyno.state !== "up") return;
    this.router.addDyno(dyno.id, port, dyno.spec.concurrency);
  }

  stop(dyno: Dyno): Promise<void> {
    return this.end(dyno, "SIGTERM");
  }

  kill(dyno: Dyno): Promise<void> {
    return this.end(dyno, "SIGKILL");
  }

  /** No new request for the dyno, then the signal to its process, until it exits. */
  private async end(dyno: Dyno, signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    this.router.stopRouting(dyno.id);
    const child = this.processes.get(dyno.id);
    if (!child) return;
    child.signal(signal);
    await child.exited;
  }
}

import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

/** A free TCP port on loopback (the kernel's pick; free when this resolves). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const outputLimit = 16 * 1024;

/**
 * One web dyno's process: the process type's command run by a shell, as Heroku runs a
 * Procfile line, with `PORT` (and `DYNO`) in its environment, in a process group of its own
 * so signals reach the command and everything it started.
 */
export class WebProcess {
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private output = "";
  private exitCode: number | null | undefined = undefined;

  constructor(spec: { command: string; cwd: string; env: Record<string, string>; port: number }) {
    // NODE_ENV=production unless the config says otherwise, as Heroku's Node.js buildpack sets it.
    const env: NodeJS.ProcessEnv = { NODE_ENV: "production", ...spec.env, PORT: String(spec.port) };
    this.child = spawn("/bin/sh", ["-c", spec.command], {
      cwd: spec.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-outputLimit);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      this.child.once("error", (error) => {
        keep(Buffer.from(String(error)));
        this.exitCode = null;
        resolve(null);
      });
      this.child.once("exit", (code) => {
        this.exitCode = code;
        resolve(code);
      });
    });
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The last 16 KB the process wrote (stdout and stderr), for error messages. */
  recentOutput(): string {
    return this.output;
  }

  /** Resolves once `port` accepts connections; rejects if the process exits or `timeoutMs` passes first. */
  async waitListening(port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`web process exited (${this.exitCode}) before listening on ${port}:\n${this.output}`);
      if (await accepts(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`web process did not listen on ${port} within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGTERM (Heroku's stop) or SIGKILL (the end of the grace period) to the whole process group. */
  signal(signal: "SIGTERM" | "SIGKILL"): void {
    if (!this.running || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group is already gone.
    }
  }
}

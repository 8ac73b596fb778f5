import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  waitFor: (text: string, timeoutMs: number) => Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Starts `worker/index.ts` (or another entry) as its own process with the given environment,
 * the way the Procfile does: one node process with tsx's loader, so signals reach the worker
 * itself (the tsx CLI relays them through a parent that SIGKILLs a child slow to answer).
 */
export function spawnWorker(env: Record<string, string | undefined>, entry = "worker/index.ts"): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // A test that times out never reaches its own cleanup; the worker must not outlive the file.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  return {
    child,
    output: () => output,
    exited,
    waitFor: async (text, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (Date.now() > deadline) throw new Error(`worker never printed "${text}":\n${output.slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

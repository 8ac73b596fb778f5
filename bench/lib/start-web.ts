import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { localEnv } from "@/scripts/local-env";

export interface RunningWeb {
  baseUrl: string;
  stop: () => Promise<void>;
}

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Starts the production web process (`scripts/serve.mjs`, as `npm start` runs it) on `port`
 * and waits for a green health check.
 */
export async function startWeb(port: number, extraEnv: Record<string, string> = {}): Promise<RunningWeb> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "scripts/serve.mjs")], {
    cwd: root,
    env: { ...process.env, ...localEnv({ baseUrl }), PORT: String(port), HOSTNAME_BIND: "127.0.0.1", ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web process exited with ${child.exitCode}; run \`npm run build\` first`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("the web process did not become healthy within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseUrl,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

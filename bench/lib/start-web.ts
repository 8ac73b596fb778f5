import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { localEnv } from "@/scripts/local-env";

export interface RunningWeb {
  baseUrl: string;
  stop: () => Promise<void>;
}

const root = path.resolve(import.meta.dirname, "../..");

/** Starts the production build (`next start`) on `port` and waits for a green health check. */
export async function startWeb(port: number, extraEnv: Record<string, string> = {}): Promise<RunningWeb> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, ...localEnv({ baseUrl }), ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}; run \`npm run build\` first`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("next start did not become healthy within 60 s");
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

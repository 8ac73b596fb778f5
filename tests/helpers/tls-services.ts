import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

/**
 * Postgres and Redis that speak only TLS, with a self-signed certificate, as Heroku Postgres
 * and Heroku Redis do: a throwaway Postgres cluster (initdb, `ssl = on`, `hostssl` lines only)
 * and `redis-server --port 0 --tls-port N`. Ports come from TLS_TEST_PG_PORT and
 * TLS_TEST_REDIS_PORT, or any free port.
 */
export interface TlsServices {
  /** Asks for TLS (sslmode=require), as a Heroku-style deployment's DATABASE_URL would. */
  databaseUrl: string;
  redisUrl: string;
  pgPort: number;
  redisPort: number;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function postgresBin(name: string): string {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  const version = versions[0];
  if (!version) throw new Error("no PostgreSQL server under /usr/lib/postgresql");
  return path.join("/usr/lib/postgresql", version, "bin", name);
}

/** initdb and postgres refuse to run as root: as root, they run as the postgres user. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return userInfo().uid === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

async function waitForLine(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${seen.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}): ${seen.slice(-2000)}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

export async function startTlsServices(): Promise<TlsServices> {
  const dir = mkdtempSync(path.join(tmpdir(), "ebbflow-tls-boot-"));
  const pgData = path.join(dir, "pgdata");
  const cert = path.join(dir, "server.crt");
  const key = path.join(dir, "server.key");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", key, "-out", cert], { stdio: "ignore" });
  chmodSync(key, 0o600);
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    for (const file of [dir, cert, key]) chownSync(file, uid, gid);
  }

  const pgPort = Number(process.env.TLS_TEST_PG_PORT ?? (await freePort()));
  const redisPort = Number(process.env.TLS_TEST_REDIS_PORT ?? (await freePort()));
  execFileSync(...asPostgres(postgresBin("initdb"), ["-D", pgData, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]), { stdio: "ignore" });
  writeFileSync(path.join(pgData, "pg_hba.conf"), "# TLS only: no `host` line accepts plain text\nhostssl all all 127.0.0.1/32 trust\n");
  const postgres = spawn(
    ...asPostgres(postgresBin("postgres"), [
      "-D", pgData, "-p", String(pgPort), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${dir}`,
      "-c", "ssl=on", "-c", `ssl_cert_file=${cert}`, "-c", `ssl_key_file=${key}`, "-c", "fsync=off", "-c", "max_connections=60",
    ]),
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await waitForLine(postgres, /ready to accept connections/, "TLS-only Postgres");

  const redis = spawn(
    "redis-server",
    ["--port", "0", "--tls-port", String(redisPort), "--bind", "127.0.0.1", "--tls-cert-file", cert, "--tls-key-file", key,
      "--tls-auth-clients", "no", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await waitForLine(redis, /Ready to accept connections/, "TLS-only Redis").catch(async (error: unknown) => {
    await stopChild(postgres);
    throw error;
  });

  return {
    databaseUrl: `postgresql://postgres@127.0.0.1:${pgPort}/ebbflow?sslmode=require`,
    redisUrl: `rediss://127.0.0.1:${redisPort}`,
    pgPort,
    redisPort,
    stop: async () => {
      await Promise.all([stopChild(redis), stopChild(postgres)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

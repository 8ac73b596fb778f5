import type { Redis } from "ioredis";

export type PartStatus = "up" | "down";

export interface HealthReport {
  ok: boolean;
  db: PartStatus;
  redis: PartStatus;
}

interface HealthDeps {
  pingDb: () => Promise<unknown>;
  redis: Pick<Redis, "ping">;
  timeoutMs?: number;
}

/** Checks Postgres and Redis at once; each part gets `timeoutMs` to answer. */
export async function checkHealth({ pingDb, redis, timeoutMs = 2000 }: HealthDeps): Promise<HealthReport> {
  const [db, cache] = await Promise.all([
    probe(pingDb, timeoutMs),
    probe(() => redis.ping(), timeoutMs),
  ]);
  return { ok: db === "up" && cache === "up", db, redis: cache };
}

async function probe(call: () => Promise<unknown>, timeoutMs: number): Promise<PartStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([call(), timeout]);
    return "up";
  } catch {
    return "down";
  } finally {
    clearTimeout(timer);
  }
}

import { Redis } from "ioredis";

/**
 * Deletes every key starting with `prefix` (a demo's or a test's namespace), with SCAN and
 * UNLINK so a large Redis is never blocked. Short prefixes are refused: they could match
 * someone else's keys.
 */
export async function deleteKeysWithPrefix(prefix: string, redisUrl: string): Promise<void> {
  if (prefix.length < 6) throw new Error(`refusing to delete keys with the short prefix "${prefix}"`);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
}

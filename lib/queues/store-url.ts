import { z } from "zod";

/**
 * The parts of a queue store's connection URL that Ebbflow uses, read with the WHATWG URL
 * parser and checked with zod. Only these fields reach a driver: drivers that parse URLs
 * themselves also take options from the query string (a unix socket path, another host),
 * which would bypass lib/net's address check. Null when the URL cannot be used; the
 * caller says so without echoing the URL (it holds a password).
 */
const port = z.coerce.number().int().min(1).max(65535);
const userPart = z
  .string()
  .max(1024)
  .transform((value, ctx) => {
    try {
      return decodeURIComponent(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "is not valid percent-encoding" });
      return z.NEVER;
    }
  });

export interface RedisUrl {
  tls: boolean;
  host: string;
  port: number;
  username: string;
  password: string;
  db: number;
}

export interface PostgresUrl {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  sslmode: string | undefined;
}

const redisUrl = z.object({
  protocol: z.enum(["redis:", "rediss:"]),
  hostname: z.string().min(1),
  port: z.union([z.literal("").transform(() => 6379), port]),
  username: userPart,
  password: userPart,
  pathname: z.union([z.enum(["", "/"]).transform(() => 0), z.string().regex(/^\/\d{1,5}$/).transform((path) => Number(path.slice(1)))]),
});

const postgresUrl = z.object({
  protocol: z.enum(["postgres:", "postgresql:"]),
  hostname: z.string().min(1),
  port: z.union([z.literal("").transform(() => 5432), port]),
  username: userPart,
  password: userPart,
  pathname: z.string().max(1024).pipe(userPart),
});

function urlParts(raw: string): Record<string, string> | null {
  if (!URL.canParse(raw)) return null;
  const url = new URL(raw);
  return { protocol: url.protocol, hostname: url.hostname, port: url.port, username: url.username, password: url.password, pathname: url.pathname };
}

export function parseRedisUrl(raw: string): RedisUrl | null {
  const parsed = redisUrl.safeParse(urlParts(raw));
  if (!parsed.success) return null;
  const { protocol, hostname, port: portNumber, username, password, pathname } = parsed.data;
  return { tls: protocol === "rediss:", host: hostname, port: portNumber, username, password, db: pathname };
}

export function parsePostgresUrl(raw: string): PostgresUrl | null {
  const parsed = postgresUrl.safeParse(urlParts(raw));
  if (!parsed.success) return null;
  const { hostname, port: portNumber, username, password, pathname } = parsed.data;
  const sslmode = new URL(raw).searchParams.get("sslmode")?.toLowerCase();
  return { host: hostname, port: portNumber, user: username, password, database: pathname.replace(/^\//, ""), sslmode };
}

import pino from "pino";
import { envSetting } from "@/lib/env";

/**
 * Paths whose values never reach a log line. Tokens, passwords and connection URLs are
 * secrets wherever they appear; pino replaces them with "[redacted]".
 */
export const redactedPaths = [
  "password",
  "token",
  "accessToken",
  "refreshToken",
  "access_token",
  "refresh_token",
  "oauth_grant.code",
  "authorization",
  "url",
  "redisUrl",
  "databaseUrl",
  "*.password",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.access_token",
  "*.refresh_token",
  "*.authorization",
  "*.url",
  "headers.authorization",
  "headers.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
];

/** `scheme://user:password@` → `scheme://[redacted]@`, wherever it appears in a string. */
const urlCredentials = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/]+@/gi;

export function redactUrlCredentials(text: string): string {
  return text.replace(urlCredentials, "$1[redacted]@");
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactUrlCredentials(value);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item, depth + 1)]));
}

/**
 * Errors as pino logs them, with every credential in a URL removed: Node's "Invalid URL"
 * carries the whole URL as `input`, and drivers put connection strings in messages and stacks.
 */
export function serializeError(error: unknown): unknown {
  return scrub(error instanceof Error ? pino.stdSerializers.err(error) : error, 0);
}

function createLogger() {
  const level = envSetting("LOG_LEVEL") ?? (envSetting("NODE_ENV") === "test" ? "warn" : "info");
  return pino({
    level,
    base: { service: envSetting("EBBFLOW_SERVICE") },
    redact: { paths: redactedPaths, censor: "[redacted]" },
    serializers: { err: serializeError, error: serializeError },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

const globalForLog = globalThis as unknown as { ebbflowLogger?: pino.Logger };

/** The process-wide structured logger (JSON lines on stdout). */
export const log: pino.Logger = globalForLog.ebbflowLogger ?? createLogger();
globalForLog.ebbflowLogger = log;

export type Logger = pino.Logger;

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

function createLogger() {
  const level = envSetting("LOG_LEVEL") ?? (envSetting("NODE_ENV") === "test" ? "warn" : "info");
  return pino({
    level,
    base: { service: envSetting("EBBFLOW_SERVICE") },
    redact: { paths: redactedPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

const globalForLog = globalThis as unknown as { ebbflowLogger?: pino.Logger };

/** The process-wide structured logger (JSON lines on stdout). */
export const log: pino.Logger = globalForLog.ebbflowLogger ?? createLogger();
globalForLog.ebbflowLogger = log;

export type Logger = pino.Logger;

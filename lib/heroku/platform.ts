import type { IncomingMessage } from "node:http";
import Heroku, { type HerokuApiError } from "heroku-client";
import { z } from "zod";
import { env } from "@/lib/env";

/** A Platform API client acting with one token (heroku-client, pointed at HEROKU_API_URL). */
export function platformClient(token: string, onResponse?: (response: IncomingMessage) => void): Heroku {
  return new Heroku({
    token,
    host: env().HEROKU_API_URL,
    timeout: 10_000,
    userAgent: "ebbflow",
    headers: { Accept: "application/vnd.heroku+json; version=3" },
    ...(onResponse
      ? {
          middleware: (response: IncomingMessage, next: () => void) => {
            onResponse(response);
            next();
          },
        }
      : {}),
  });
}

/** The parts of an add-on (GET /addons/{id}) that Ebbflow reads. */
export const addonInfoSchema = z.looseObject({
  id: z.uuid(),
  name: z.string(),
  app: z.looseObject({ id: z.uuid(), name: z.string() }),
  plan: z.looseObject({ name: z.string() }).optional(),
});

/** The parts of an app (GET /apps/{app}) that Ebbflow reads. */
export const appInfoSchema = z.looseObject({
  id: z.uuid(),
  name: z.string(),
  owner: z.looseObject({ id: z.uuid(), email: z.string() }).optional(),
});

/** The parts of an account (GET /account) that Ebbflow reads. */
export const accountSchema = z.looseObject({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable().optional(),
});

export function statusOf(error: unknown): number | undefined {
  return (error as HerokuApiError | undefined)?.statusCode;
}

/** Heroku's error id ("rate_limit", "cannot_run_above_limit", …) when the body has one. */
export function errorIdOf(error: unknown): string | undefined {
  const parsed = z.object({ id: z.string() }).safeParse((error as HerokuApiError | undefined)?.body);
  return parsed.success ? parsed.data.id : undefined;
}

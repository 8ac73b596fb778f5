import { db } from "@/lib/db/client";

/**
 * Finds a person by their Heroku user id, creating them on first visit. The email (and name)
 * are attributes brought up to date on each sign-in: a Heroku user may change their email, and
 * another account may later hold the old one, so an email never identifies anyone here.
 * Callers pass only a Heroku user id that Heroku vouched for (OAuth /account, or the
 * user-scoped SSO token).
 */
export async function upsertHerokuUser(input: { herokuUserId: string; email: string; name?: string | null }) {
  const email = input.email.trim().toLowerCase();
  const herokuUserId = input.herokuUserId.toLowerCase();
  return db.user.upsert({
    where: { herokuUserId },
    create: { herokuUserId, email, name: input.name ?? null },
    update: { email, ...(input.name ? { name: input.name } : {}) },
    select: { id: true, email: true, name: true },
  });
}

import { db } from "@/lib/db/client";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Finds the user by email (Heroku's identity for a person), creating them on first visit. */
export async function upsertUser(input: { email: string; name?: string | null; herokuUserId?: string | null }) {
  const email = input.email.trim().toLowerCase();
  const herokuUserId = input.herokuUserId && uuidPattern.test(input.herokuUserId) ? input.herokuUserId : null;
  return db.user.upsert({
    where: { email },
    create: { email, name: input.name ?? null, herokuUserId },
    update: herokuUserId ? { herokuUserId, ...(input.name ? { name: input.name } : {}) } : {},
    select: { id: true, email: true, name: true },
  });
}

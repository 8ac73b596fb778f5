import { cookies } from "next/headers";
import { decodeSession, sessionCookieName, type SessionClaims } from "@/lib/auth/session-token";

/** The signed-in user of this request (route handler, server component or action), or null. */
export async function getSession(): Promise<SessionClaims | null> {
  const jar = await cookies();
  return decodeSession(jar.get(sessionCookieName())?.value);
}

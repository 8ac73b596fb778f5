import type { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { encodeSession, sessionCookieName, sessionMaxAgeSeconds, type SessionClaims } from "@/lib/auth/session-token";

/** Sets the session cookie (httpOnly, Lax, Secure over https) on a response. */
export async function setSessionCookie(response: NextResponse, claims: SessionClaims): Promise<void> {
  response.cookies.set(sessionCookieName(), await encodeSession(claims), {
    httpOnly: true,
    sameSite: "lax",
    secure: env().APP_URL.startsWith("https://"),
    path: "/",
    maxAge: sessionMaxAgeSeconds(claims),
  });
}

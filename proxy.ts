import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { checkOrigin } from "@/lib/http/check-origin";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/http/request-id";
import { securityHeaders } from "@/lib/http/security-headers";

/**
 * Runs before every page, dashboard handler and next-auth endpoint:
 * - refuses a state-changing request from another origin (CSRF) with 403, and a path with a
 *   malformed %-escape with 400;
 * - gives the request an id (Heroku's router sends X-Request-ID; we keep it) and echoes it;
 * - adds the Content-Security-Policy (with a fresh nonce) and the other security headers.
 *
 * Not here, by the matcher below: the endpoints other sites must be able to post to, each of
 * which proves itself by other means (Heroku's SSO form post by its signed token, the Partner
 * API by Basic auth, Stripe's and Heroku's webhooks by their signatures, agents by their
 * bearer token), plus health and metrics. Their handlers get a request id from `handle()`, which also spares the Partner API
 * and agents a pass through this layer on their hot path.
 */
export function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const headers = securityHeaders(nonce, { development: process.env.NODE_ENV === "development" });

  const refusal = malformedPath(request.nextUrl.pathname)
    ? refuse(400, "bad_request", "The address has a malformed %-escape")
    : refuseCrossOrigin(request);
  const response = refusal ?? passOn(request, requestId, headers["content-security-policy"]);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

function refuse(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ error: { code, message }, message }, { status });
}

function refuseCrossOrigin(request: NextRequest): NextResponse | null {
  const refusal = checkOrigin(request, new URL(env().APP_URL).origin);
  return refusal ? refuse(403, "forbidden", refusal) : null;
}

/** Next.js would fail decoding `%zz` in a dynamic segment with a 500; it is the client's mistake. */
function malformedPath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

function passOn(request: NextRequest, requestId: string, policy: string | undefined): NextResponse {
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  // Next.js reads the nonce for its own scripts from the policy on the request.
  if (policy) headers.set("content-security-policy", policy);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: "/((?!api/v1/reports|api/stripe/webhook|api/heroku/webhooks|api/health|heroku/|metrics|_next/static|_next/image|favicon.ico).*)",
};

import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/http/request-id";

/**
 * Gives every page request an id (Heroku's router sends X-Request-ID; we keep it) and echoes
 * it. Route handlers under /api and /heroku get theirs from `handle()` instead, which saves
 * the Partner API and agents a pass through this layer on their hot path.
 */
export function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export const config = { matcher: "/((?!api/|heroku/|metrics|_next/static|_next/image|favicon.ico).*)" };

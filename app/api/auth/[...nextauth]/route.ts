import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/auth-options";
import { handle } from "@/lib/http/handle";
import { readForm } from "@/lib/http/read-form";

export const dynamic = "force-dynamic";

type Params = { nextauth: string[] };

/**
 * next-auth's endpoints: sign in with Heroku, its OAuth callback, sign out, CSRF, session.
 * next-auth's own forms post `application/x-www-form-urlencoded`; a POST is read through the
 * capped form reader first (413, 415 for anything else) and handed on as the same fields, so
 * next-auth never reads an unbounded or unparseable body.
 */
export const GET = handle<Params>(async (request, { params }) => NextAuth(authOptions())(request, { params: Promise.resolve(params) }));

export const POST = handle<Params>(async (request, { params }) => {
  const fields = await readForm(request);
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  const buffered = new NextRequest(request.url, { method: "POST", headers, body: new URLSearchParams(fields).toString() });
  return NextAuth(authOptions())(buffered, { params: Promise.resolve(params) });
});

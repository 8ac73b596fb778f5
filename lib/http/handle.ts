import { NextResponse, type NextRequest } from "next/server";
import { ZodError } from "zod";
import { isAppError } from "@/lib/errors";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/http/request-id";
import { log, type Logger } from "@/lib/log";

export interface HandlerContext<Params> {
  params: Params;
  requestId: string;
  log: Logger;
}

type Handler<Params> = (request: NextRequest, context: HandlerContext<Params>) => Promise<Response>;

/**
 * Wraps a route handler: gives it a request id and a logger that carries it, and turns every
 * error into a response. AppError → its status and message; ZodError → 422 naming the fields;
 * anything else is logged with context and answered with a plain 500 that leaks nothing.
 */
export function handle<Params = Record<string, never>>(handler: Handler<Params>) {
  return async (request: NextRequest, segment: { params: Promise<Params> }): Promise<Response> => {
    const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    const requestLog = log.child({ requestId, method: request.method, path: request.nextUrl.pathname });
    let response: Response;
    try {
      response = await handler(request, { params: await segment.params, requestId, log: requestLog });
    } catch (error) {
      response = errorResponse(error, requestLog);
    }
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  };
}

export function errorResponse(error: unknown, requestLog: Logger = log): Response {
  if (isAppError(error)) {
    const retryAfter = error.details?.retryAfterSeconds;
    const headers: Record<string, string> = typeof retryAfter === "number" ? { "retry-after": String(retryAfter) } : {};
    return NextResponse.json({ error: error.code, message: error.message }, { status: error.status, headers });
  }
  if (error instanceof ZodError) {
    return NextResponse.json(
      { error: "invalid_params", message: describeZodError(error) },
      { status: 422 },
    );
  }
  requestLog.error({ err: error }, "unhandled error");
  return NextResponse.json({ error: "internal", message: "Something went wrong on our side." }, { status: 500 });
}

/** "queues.0.depth: Invalid input: expected number, received string; plan: Required" */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

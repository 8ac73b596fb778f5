import { NextResponse, type NextRequest } from "next/server";
import { z, ZodError } from "zod";
import { appErrorFromStripe } from "@/lib/billing/stripe-error";
import { AppError, isAppError } from "@/lib/errors";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/http/request-id";
import { validationIssues, type ValidationIssue } from "@/lib/http/validation-error";
import { log, type Logger } from "@/lib/log";

export interface HandlerContext<Params> {
  params: Params;
  requestId: string;
  log: Logger;
}

type Handler<Params> = (request: NextRequest, context: HandlerContext<Params>) => Promise<Response>;

/**
 * Wraps a route handler: gives it a request id and a logger that carries it, and turns every
 * error into a response. AppError → its status and message; ZodError → 422 with one issue per field;
 * anything else is logged with context and answered with a plain 500 that leaks nothing.
 */
export function handle<Params = Record<string, never>>(handler: Handler<Params>) {
  return async (request: NextRequest, segment: { params: Promise<Params> }): Promise<Response> => {
    const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
    const requestLog = log.child({ requestId, method: request.method, path: request.nextUrl.pathname });
    let response: Response;
    try {
      response = await handler(request, { params: await paramsOf(segment), requestId, log: requestLog });
    } catch (error) {
      response = errorResponse(error, requestLog);
    }
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  };
}

/** A path segment Next.js cannot decode (`%zz`) is the client's mistake: 400, not 500. */
async function paramsOf<Params>(segment: { params: Promise<Params> }): Promise<Params> {
  try {
    return await segment.params;
  } catch (error) {
    if (error instanceof URIError || (error instanceof Error && error.name === "DecodeError")) {
      throw new AppError("bad_request", "The address has a malformed %-escape");
    }
    throw error;
  }
}

export function errorResponse(thrown: unknown, requestLog: Logger = log): Response {
  const stripeError = appErrorFromStripe(thrown);
  if (stripeError) requestLog.warn({ err: thrown }, "stripe refused");
  const error = stripeError ?? thrown;
  if (isAppError(error)) {
    const retryAfter = error.details?.retryAfterSeconds;
    const headers: Record<string, string> = typeof retryAfter === "number" ? { "retry-after": String(retryAfter) } : {};
    return errorJson(error.code, error.message, error.status, issuesOf(error.details?.issues), headers);
  }
  if (error instanceof ZodError) return errorJson("invalid_params", describeZodError(error), 422, validationIssues(error));
  requestLog.error({ err: error }, "unhandled error");
  return errorJson("internal", "Something went wrong on our side.", 500);
}

/**
 * Every refusal has one shape: `{ error: { code, message, issues? }, message }`. `issues` lists
 * the fields that failed validation (path, message) for forms to show beside each field; the
 * top-level `message` repeats the error's because Heroku shows a Partner API answer's `message`.
 */
function errorJson(code: string, message: string, status: number, issues?: ValidationIssue[], headers: Record<string, string> = {}): Response {
  return NextResponse.json({ error: { code, message, ...(issues ? { issues } : {}) }, message }, { status, headers });
}

const issueListSchema = z.array(z.object({ path: z.string(), message: z.string() }));

function issuesOf(value: unknown): ValidationIssue[] | undefined {
  const parsed = issueListSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** "queues.0.depth: Invalid input: expected number, received string; plan: Required" */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

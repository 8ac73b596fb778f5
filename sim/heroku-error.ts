/**
 * An error the simulator answers the way Heroku does: an HTTP status and a JSON body with
 * Heroku's error `id` and a human `message` (plus any extra fields Heroku adds, such as
 * `url` on scaling-limit errors).
 */
export class HerokuError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly extra: Record<string, string | number> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HerokuError";
  }

  toBody(): Record<string, string | number> {
    return { ...this.extra, id: this.id, message: this.message };
  }
}

/** Heroku's default-scaling-limits article, which its limit errors link to. */
const scalingLimitsUrl = "https://devcenter.heroku.com/articles/dyno-size#default-scaling-limits";

export const herokuErrors = {
  unauthorized: (message = "Invalid credentials provided.") => new HerokuError(401, "unauthorized", message),
  forbidden: (message: string) => new HerokuError(403, "forbidden", message),
  notFound: (message: string) => new HerokuError(404, "not_found", message),
  /** What Heroku answers when the Accept header does not ask for version 3. */
  missingVersion: () =>
    new HerokuError(
      404,
      "not_found",
      "The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`), and did you specify your intended version with the `Accept` header?",
    ),
  badRequest: (message = "Request invalid, validate usage and try again.") =>
    new HerokuError(400, "bad_request", message),
  invalidParams: (message: string) => new HerokuError(422, "invalid_params", message),
  rateLimit: () =>
    new HerokuError(
      429,
      "rate_limit",
      "Your account reached the API rate limit\nPlease wait a few minutes before making new requests",
    ),
  cannotRunAboveLimit: (message: string, limit: number, sizeName: string) =>
    new HerokuError(422, "cannot_run_above_limit", message, { limit, size: sizeName, url: scalingLimitsUrl }),
  serviceUnavailable: () =>
    new HerokuError(503, "service_unavailable", "The service is temporarily unavailable. Please try again later."),
  internal: () => new HerokuError(500, "internal_server_error", "Internal server error."),
};

import type { IncomingHttpHeaders } from "node:http";

/** Which part of Heroku a request is for: the Platform API, the ID (OAuth) side, or the sim's admin API. */
export type Surface = "api" | "id" | "admin";

export interface SimRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  remoteAddress: string;
}

export interface SimResponse {
  status: number;
  /** Serialised as JSON unless `text` is given. */
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /**
   * The body carries more than the schema's properties, as Heroku's answers do when the
   * client asks for them (`Accept-Expansion`, legacy provider messages): checked with every
   * schema rule except interagent's strictProperties.
   */
  extraProperties?: boolean;
}

/** Reported for every Platform API response, so tests can check each against the schema. */
export interface ApiResponseEvent {
  method: string;
  path: string;
  status: number;
  body: unknown;
  /** See SimResponse.extraProperties. */
  extraProperties?: boolean;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers };
}

/** The header that carries a request's id from the edge to every log line it causes. */
export const REQUEST_ID_HEADER = "x-request-id";

const acceptable = /^[A-Za-z0-9._-]{8,128}$/;

/** Keeps a well-formed incoming id (from Heroku's router) and makes one otherwise. */
export function requestIdFrom(incoming: string | null): string {
  return incoming && acceptable.test(incoming) ? incoming : crypto.randomUUID();
}

/** Methods that never change state here: they pass the Origin check. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request may change state, judged by where the browser says it comes from: a
 * state-changing request whose `Origin` is not Ebbflow's own is refused, as is one that has no
 * Origin but whose `Sec-Fetch-Site` says another site sent it. A request with neither header
 * comes from something that is not a browser, which holds no visitor's cookies to ride on, and
 * passes (it still needs its own credentials). `Origin: null` (sandboxed frames, opaque
 * redirects) is refused. Returns why it is refused, or null when it may go on.
 */
export function checkOrigin(request: Request, appOrigin: string): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const origin = request.headers.get("origin");
  if (origin !== null) return origin === appOrigin ? null : `Origin ${JSON.stringify(origin.slice(0, 100))} may not change anything here`;
  const site = request.headers.get("sec-fetch-site");
  if (site === null || site === "same-origin" || site === "none") return null;
  return `A ${site} request may not change anything here`;
}

/** The least time between two enqueue wakes the agent acts on. */
export const WAKE_GAP_MS = 5_000;

/**
 * Reads EBBFLOW_URL and DYNO. Returns null when EBBFLOW_URL is unset, empty or unreadable:
 * the agent then does nothing at all.
 */
export function readConfig(env = process.env, options = {}) {
  const raw = options.url ?? env.EBBFLOW_URL;
  if (!raw) return null;
  let url;
  try {
    url = new URL(raw);
  } catch {
    warnOnce("EBBFLOW_URL is not a URL; Ebbflow agent disabled");
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const token = decodeURIComponent(url.password || url.username || "");
  url.username = "";
  url.password = "";
  url.search = "";
  url.hash = "";
  const base = url.toString().replace(/\/+$/, "");
  const dyno = options.dyno ?? env.DYNO ?? "local.1";
  const dot = dyno.lastIndexOf(".");
  const dynoType = dot > 0 ? dyno.slice(0, dot) : dyno;
  return {
    endpoint: `${base}/api/v1/reports`,
    token,
    dyno,
    processType: options.processType ?? (env.DYNO ? dynoType : "worker"),
    intervalMs: options.intervalMs ?? 10_000,
    timeoutMs: options.timeoutMs ?? 5_000,
    maxBuffered: options.maxBuffered ?? 60,
    maxBackoffMs: options.maxBackoffMs ?? 300_000,
    wakeGapMs: options.wakeGapMs ?? WAKE_GAP_MS,
  };
}

let warned = false;
function warnOnce(message) {
  if (warned) return;
  warned = true;
  console.warn(`[ebbflow] ${message}`);
}

import { readConfig, WAKE_GAP_MS } from "./config.js";
import { queueTimeMs } from "./request-start.js";
import { WebStats } from "./web-stats.js";

export const VERSION = "0.1.0";
export { WAKE_GAP_MS };
const PROTOCOL = 2;

/**
 * The agent: one timer per process that, every window (10 s), reads each job source through
 * its library's API, adds the window's web queue times, and POSTs one report per process type
 * to Ebbflow. Failed reports wait in a bounded buffer (oldest dropped first) and are retried
 * with exponential backoff and jitter. While Ebbflow has some process type at zero, `wake()`
 * (a job was just enqueued) runs one window early; so does an answer that quiets this dyno, so
 * Ebbflow hears at once that it is quiet. Only one window runs at a time, and nothing here ever
 * throws into the host app.
 */
export class Agent {
  constructor(config, { fetchImpl = globalThis.fetch, logger = console } = {}) {
    this.config = config;
    this.enabled = config !== null;
    this.fetchImpl = fetchImpl;
    this.logger = logger;
    this.sources = [];
    this.web = new WebStats();
    this.webSeen = false;
    this.buffer = [];
    this.dropped = 0;
    this.failures = 0;
    this.nextAttemptAt = 0;
    this.quiet = false;
    this.timer = null;
    this.cycle = null;
    this.wakePending = false;
    this.lastWakeAt = -Infinity;
    this.atZero = new Set();
    this.lastWarnAt = 0;
    this.sent = 0;
    this.stopped = false;
  }

  /**
   * Adds a job source ({ processType?, collect(), busy(), quiet(), attach(agent)? }) and starts
   * the timer. `attach` lets the source hook its library's enqueue event to `wake()`.
   */
  use(source) {
    if (!this.enabled) return this;
    this.sources.push(source);
    try {
      source.attach?.(this);
    } catch (error) {
      this.warn("could not hook a job source's enqueue event", error);
    }
    this.start();
    return this;
  }

  /**
   * A job was just enqueued. When Ebbflow's last answer for some process type said it is at zero
   * dynos, and the last wake acted on is at least `wakeGapMs` old, the reporter runs one window
   * now (on its timer, never on the caller's stack) and the regular window restarts from then.
   * Otherwise nothing. Cheap; never throws. Returns whether it acted.
   */
  wake(nowMs = Date.now()) {
    if (!this.enabled || this.stopped || this.atZero.size === 0) return false;
    try {
      if (nowMs - this.lastWakeAt < this.config.wakeGapMs) return false;
      this.lastWakeAt = nowMs;
      if (this.cycle) {
        // A window is running: the next one follows it at once.
        this.wakePending = true;
      } else {
        this.schedule(0);
      }
      return true;
    } catch (error) {
      this.warn("could not wake the reporter", error);
      return false;
    }
  }

  /** Records one request's queue time from its X-Request-Start header. Never throws. */
  recordRequest(requestStartHeader, bodyWaitMs = 0, nowMs = Date.now()) {
    if (!this.enabled) return;
    try {
      const ms = queueTimeMs(requestStartHeader, nowMs, bodyWaitMs);
      if (!this.webSeen) {
        this.webSeen = true;
        this.start();
      }
      if (ms !== null) this.web.record(ms);
    } catch (error) {
      this.warn("could not record a request", error);
    }
  }

  start() {
    if (!this.enabled || this.timer || this.cycle || this.stopped) return;
    this.schedule();
  }

  /** Sets the one timer (replacing a pending one); the next window is scheduled when it ends. */
  schedule(delayMs = this.config.intervalMs) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.cycle = this.tick()
        .catch((error) => this.warn("report cycle failed", error))
        .finally(() => {
          this.cycle = null;
          if (this.stopped) return;
          const woken = this.wakePending;
          this.wakePending = false;
          this.schedule(woken ? 0 : this.config.intervalMs);
        });
    }, delayMs);
    this.timer.unref?.();
  }

  /** Stops the timer; sends what is buffered once more when `flush` is set. */
  async stop({ flush = false } = {}) {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wakePending = false;
    if (flush && this.enabled) {
      await this.cycle;
      await this.flush(true).catch((error) => this.warn("final flush failed", error));
    }
  }

  /** One window: collect, buffer, and send when not backing off. */
  async tick(nowMs = Date.now()) {
    for (const report of await this.collect(nowMs)) this.enqueue(report);
    await this.flush(false, nowMs);
  }

  async collect(nowMs = Date.now()) {
    const byType = new Map();
    const reportFor = (processType) => {
      if (!byType.has(processType)) byType.set(processType, { protocol: PROTOCOL, process_type: processType, queues: [], dynos: [] });
      return byType.get(processType);
    };
    let busy = 0;
    for (const source of this.sources) {
      try {
        const queues = await source.collect(nowMs);
        reportFor(source.processType ?? this.config.processType).queues.push(...queues);
        busy += source.busy();
      } catch (error) {
        this.warn("could not read a job source", error);
      }
    }
    if (this.webSeen) reportFor(this.config.processType).web = this.web.take(nowMs);
    for (const report of byType.values()) {
      report.queues = report.queues.slice(0, 200);
      report.dynos.push({ name: this.config.dyno, quiet: this.quiet, busy });
    }
    return [...byType.values()];
  }

  enqueue(report) {
    this.buffer.push(report);
    while (this.buffer.length > this.config.maxBuffered) {
      this.buffer.shift();
      this.dropped += 1;
    }
  }

  /** Sends buffered reports oldest first; stops at the first retryable failure. */
  async flush(force = false, nowMs = Date.now()) {
    if (!force && nowMs < this.nextAttemptAt) return;
    while (this.buffer.length > 0) {
      const outcome = await this.send(this.buffer[0]);
      if (outcome.kind === "retry") {
        this.failures += 1;
        const backoff = Math.min(this.config.maxBackoffMs, this.config.intervalMs * 2 ** this.failures) * (0.5 + Math.random() / 2);
        this.nextAttemptAt = Date.now() + Math.max(backoff, outcome.retryAfterMs ?? 0);
        return;
      }
      const report = this.buffer.shift();
      this.failures = 0;
      this.nextAttemptAt = 0;
      if (outcome.kind === "ok") {
        this.sent += 1;
        this.remember(report, outcome.body);
        await this.follow(outcome.body);
      }
    }
  }

  async send(report) {
    try {
      const response = await this.fetchImpl(this.config.endpoint, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.config.token}`,
          "content-type": "application/json",
          "user-agent": `ebbflow-node/${VERSION}`,
        },
        body: JSON.stringify(report),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      const text = await response.text();
      if (response.status === 429 || response.status >= 500) {
        const retryAfter = Number(response.headers.get("retry-after"));
        this.warn(`Ebbflow answered ${response.status}; will retry`);
        return { kind: "retry", retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 0 };
      }
      if (response.status >= 400) {
        this.warn(`Ebbflow refused a report (${response.status}): ${text.slice(0, 200)}`);
        return { kind: "dropped" };
      }
      let body = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { kind: "ok", body };
    } catch (error) {
      this.warn("could not reach Ebbflow; will retry", error);
      return { kind: "retry" };
    }
  }

  /** Keeps whether Ebbflow left the report's process type at zero (a missing field means no). */
  remember(report, body) {
    if (body?.scaled_to_zero === true) this.atZero.add(report.process_type);
    else this.atZero.delete(report.process_type);
  }

  /**
   * Follows the answer's instructions: quiet this dyno's job libraries when named, then run one
   * window right after the current one, so Ebbflow hears `quiet: true` and the busy count at once
   * rather than a whole window later. Once per process (quiet is one-way).
   */
  async follow(body) {
    const quiet = body?.instructions?.quiet;
    if (this.quiet || !Array.isArray(quiet) || !quiet.includes(this.config.dyno)) return;
    this.quiet = true;
    for (const source of this.sources) {
      try {
        await source.quiet();
      } catch (error) {
        this.warn("could not quiet a job source", error);
      }
    }
    this.reportSoon();
  }

  /**
   * Runs one window as soon as the current one (if any) ends, on the timer, and the regular
   * window restarts from it. Unlike `wake()`, no gap and no process type at zero are needed.
   */
  reportSoon() {
    if (!this.enabled || this.stopped) return;
    try {
      if (this.cycle) {
        this.wakePending = true;
      } else {
        this.schedule(0);
      }
    } catch (error) {
      this.warn("could not schedule a report", error);
    }
  }

  /** At most one warning a minute, so an unreachable Ebbflow does not flood the logs. */
  warn(message, error) {
    const now = Date.now();
    if (now - this.lastWarnAt < 60_000) return;
    this.lastWarnAt = now;
    this.logger.warn?.(`[ebbflow] ${message}${error ? `: ${error.message ?? error}` : ""}`);
  }
}

/** An agent configured from the environment (nothing at all when EBBFLOW_URL is unset). */
export function createAgent(options = {}) {
  return new Agent(readConfig(options.env ?? process.env, options), options);
}

/**
 * One window of request queue times. `record` is O(1) and allocation-free past the first
 * window; at most `capacity` samples are kept (reservoir sampling beyond that), so memory is
 * bounded whatever the request rate.
 */
export class WebStats {
  constructor(capacity = 10_000) {
    this.capacity = capacity;
    this.samples = new Float64Array(capacity);
    this.count = 0;
    this.startedAt = Date.now();
  }

  record(ms) {
    const seen = this.count++;
    if (seen < this.capacity) this.samples[seen] = ms;
    else {
      const slot = Math.floor(Math.random() * (seen + 1));
      if (slot < this.capacity) this.samples[slot] = ms;
    }
  }

  /** The window's summary for the report, and a fresh window. */
  take(nowMs = Date.now()) {
    const requests = this.count;
    const windowSeconds = Math.min(3600, Math.max(1, Math.round((nowMs - this.startedAt) / 1000)));
    const kept = Math.min(requests, this.capacity);
    const sorted = Array.from(this.samples.subarray(0, kept)).sort((a, b) => a - b);
    this.count = 0;
    this.startedAt = nowMs;
    const summary = { window_seconds: windowSeconds, requests };
    if (kept > 0) {
      const at = (p) => round(Math.min(3_600_000, sorted[Math.min(kept - 1, Math.ceil((p / 100) * kept) - 1)]));
      summary.queue_time_ms = { p50: at(50), p95: at(95), p99: at(99) };
    }
    return summary;
  }
}

function round(ms) {
  return Math.round(ms * 100) / 100;
}

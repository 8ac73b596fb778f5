import random
import threading
import time


def parse_request_start(value):
    """X-Request-Start (Heroku: ms since the epoch; nginx: t=<s>.<frac>) → ms since the epoch."""
    if not value:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if value.startswith("t="):
        value = value[2:]
    try:
        number = float(value)
    except ValueError:
        return None
    if number != number or number <= 0 or number == float("inf"):
        return None
    if number < 1e11:
        return number * 1000.0
    if number < 1e14:
        return number
    if number < 1e17:
        return number / 1000.0
    return number / 1e6


def queue_time_ms(header, now_ms=None, body_wait_ms=0.0):
    """now − X-Request-Start − body wait, clamped at 0; None when the header is unreadable."""
    start = parse_request_start(header)
    if start is None:
        return None
    now_ms = time.time() * 1000.0 if now_ms is None else now_ms
    return max(0.0, now_ms - start - max(0.0, body_wait_ms or 0.0))


class WebStats:
    """One window of queue times: bounded (reservoir sampling past `capacity`), thread-safe."""

    def __init__(self, capacity=10000):
        self.capacity = capacity
        self.samples = []
        self.count = 0
        self.started_at = time.time()
        self.lock = threading.Lock()

    def record(self, ms):
        with self.lock:
            seen = self.count
            self.count += 1
            if seen < self.capacity:
                self.samples.append(ms)
            else:
                slot = random.randint(0, seen)
                if slot < self.capacity:
                    self.samples[slot] = ms

    def take(self, now=None):
        now = time.time() if now is None else now
        with self.lock:
            samples, requests, started = self.samples, self.count, self.started_at
            self.samples, self.count, self.started_at = [], 0, now
        summary = {"window_seconds": min(3600, max(1, round(now - started))), "requests": requests}
        if samples:
            samples.sort()
            n = len(samples)

            def at(p):
                index = min(n - 1, max(0, -(-p * n // 100) - 1))
                return round(min(3600000.0, samples[int(index)]), 2)

            summary["queue_time_ms"] = {"p50": at(50), "p95": at(95), "p99": at(99)}
        return summary

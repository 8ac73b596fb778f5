"""The reporter: one daemon thread per process that, every 10 s, reads each job source through
its library's API, adds the window's web queue times, and POSTs one report per process type.
Failed reports wait in a bounded deque (oldest dropped first) and are retried with exponential
backoff and jitter. While Ebbflow answers that a process type is at zero dynos, `wake()` (called
by the library hooks when a job is enqueued) has the reporter run one cycle at once; so does an
answer that quiets this dyno, right after the current cycle. Nothing here raises into the host
app."""
import json
import logging
import os
import random
import threading
import time
import urllib.error
import urllib.request
from collections import deque

from .config import WAKE_GAP_SECONDS, read_config
from .web import WebStats, queue_time_ms

VERSION = "0.1.0"
PROTOCOL = 2
log = logging.getLogger("ebbflow")


class Agent:
    def __init__(self, config, opener=None):
        self.config = config
        self.enabled = config is not None
        self.sources = []
        self.web = WebStats()
        self.web_seen = False
        self.buffer = deque()
        self.dropped = 0
        self.failures = 0
        self.next_attempt_at = 0.0
        self.quiet = False
        self.sent = 0
        self.last_warn_at = 0.0
        self.lock = threading.Lock()
        self.thread = None
        self.pid = None
        self.stopping = threading.Event()
        self.waking = threading.Event()  # set by wake(), quieting and stop(): the reporter stops waiting
        self.cycle = threading.Lock()  # one report cycle at a time
        self.scaled_to_zero = {}  # process type -> the last answer's scaled_to_zero
        self.last_wake_at = None
        self.opener = opener or urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # Host-app side: cheap, never raises.
    def use(self, source):
        if not self.enabled:
            return self
        with self.lock:
            self.sources.append(source)
        self.start()
        return self

    def record_request(self, request_start, body_wait_ms=0.0):
        if not self.enabled:
            return
        try:
            ms = queue_time_ms(request_start, None, body_wait_ms)
            if not self.web_seen or self.pid != os.getpid():
                self.web_seen = True
                self.start()
            if ms is not None:
                self.web.record(ms)
        except Exception as error:  # never into the app
            self.warn("could not record a request", error)

    def wake(self):
        """A job was just enqueued. While the last answer for some process type said it is at zero
        dynos, the reporter runs one cycle now (on its own thread) and its window restarts from
        then; at most once per `wake_gap` seconds. Otherwise nothing. No I/O here."""
        if not self.enabled or self.stopping.is_set():
            return
        try:
            now = time.monotonic()
            with self.lock:
                if True not in self.scaled_to_zero.values():
                    return
                if self.last_wake_at is not None and now - self.last_wake_at < self.config.get("wake_gap", WAKE_GAP_SECONDS):
                    return
                self.last_wake_at = now
            self.waking.set()
            self.start()
        except Exception as error:  # never into the app
            self.warn("could not wake the reporter", error)

    def start(self):
        if not self.enabled or self.stopping.is_set():
            return
        with self.lock:
            # After a fork (gunicorn, RQ, Celery prefork) the thread is gone: start one here.
            if self.thread is not None and self.pid == os.getpid() and self.thread.is_alive():
                return
            if self.pid != os.getpid():
                self.cycle = threading.Lock()  # the parent's may have been held at the fork
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self._run, name="ebbflow-reporter", daemon=True)
            self.thread.start()

    def stop(self, flush=False):
        self.stopping.set()
        self.waking.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout=self.config["timeout"] + 1 if self.enabled else 1)
        if flush and self.enabled:
            with self.cycle:
                self.flush(force=True)

    def _run(self):
        # A wake ends the wait early; either way the next window starts after this cycle.
        while True:
            self.waking.wait(self.config["interval"])
            if self.stopping.is_set():
                return
            self.waking.clear()
            try:
                with self.cycle:
                    self.tick()
            except Exception as error:
                self.warn("report cycle failed", error)

    # Reporter side.
    def tick(self):
        for report in self.collect():
            self.enqueue(report)
        self.flush()

    def collect(self):
        reports = {}

        def report_for(process_type):
            if process_type not in reports:
                reports[process_type] = {"protocol": PROTOCOL, "process_type": process_type, "queues": [], "dynos": []}
            return reports[process_type]

        busy = 0
        with self.lock:
            sources = list(self.sources)
        for source in sources:
            try:
                queues = source.collect()
                report_for(getattr(source, "process_type", None) or self.config["process_type"])["queues"].extend(queues)
                busy += int(source.busy())
            except Exception as error:
                self.warn("could not read a job source", error)
        if self.web_seen:
            report_for(self.config["process_type"])["web"] = self.web.take()
        for report in reports.values():
            report["queues"] = report["queues"][:200]
            report["dynos"].append({"name": self.config["dyno"], "quiet": self.quiet, "busy": busy})
        return list(reports.values())

    def enqueue(self, report):
        self.buffer.append(report)
        while len(self.buffer) > self.config["max_buffered"]:
            self.buffer.popleft()
            self.dropped += 1

    def flush(self, force=False):
        if not force and time.time() < self.next_attempt_at:
            return
        while self.buffer:
            report = self.buffer[0]
            kind, detail = self.send(report)
            if kind == "retry":
                self.failures += 1
                backoff = min(self.config["max_backoff"], self.config["interval"] * 2 ** self.failures) * random.uniform(0.5, 1.0)
                self.next_attempt_at = time.time() + max(backoff, detail or 0)
                return
            self.buffer.popleft()
            self.failures = 0
            self.next_attempt_at = 0.0
            if kind == "ok":
                self.sent += 1
                self.follow(detail, report.get("process_type"))

    def send(self, report):
        request = urllib.request.Request(
            self.config["endpoint"],
            data=json.dumps(report).encode(),
            method="POST",
            headers={
                "Authorization": "Bearer " + self.config["token"],
                "Content-Type": "application/json",
                "User-Agent": "ebbflow-python/" + VERSION,
            },
        )
        try:
            with self.opener.open(request, timeout=self.config["timeout"]) as response:
                text = response.read()
            try:
                return "ok", json.loads(text)
            except ValueError:
                return "ok", None
        except urllib.error.HTTPError as error:
            if error.code == 429 or error.code >= 500:
                self.warn("Ebbflow answered %s; will retry" % error.code)
                try:
                    retry_after = float(error.headers.get("Retry-After") or 0)
                except ValueError:
                    retry_after = 0
                return "retry", retry_after
            self.warn("Ebbflow refused a report (%s)" % error.code)
            return "dropped", None
        except Exception as error:
            self.warn("could not reach Ebbflow; will retry", error)
            return "retry", 0

    def follow(self, body, process_type=None):
        if not isinstance(body, dict):
            body = {}
        if process_type is not None:
            with self.lock:  # a missing field (an older Ebbflow) means not at zero
                self.scaled_to_zero[process_type] = body.get("scaled_to_zero") is True
        try:
            quiet = body.get("instructions", {}).get("quiet") or []
        except AttributeError:
            return
        if self.quiet or self.config["dyno"] not in quiet:
            return
        self.quiet = True
        for source in list(self.sources):
            try:
                source.quiet()
            except Exception as error:
                self.warn("could not quiet a job source", error)
        self.report_quiet()

    def report_quiet(self):
        """This dyno was just quieted: the reporter runs one cycle as soon as the current one ends
        (not a window later), so Ebbflow hears `quiet: true` and the busy count at once; the window
        restarts from then. Once per quiet (quiet is one-way), neither limited by the wake gap nor
        conditioned on `scaled_to_zero`. No I/O here, never raises."""
        try:
            self.waking.set()  # left set through this cycle: _run clears it before a cycle, not after
            self.start()
        except Exception as error:
            self.warn("could not wake the reporter", error)

    def warn(self, message, error=None):
        now = time.time()
        if now - self.last_warn_at < 60:
            return
        self.last_warn_at = now
        log.warning("[ebbflow] %s%s", message, ": %s" % error if error else "")


def create_agent(env=None, **options):
    """An agent configured from the environment (disabled when EBBFLOW_URL is unset)."""
    return Agent(read_config(env, **options))


_shared = None
_shared_lock = threading.Lock()


def agent():
    """The process's one agent."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = create_agent()
        return _shared

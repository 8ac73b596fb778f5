"""Celery through its own API, on Redis and RabbitMQ.

Depth: `queue_declare(passive=True).message_count` on the broker channel (kombu; works on both).
Latency: Redis only — the oldest message (kombu pushes left, pops right) carries the enqueue
time this module stamps into its headers at publish (`ebbflow_enqueued_at`); RabbitMQ cannot
be peeked without consuming, so latency is null there. Busy (this worker): Celery's own
`celery.worker.state.active_requests`. Quiet: `app.control.cancel_consumer(queue,
destination=[this worker])` for each queue it consumes. Wake: `install` and `report` connect
`after_task_publish`, so a task published from this process calls `agent.wake()` (which reports
at once only while Ebbflow has a process type at zero).
"""
import json
import time

from .agent import agent as shared_agent

HEADER = "ebbflow_enqueued_at"


def _stamp(headers=None, **_kwargs):
    if headers is not None and HEADER not in headers:
        headers[HEADER] = int(time.time() * 1000)


def _connect_wake(agent):
    """Calls `agent.wake()` after each task this process publishes (once per agent)."""
    from celery import signals

    if not agent.enabled:
        return

    def wake(**_kwargs):
        agent.wake()

    signals.after_task_publish.connect(wake, weak=False, dispatch_uid=("ebbflow.wake", id(agent)))


class CelerySource:
    def __init__(self, app, queues=None, process_type=None):
        self.app = app
        self.queue_names = list(queues or [])
        self.process_type = process_type
        self.hostname = None

    def names(self):
        if self.queue_names:
            return self.queue_names
        return [self.app.conf.task_default_queue or "celery"]

    def collect(self):
        now_ms = time.time() * 1000
        readings = []
        with self.app.connection_for_read() as connection:
            channel = connection.default_channel
            redis_client = getattr(channel, "client", None) if connection.transport_cls in ("redis", "rediss") or "redis" in connection.transport.driver_type else None
            for name in self.names():
                try:
                    depth = channel.queue_declare(queue=name, passive=True).message_count
                except Exception:
                    depth = 0  # the queue does not exist yet: nothing waits in it
                    channel = connection.channel()
                latency = None
                if redis_client is not None and depth:
                    latency = self._redis_latency(redis_client, name, now_ms)
                readings.append({"name": name, "depth": int(depth), "latency_ms": latency, "busy": None})
        return readings

    @staticmethod
    def _redis_latency(client, name, now_ms):
        raw = client.lindex(name, -1)
        if not raw:
            return None
        try:
            enqueued = json.loads(raw).get("headers", {}).get(HEADER)
        except (ValueError, AttributeError):
            return None
        return max(0, int(now_ms - enqueued)) if isinstance(enqueued, (int, float)) else None

    def busy(self):
        try:
            from celery.worker import state
        except ImportError:
            return 0
        return len(state.active_requests)

    def quiet(self):
        if not self.hostname:
            return
        for name in self.names():
            self.app.control.cancel_consumer(name, destination=[self.hostname])


def install(app, queues=None, process_type=None, agent=None):
    """Call once where the Celery app is defined. Stamps enqueue times and wakes the agent on
    publish (from any process that imports the app, web dynos included); in a worker,
    reports from the worker and follows quiet; elsewhere call `report(app)` to report only."""
    from celery import signals

    agent = agent or shared_agent()
    signals.before_task_publish.connect(_stamp, weak=False)
    _connect_wake(agent)
    source = CelerySource(app, queues, process_type)

    def on_ready(sender=None, **_kwargs):
        try:
            source.hostname = sender.hostname
            if not source.queue_names:
                source.queue_names = [queue.name for queue in sender.task_consumer.queues] if sender.task_consumer else []
        except Exception as error:
            agent.warn("could not read the worker's queues", error)
        agent.use(source)

    signals.worker_ready.connect(on_ready, weak=False)
    return source


def report(app, queues=None, process_type="worker", agent=None):
    """Report Celery queues from a process that is not a worker (e.g. web.1); wakes on publish."""
    agent = agent or shared_agent()
    _connect_wake(agent)
    source = CelerySource(app, queues, process_type)
    agent.use(source)
    return source

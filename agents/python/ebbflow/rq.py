"""RQ through its own API: depth = `Queue.count`, latency = age of the oldest job
(`Job.enqueued_at`), busy (app-wide) = the queue's StartedJobRegistry. RQ has no per-worker
pause, so quiet is `EbbflowWorker`: RQ's Worker that, once quieted, stays in RQ's own
suspended loop (heartbeats, no dequeue) instead of taking jobs.

    rq worker -w ebbflow.rq.EbbflowWorker default

RQ has no enqueue signal, so the wake is `WakingQueue`: RQ's Queue whose `enqueue_job` (behind
`enqueue`, `enqueue_call`, `enqueue_many` and dependents) calls `agent().wake()` after the job
is pushed. Or call `ebbflow.agent().wake()` after your own pushes.
"""
import time
from datetime import datetime, timezone

from rq import Queue, Worker
from rq.registry import StartedJobRegistry
from rq.worker import WorkerStatus

from .agent import agent as shared_agent


class RQSource:
    def __init__(self, queues, process_type=None, worker=None):
        self.queues = list(queues)
        self.process_type = process_type
        self.worker = worker

    def collect(self):
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        readings = []
        for queue in self.queues:
            ids = queue.get_job_ids(0, 0)
            job = queue.fetch_job(ids[0]) if ids else None
            latency = None
            if job is not None and job.enqueued_at is not None:
                enqueued = job.enqueued_at.replace(tzinfo=None)
                latency = max(0, int((now - enqueued).total_seconds() * 1000))
            busy = StartedJobRegistry(queue.name, connection=queue.connection).count
            readings.append({"name": queue.name, "depth": queue.count, "latency_ms": latency, "busy": busy})
        return readings

    def busy(self):
        return 1 if self.worker is not None and self.worker.ebbflow_busy else 0

    def quiet(self):
        if self.worker is not None:
            self.worker.ebbflow_quiet = True


def report(queues, process_type="worker", agent=None):
    """Report RQ queues from any process (e.g. web.1): `report([Queue("default", connection=r)])`."""
    source = RQSource(queues, process_type)
    (agent or shared_agent()).use(source)
    return source


class WakingQueue(Queue):
    """RQ's Queue that wakes the agent after each job it pushes (cheap; never raises)."""

    ebbflow_agent = None

    def enqueue_job(self, job, pipeline=None, at_front=False):
        job = super().enqueue_job(job, pipeline=pipeline, at_front=at_front)
        try:
            (self.ebbflow_agent or shared_agent()).wake()
        except Exception:
            pass  # never into the app
        return job


class EbbflowWorker(Worker):
    """RQ's Worker, reporting its queues and busy state, and quiet on Ebbflow's instruction."""

    ebbflow_agent = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ebbflow_quiet = False
        self.ebbflow_busy = False
        agent = self.ebbflow_agent or shared_agent()
        if agent.enabled:
            agent.use(RQSource(self.queues, worker=self))

    def check_for_suspension(self, burst):
        super().check_for_suspension(burst)
        notified = False
        while self.ebbflow_quiet and not self._stop_requested:
            if not notified:
                self.log.info("Worker quieted by Ebbflow: taking no more jobs")
                self.set_state(WorkerStatus.SUSPENDED)
                notified = True
            self.heartbeat()
            time.sleep(1)

    def execute_job(self, job, queue):
        self.ebbflow_busy = True
        try:
            return super().execute_job(job, queue)
        finally:
            self.ebbflow_busy = False


__all__ = ["EbbflowWorker", "RQSource", "WakingQueue", "report", "Queue"]

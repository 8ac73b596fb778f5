"""The Celery app the tests run a real worker with (broker from TEST_BROKER_URL)."""
import os

from celery import Celery

import ebbflow.celery
from ebbflow.agent import create_agent

app = Celery("ebbflow_test", broker=os.environ.get("TEST_BROKER_URL", "redis://127.0.0.1:6379/5"))
# One task at a time and acked after it runs, so a quieted worker holds no prefetched task.
app.conf.update(worker_prefetch_multiplier=1, task_acks_late=True, broker_connection_retry_on_startup=True)
ebbflow.celery.install(app, agent=create_agent(interval=float(os.environ.get("TEST_INTERVAL", "0.2")), max_backoff=2.0))


@app.task(name="tests.wait_for_file")
def wait_for_file(gate, path):
    from tests.jobs import wait_for_file as run

    return run(gate, path)


@app.task(name="tests.mark")
def mark(path):
    from tests.jobs import sleep_then_mark

    return sleep_then_mark(path)

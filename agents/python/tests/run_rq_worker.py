"""Runs RQ's worker class from ebbflow (as `rq worker -w ebbflow.rq.EbbflowWorker` would), with
a short report interval for the tests."""
import os
import sys

from redis import Redis

from ebbflow.agent import create_agent
from ebbflow.rq import EbbflowWorker, Queue

EbbflowWorker.ebbflow_agent = create_agent(interval=float(os.environ.get("TEST_INTERVAL", "0.2")), max_backoff=2.0)
connection = Redis.from_url(os.environ["REDIS_URL"])
worker = EbbflowWorker([Queue(name, connection=connection) for name in sys.argv[1:]], connection=connection)
worker.work(with_scheduler=False)

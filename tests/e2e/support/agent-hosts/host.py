"""A Python host app for the end-to-end agent test: the agent with a real RQ queue (E2E_QUEUE,
2 waiting jobs) and web requests recorded every 100 ms. Runs until killed."""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../agents/python"))

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402

from ebbflow.agent import create_agent  # noqa: E402
from ebbflow.rq import RQSource  # noqa: E402

queue = Queue(os.environ["E2E_QUEUE"], connection=Redis.from_url(os.environ["REDIS_URL"]))
queue.empty()
for i in range(2):
    queue.enqueue("builtins.print", i)
agent = create_agent(interval=2.0, max_backoff=2.0)
agent.use(RQSource([queue], process_type="worker"))


def stop(*_args):
    agent.stop()
    queue.empty()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
print("host ready", flush=True)
while True:
    agent.record_request(str(int(time.time() * 1000) - 50))
    time.sleep(0.1)

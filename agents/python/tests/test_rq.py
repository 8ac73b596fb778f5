"""RQ (Debian's python3-rq) against the real Redis: the source's numbers, a real worker
process with EbbflowWorker following a quiet instruction, and WakingQueue's enqueue waking the
reporter."""
import os
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

from redis import Redis
from rq import Queue

from ebbflow.agent import create_agent
from ebbflow.rq import RQSource, WakingQueue
from ebbflow.rq import report as ebbflow_rq_report
from tests.fake_ebbflow import FakeEbbflow, wait_for
from tests.jobs import sleep_then_mark, wait_for_file

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class RQTest(unittest.TestCase):
    def setUp(self):
        self.redis = Redis.from_url(REDIS_URL)
        self.name = "ebbflow-test-" + uuid.uuid4().hex[:8]
        self.queue = Queue(self.name, connection=self.redis)
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        self.queue.empty()
        self.queue.delete(delete_jobs=True)

    def test_depth_latency_busy(self):
        self.queue.enqueue(sleep_then_mark, os.path.join(self.dir, "a"))
        time.sleep(0.3)
        self.queue.enqueue(sleep_then_mark, os.path.join(self.dir, "b"))
        [reading] = RQSource([self.queue]).collect()
        self.assertEqual(reading["name"], self.name)
        self.assertEqual(reading["depth"], 2)
        self.assertGreaterEqual(reading["latency_ms"], 300)
        self.assertEqual(reading["busy"], 0)
        self.assertEqual(RQSource([Queue("empty-" + self.name, connection=self.redis)]).collect()[0]["latency_ms"], None)

    def test_enqueue_wakes_the_reporter(self):
        fake = FakeEbbflow()
        agent = create_agent({"EBBFLOW_URL": fake.url, "DYNO": "web.1"}, interval=30.0, wake_gap=0.5)
        queue_class = type("TestWakingQueue", (WakingQueue,), {"ebbflow_agent": agent})
        queue = queue_class(self.name, connection=self.redis)
        try:
            ebbflow_rq_report([queue], agent=agent)
            queue.enqueue(sleep_then_mark, os.path.join(self.dir, "early"))  # no answer yet: nothing
            time.sleep(1.0)
            self.assertEqual(fake.reports, [])
            fake.scaled_to_zero = True
            with agent.cycle:
                agent.tick()  # Ebbflow answers: worker is at zero
            self.assertEqual([r["queues"][0]["depth"] for r in fake.reports], [1])
            queue.enqueue(sleep_then_mark, os.path.join(self.dir, "woken"))
            wait_for(lambda: len(fake.reports) == 2, timeout=2)
            self.assertEqual(fake.reports[1]["queues"][0]["depth"], 2, "the early report carries the new job")
            fake.scaled_to_zero = False
            with agent.cycle:
                agent.tick()
            time.sleep(0.7)  # past the wake gap
            queue.enqueue(sleep_then_mark, os.path.join(self.dir, "late"))
            time.sleep(1.5)
            self.assertEqual(len(fake.reports), 3)
        finally:
            agent.stop()
            fake.stop()

    def test_worker_quiet(self):
        fake = FakeEbbflow()
        gate = os.path.join(self.dir, "gate")
        self.queue.enqueue(wait_for_file, gate, os.path.join(self.dir, "first"))
        self.queue.enqueue(sleep_then_mark, os.path.join(self.dir, "second"))
        env = dict(os.environ, EBBFLOW_URL=fake.url, DYNO="worker.4", REDIS_URL=REDIS_URL, PYTHONPATH=HERE)
        worker = subprocess.Popen([sys.executable, os.path.join(HERE, "tests", "run_rq_worker.py"), self.name], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: any(r["dynos"][0]["busy"] == 1 and r["queues"][0]["busy"] == 1 for r in fake.reports))
            fake.quiet = ["worker.4"]
            wait_for(lambda: any(r["dynos"][0]["quiet"] for r in fake.reports))
            open(gate, "w").close()
            wait_for(lambda: os.path.exists(os.path.join(self.dir, "first")))
            wait_for(lambda: fake.reports[-1]["dynos"][0]["busy"] == 0)
            time.sleep(1.5)
            self.assertFalse(os.path.exists(os.path.join(self.dir, "second")), "a quiet worker takes no new job")
            last = fake.reports[-1]
            self.assertEqual(last["dynos"], [{"name": "worker.4", "quiet": True, "busy": 0}])
            self.assertEqual(last["queues"][0]["depth"], 1)
            self.assertIsNone(worker.poll(), "the quiet worker stays up (heartbeating) until Ebbflow stops it")
        finally:
            worker.terminate()
            worker.wait(10)
            fake.stop()


if __name__ == "__main__":
    unittest.main()

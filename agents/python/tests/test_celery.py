"""Celery (Debian's python3-celery) on the real Redis and the real RabbitMQ: the source's
numbers, a real worker process following a quiet instruction with cancel_consumer, and a task
published with `apply_async` waking the reporter through `after_task_publish`."""
import os
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

from tests.fake_ebbflow import FakeEbbflow, wait_for

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
AMQP = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


class CeleryCase:
    broker = None
    has_latency = False

    def setUp(self):
        from celery import Celery

        import tests.celery_app  # noqa: F401  (installs the agent's publish hook)

        self.app = Celery("ebbflow_test_client", broker=self.broker)
        self.queue = "ebbflow-test-" + uuid.uuid4().hex[:8]
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        with self.app.connection_for_write() as connection:
            try:
                connection.default_channel.queue_delete(self.queue)
            except Exception:
                pass
        self.app.close()

    def test_depth_and_latency(self):
        from ebbflow.celery import CelerySource

        self.app.send_task("tests.mark", args=[os.path.join(self.dir, "a")], queue=self.queue)
        time.sleep(0.3)
        self.app.send_task("tests.mark", args=[os.path.join(self.dir, "b")], queue=self.queue)
        source = CelerySource(self.app, [self.queue, "missing-" + self.queue])
        wait_for(lambda: source.collect()[0]["depth"] == 2, timeout=10)
        reading, missing = source.collect()
        self.assertEqual(reading["name"], self.queue)
        self.assertEqual(missing["depth"], 0)
        if self.has_latency:
            self.assertGreaterEqual(reading["latency_ms"], 300)
        else:
            self.assertIsNone(reading["latency_ms"])

    def test_publish_wakes_the_reporter(self):
        import ebbflow.celery
        from ebbflow.agent import create_agent

        fake = FakeEbbflow()
        agent = create_agent({"EBBFLOW_URL": fake.url, "DYNO": "web.1"}, interval=30.0, wake_gap=0.5)
        try:
            ebbflow.celery.report(self.app, [self.queue], agent=agent)  # connects the hook
            fake.scaled_to_zero = True
            with agent.cycle:
                agent.tick()  # Ebbflow answers: worker is at zero
            self.assertEqual([r["queues"][0]["depth"] for r in fake.reports], [0])
            mark = self.app.signature("tests.mark", args=[os.path.join(self.dir, "woken")], queue=self.queue)
            mark.apply_async()
            wait_for(lambda: len(fake.reports) == 2, timeout=2)
            self.assertEqual(fake.reports[1]["process_type"], "worker")
            reading = fake.reports[1]["queues"][0]
            self.assertEqual((reading["name"], reading["depth"]), (self.queue, 1), "the early report carries the new task")
            fake.scaled_to_zero = False
            with agent.cycle:
                agent.tick()  # now it has dynos: publishing sends nothing early
            time.sleep(0.7)  # past the wake gap
            mark.apply_async()
            time.sleep(1.5)
            self.assertEqual(len(fake.reports), 3)
        finally:
            agent.stop()
            fake.stop()

    def test_worker_quiet(self):
        fake = FakeEbbflow()
        gate = os.path.join(self.dir, "gate")
        self.app.send_task("tests.wait_for_file", args=[gate, os.path.join(self.dir, "first")], queue=self.queue)
        self.app.send_task("tests.mark", args=[os.path.join(self.dir, "second")], queue=self.queue)
        env = dict(os.environ, EBBFLOW_URL=fake.url, DYNO="worker.5", TEST_BROKER_URL=self.broker, PYTHONPATH=HERE)
        command = [sys.executable, "-m", "celery", "-A", "tests.celery_app", "worker", "-P", "threads", "-c", "1", "-Q", self.queue,
                   "-n", "test-%s@localhost" % self.queue, "--without-mingle", "--without-gossip", "--loglevel", "WARNING"]
        worker = subprocess.Popen(command, env=env, cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: any(r["dynos"][0]["busy"] == 1 for r in fake.reports), timeout=40)
            self.assertEqual(fake.reports[-1]["queues"][0]["name"], self.queue)
            fake.quiet = ["worker.5"]
            wait_for(lambda: any(r["dynos"][0]["quiet"] for r in fake.reports))
            time.sleep(1.0)  # cancel_consumer is a broadcast: let the worker act on it
            open(gate, "w").close()
            wait_for(lambda: os.path.exists(os.path.join(self.dir, "first")))
            wait_for(lambda: fake.reports[-1]["dynos"][0]["busy"] == 0)
            time.sleep(1.5)
            self.assertFalse(os.path.exists(os.path.join(self.dir, "second")), "a quiet worker takes no new task")
            self.assertEqual(fake.reports[-1]["dynos"], [{"name": "worker.5", "quiet": True, "busy": 0}])
            wait_for(lambda: fake.reports[-1]["queues"][0]["depth"] == 1, timeout=10)
        finally:
            worker.terminate()
            worker.wait(20)
            fake.stop()


class CeleryRedisTest(CeleryCase, unittest.TestCase):
    broker = REDIS
    has_latency = True


class CeleryRabbitMQTest(CeleryCase, unittest.TestCase):
    broker = AMQP


if __name__ == "__main__":
    unittest.main()

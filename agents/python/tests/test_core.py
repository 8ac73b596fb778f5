import time
import unittest

from ebbflow.agent import Agent, create_agent
from ebbflow.config import read_config
from ebbflow.web import WebStats, parse_request_start, queue_time_ms
from ebbflow.wsgi import EbbflowWSGI
from tests.fake_ebbflow import FakeEbbflow, wait_for


class Source:
    def __init__(self, queues=None, busy=0, process_type=None, fail=False):
        self.queues = queues or []
        self._busy = busy
        self.process_type = process_type
        self.fail = fail
        self.quieted = 0
        self.calls = 0

    def collect(self):
        self.calls += 1
        if self.fail:
            raise RuntimeError("redis down")
        return [dict(q, depth=q["depth"] if q["depth"] is not None else self.calls) for q in self.queues]

    def busy(self):
        return self._busy

    def quiet(self):
        self.quieted += 1


class CoreTest(unittest.TestCase):
    def test_request_start_forms(self):
        self.assertEqual(parse_request_start("1700000000123"), 1700000000123)
        self.assertAlmostEqual(parse_request_start("t=1700000000.123"), 1700000000123, places=0)
        self.assertAlmostEqual(parse_request_start(b"1700000000123456"), 1700000000123.456, places=2)
        self.assertIsNone(parse_request_start("nope"))
        self.assertIsNone(parse_request_start(None))
        self.assertEqual(queue_time_ms("1000000000000", 1000000000250), 250)
        self.assertEqual(queue_time_ms("1000000000000", 1000000000250, 100), 150)
        self.assertEqual(queue_time_ms("1000000009000", 1000000000000), 0)

    def test_config(self):
        config = read_config({"EBBFLOW_URL": "https://agent:s3cr%2Bt-token-abcdef@ebbflow.example/", "DYNO": "worker.3"})
        self.assertEqual(config["endpoint"], "https://ebbflow.example/api/v1/reports")
        self.assertEqual(config["token"], "s3cr+t-token-abcdef")
        self.assertEqual(config["process_type"], "worker")
        self.assertIsNone(read_config({}))
        self.assertIsNone(read_config({"EBBFLOW_URL": ""}))

    def test_disabled_without_url(self):
        agent = create_agent({})
        self.assertFalse(agent.enabled)
        agent.use(Source())
        agent.record_request("1700000000000")
        self.assertIsNone(agent.thread)
        self.assertEqual(agent.sources, [])
        called = []
        app = EbbflowWSGI(lambda environ, start: called.append(1) or [b"ok"], agent)
        self.assertEqual(app({"HTTP_X_REQUEST_START": "1"}, None), [b"ok"])
        self.assertEqual(called, [1])

    def test_web_stats(self):
        stats = WebStats(100)
        for i in range(1000):
            stats.record(i % 100)
        summary = stats.take(stats.started_at + 10)
        self.assertEqual(summary["requests"], 1000)
        self.assertEqual(summary["window_seconds"], 10)
        q = summary["queue_time_ms"]
        self.assertTrue(q["p99"] >= q["p95"] >= q["p50"])
        self.assertNotIn("queue_time_ms", stats.take())

    def test_one_report_per_process_type(self):
        fake = FakeEbbflow()
        try:
            agent = create_agent({"EBBFLOW_URL": fake.url, "DYNO": "web.2"}, interval=0.1)
            agent.use(Source([{"name": "default", "depth": 4, "latency_ms": 10, "busy": 1}], process_type="worker"))
            agent.record_request(str(time.time() * 1000 - 30))
            wait_for(lambda: len(fake.reports) >= 2)
            agent.stop()
            by_type = {r["process_type"]: r for r in fake.reports[:2]}
            self.assertEqual(by_type["worker"], {"protocol": 2, "process_type": "worker", "queues": [{"name": "default", "depth": 4, "latency_ms": 10, "busy": 1}], "dynos": [{"name": "web.2", "quiet": False, "busy": 0}]})
            self.assertEqual(by_type["web"]["web"]["requests"], 1)
            self.assertGreaterEqual(by_type["web"]["web"]["queue_time_ms"]["p50"], 30)
            self.assertEqual(by_type["web"]["queues"], [])
        finally:
            fake.stop()

    def test_buffer_backoff_and_resume(self):
        fake = FakeEbbflow()
        fake.stop()
        agent = Agent(read_config({"EBBFLOW_URL": fake.url, "DYNO": "worker.1"}, interval=0.02, max_buffered=5))
        source = Source([{"name": "q", "depth": None, "latency_ms": None, "busy": 0}])
        agent.use(source)
        wait_for(lambda: source.calls >= 12)
        self.assertLessEqual(len(agent.buffer), 5)
        self.assertGreaterEqual(agent.dropped, 6)
        self.assertLess(agent.failures, source.calls, "backed off instead of retrying every window")
        fake.start()
        try:
            wait_for(lambda: len(fake.reports) >= 3, timeout=30)
            agent.stop()
            depths = [r["queues"][0]["depth"] for r in fake.reports]
            self.assertGreater(depths[0], 6, "the oldest reports were dropped first")
            self.assertEqual(depths, sorted(depths), "sent oldest first")
            self.assertEqual(agent.failures, 0)
        finally:
            fake.stop()

    def test_quiet_only_own_dyno(self):
        fake = FakeEbbflow()
        try:
            fake.quiet = ["worker.9"]
            agent = create_agent({"EBBFLOW_URL": fake.url, "DYNO": "worker.1"}, interval=0.05)
            source = Source(busy=3)
            agent.use(source)
            wait_for(lambda: len(fake.reports) >= 2)
            self.assertEqual(source.quieted, 0)
            fake.quiet = ["worker.1"]
            wait_for(lambda: any(r["dynos"][0]["quiet"] for r in fake.reports))
            agent.stop()
            self.assertEqual(source.quieted, 1)
            self.assertEqual(fake.reports[-1]["dynos"], [{"name": "worker.1", "quiet": True, "busy": 3}])
        finally:
            fake.stop()

    def test_failing_source_and_4xx(self):
        fake = FakeEbbflow()
        try:
            fake.status = 422
            agent = create_agent({"EBBFLOW_URL": fake.url, "DYNO": "worker.1"}, interval=0.03)
            agent.use(Source(fail=True))
            agent.use(Source([{"name": "q", "depth": 1, "latency_ms": None, "busy": 0}]))
            time.sleep(0.3)
            agent.stop()
            self.assertEqual(len(agent.buffer), 0)
            self.assertEqual(agent.failures, 0)
            self.assertTrue(agent.thread is not None)
        finally:
            fake.stop()


if __name__ == "__main__":
    unittest.main()

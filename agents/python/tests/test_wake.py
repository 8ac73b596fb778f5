"""The enqueue wake: after an answer with `scaled_to_zero: true`, `wake()` has the reporter thread
(never the caller's) run one cycle at once, at most once per gap, and the window restarts from
then; otherwise it does nothing. An answer that quiets this dyno has the reporter run one cycle
right after the current one, whatever the gap and `scaled_to_zero`. The interval is long (30 s)
so only a wake can bring a report."""
import threading
import time
import unittest

from ebbflow.agent import WAKE_GAP_SECONDS, create_agent
from tests.fake_ebbflow import FakeEbbflow, wait_for

LONG = 30.0


class Source:
    process_type = "worker"

    def __init__(self, delay=0.0, busy=0):
        self.delay = delay
        self._busy = busy
        self.quieted = 0
        self.threads = []
        self.running = 0
        self.most_at_once = 0
        self.guard = threading.Lock()

    def collect(self):
        with self.guard:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        self.threads.append(threading.current_thread().name)
        time.sleep(self.delay)
        with self.guard:
            self.running -= 1
        return [{"name": "default", "depth": 1, "latency_ms": 5, "busy": 0}]

    def busy(self):
        return self._busy

    def quiet(self):
        self.quieted += 1


class WakeTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeEbbflow()
        self.agents = []

    def tearDown(self):
        for agent in self.agents:
            agent.stop()
        self.fake.stop()

    def agent(self, source=None, start=True, **options):
        options.setdefault("interval", LONG)
        agent = create_agent({"EBBFLOW_URL": self.fake.url, "DYNO": "web.1"}, **options)
        self.agents.append(agent)
        self.source = source or Source()
        if start:
            agent.use(self.source)
        else:
            agent.sources.append(self.source)  # as in a forked child: sources, no reporter yet
        return agent

    def answered(self, agent, scaled_to_zero):
        """One report cycle, here and now, that Ebbflow answers with this `scaled_to_zero`."""
        self.fake.scaled_to_zero = scaled_to_zero
        before = len(self.fake.reports)
        with agent.cycle:
            agent.tick()
        self.assertEqual(len(self.fake.reports), before + 1)

    def test_wake_at_zero_reports_at_once(self):
        agent = self.agent()
        self.answered(agent, True)
        self.assertEqual(agent.scaled_to_zero, {"worker": True})
        started = time.monotonic()
        agent.wake()
        self.assertLess(time.monotonic() - started, 0.1, "wake returns without waiting for the report")
        wait_for(lambda: len(self.fake.reports) == 2, timeout=2)
        self.assertEqual(self.source.threads[-1], "ebbflow-reporter", "the report is collected on the reporter thread")
        self.assertEqual(self.fake.reports[-1]["queues"][0]["name"], "default")
        self.assertEqual(self.fake.reports[-1]["dynos"], [{"name": "web.1", "quiet": False, "busy": 0}])

    def test_no_early_report_unless_at_zero(self):
        agent = self.agent()
        self.answered(agent, None)  # an older Ebbflow: no field
        self.assertEqual(agent.scaled_to_zero, {"worker": False})
        agent.wake()
        time.sleep(2)
        self.assertEqual(len(self.fake.reports), 1)
        self.answered(agent, True)
        self.answered(agent, False)  # the last answer counts
        agent.wake()
        time.sleep(2)
        self.assertEqual(len(self.fake.reports), 3)

    def test_wakes_within_the_gap_report_once(self):
        self.assertEqual(WAKE_GAP_SECONDS, 5.0)
        agent = self.agent()
        self.answered(agent, True)
        agent.wake()
        agent.wake()
        wait_for(lambda: len(self.fake.reports) == 2, timeout=2)
        agent.wake()
        time.sleep(2)
        self.assertEqual(len(self.fake.reports), 2)

    def test_wake_after_the_gap_reports_again(self):
        agent = self.agent(wake_gap=0.5)
        self.answered(agent, True)
        agent.wake()
        agent.wake()
        wait_for(lambda: len(self.fake.reports) == 2, timeout=2)
        time.sleep(0.7)
        agent.wake()
        wait_for(lambda: len(self.fake.reports) == 3, timeout=2)
        time.sleep(0.5)
        self.assertEqual(len(self.fake.reports), 3)

    def test_wake_restarts_the_window(self):
        agent = self.agent(interval=4.0)  # its first regular report is due 4 s after use
        started = time.monotonic()
        self.answered(agent, True)
        time.sleep(max(0.0, started + 2.0 - time.monotonic()))
        agent.wake()
        wait_for(lambda: len(self.fake.reports) == 2, timeout=2)
        time.sleep(max(0.0, started + 5.0 - time.monotonic()))
        self.assertEqual(len(self.fake.reports), 2, "the window restarted at the wake, not at use")
        wait_for(lambda: len(self.fake.reports) == 3, timeout=5)
        self.assertGreaterEqual(self.fake.arrived[2] - self.fake.arrived[1], 3.0)

    def test_wake_starts_the_reporter(self):
        agent = self.agent(start=False)
        self.answered(agent, True)
        self.assertIsNone(agent.thread)
        agent.wake()
        wait_for(lambda: len(self.fake.reports) == 2, timeout=2)
        self.assertTrue(agent.thread.is_alive())

    def test_one_cycle_at_a_time(self):
        agent = self.agent(source=Source(delay=0.3), start=False, wake_gap=0.0)
        self.answered(agent, True)
        callers = [threading.Thread(target=lambda: [agent.wake() or time.sleep(0.01) for _ in range(50)]) for _ in range(8)]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join()
        wait_for(lambda: len(self.fake.reports) >= 3, timeout=5)
        agent.stop(flush=True)
        self.assertEqual(self.source.most_at_once, 1)
        self.assertEqual(set(self.source.threads[1:]), {"ebbflow-reporter"})

    def test_wake_never_raises_and_is_off_when_disabled(self):
        disabled = create_agent({})
        disabled.wake()
        self.assertIsNone(disabled.thread)
        agent = self.agent()
        self.answered(agent, True)
        agent.config["wake_gap"] = "not a number"
        agent.last_wake_at = time.monotonic() - 60
        agent.wake()  # logged, not raised
        agent.stop()
        agent.wake()
        time.sleep(0.5)
        self.assertEqual(len(self.fake.reports), 1)

    def test_quiet_answer_reports_at_once(self):
        agent = self.agent(source=Source(busy=2))
        agent.last_wake_at = time.monotonic()  # a wake just happened: the gap does not hold this back
        self.fake.quiet = ["web.1"]
        self.answered(agent, None)  # not at zero either
        self.assertTrue(agent.quiet)
        self.assertEqual(self.source.quieted, 1)
        wait_for(lambda: len(self.fake.reports) == 2, timeout=2)
        self.assertEqual(self.source.threads[-1], "ebbflow-reporter", "the early report is collected on the reporter thread")
        self.assertEqual(self.fake.reports[0]["dynos"], [{"name": "web.1", "quiet": False, "busy": 2}])
        self.assertEqual(self.fake.reports[-1]["dynos"], [{"name": "web.1", "quiet": True, "busy": 2}])
        time.sleep(2)
        self.assertEqual(len(self.fake.reports), 2, "once per quiet: the answers that name it again bring no more")
        self.assertEqual(self.source.quieted, 1)

    def test_quiet_on_the_reporters_own_cycle_reports_again_at_once(self):
        agent = self.agent(source=Source(delay=0.2))
        self.answered(agent, True)
        self.fake.quiet = ["web.1"]
        agent.wake()  # the reporter's cycle gets the quiet answer
        wait_for(lambda: len(self.fake.reports) == 3, timeout=3)
        self.assertEqual([r["dynos"][0]["quiet"] for r in self.fake.reports], [False, False, True])
        self.assertEqual(self.source.threads[1:], ["ebbflow-reporter", "ebbflow-reporter"])
        self.assertEqual(self.source.most_at_once, 1, "the early window runs after the current one, never with it")
        time.sleep(1.5)
        self.assertEqual(len(self.fake.reports), 3)

    def test_no_early_report_without_a_quiet_for_this_dyno(self):
        agent = self.agent()
        self.fake.quiet = ["web.2"]
        self.answered(agent, True)
        self.fake.quiet = []
        self.answered(agent, None)
        time.sleep(2)
        self.assertEqual(len(self.fake.reports), 2)
        self.assertFalse(agent.quiet)
        self.assertEqual(self.source.quieted, 0)
        self.assertEqual([r["dynos"][0]["quiet"] for r in self.fake.reports], [False, False])

    def test_quiet_report_restarts_the_window(self):
        agent = self.agent(interval=4.0)  # its first regular report is due 4 s after use
        started = time.monotonic()
        time.sleep(2.0)
        self.fake.quiet = ["web.1"]
        self.answered(agent, None)
        wait_for(lambda: len(self.fake.reports) == 2, timeout=2)
        time.sleep(max(0.0, started + 5.0 - time.monotonic()))
        self.assertEqual(len(self.fake.reports), 2, "the window restarted at the early report, not at use")
        wait_for(lambda: len(self.fake.reports) == 3, timeout=5)
        self.assertGreaterEqual(self.fake.arrived[2] - self.fake.arrived[1], 3.0)
        self.assertTrue(self.fake.reports[2]["dynos"][0]["quiet"])

    def test_quiet_never_raises(self):
        agent = self.agent(start=False)

        def broken():
            raise RuntimeError("no thread")

        agent.start = broken
        agent.follow({"instructions": {"quiet": ["web.1"]}}, "worker")  # logged, not raised
        self.assertTrue(agent.quiet)
        self.assertIsNone(agent.thread)


if __name__ == "__main__":
    unittest.main()

"""What the agent costs the host app: the WSGI middleware's added latency per request (p50/p99
over timed calls) and the reporter's CPU per minute at the real 10 s interval (CPU per report
cycle x 6), against a local stand-in Ebbflow and a real RQ queue in Redis. Prints a table and
writes JSON (default bench/results.json)."""
import json
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from redis import Redis  # noqa: E402
from rq import Queue  # noqa: E402

from ebbflow.agent import create_agent  # noqa: E402
from ebbflow.rq import RQSource  # noqa: E402
from ebbflow.wsgi import EbbflowWSGI  # noqa: E402
from tests.fake_ebbflow import FakeEbbflow  # noqa: E402
from tests.jobs import sleep_then_mark  # noqa: E402

out = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.json")
fake = FakeEbbflow()
agent = create_agent({"EBBFLOW_URL": fake.url, "DYNO": "web.1"}, interval=3600)


def app(environ, start_response):
    return None


middleware = EbbflowWSGI(app, agent)
requests = 100000
durations = []
clock = time.perf_counter_ns
for _ in range(requests):
    environ = {"HTTP_X_REQUEST_START": str(int(time.time() * 1000) - 5)}
    started = clock()
    middleware(environ, None)
    durations.append((clock() - started) / 1e6)
durations = sorted(durations[1000:])


def pct(p):
    return durations[min(len(durations) - 1, int(p / 100 * len(durations)))]


queue = Queue("ebbflow-bench-" + uuid.uuid4().hex[:8], connection=Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")))
for _ in range(100):
    queue.enqueue(sleep_then_mark, "/nonexistent")
agent.use(RQSource([queue]))
cycles = 30
cpu_before = time.process_time()
for _ in range(cycles):
    for _ in range(1000):
        agent.record_request(str(int(time.time() * 1000) - 5))
    agent.tick()
cpu_ms_per_cycle = (time.process_time() - cpu_before) * 1000 / cycles
agent.stop()
queue.delete(delete_jobs=True)
fake.stop()

result = {
    "agent": "python",
    "python": sys.version.split()[0],
    "requests": requests,
    "middlewareAddedMs": {"p50": pct(50), "p99": pct(99), "max": durations[-1]},
    "targetP99Ms": 0.5,
    "reporterCpuMsPerMinute": cpu_ms_per_cycle * 6,
    "reporterCpuMsPerCycle": cpu_ms_per_cycle,
    "reportsSent": len(fake.reports),
    "loadAverage": list(os.getloadavg()),
}
print("%-24s %s" % ("middleware p50 (ms)", "%.5f" % result["middlewareAddedMs"]["p50"]))
print("%-24s %s" % ("middleware p99 (ms)", "%.5f" % result["middlewareAddedMs"]["p99"]))
print("%-24s %s" % ("reporter CPU ms/min", "%.1f" % result["reporterCpuMsPerMinute"]))
print("%-24s %s" % ("load avg 1m", "%.2f" % result["loadAverage"][0]))
with open(out, "w") as handle:
    json.dump(result, handle, indent=2)
    handle.write("\n")
sys.exit(0 if result["middlewareAddedMs"]["p99"] < 0.5 else 1)

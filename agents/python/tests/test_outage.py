"""Killing Ebbflow mid-run: a Flask app served over real HTTP and RQ jobs run by a real worker
lose nothing, and reports resume when Ebbflow returns."""
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request
import uuid
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from socketserver import ThreadingMixIn

import flask
from redis import Redis
from rq import Queue

from ebbflow.agent import create_agent
from ebbflow.wsgi import EbbflowWSGI
from tests.fake_ebbflow import FakeEbbflow, wait_for
from tests.jobs import sleep_then_mark

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *_args):
        pass


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class OutageTest(unittest.TestCase):
    def test_kill_ebbflow_mid_run(self):
        fake = FakeEbbflow()
        agent = create_agent({"EBBFLOW_URL": fake.url, "DYNO": "web.1"}, interval=0.1, max_backoff=2.0)
        app = flask.Flask("ebbflow-outage")
        app.route("/")(lambda: "ok")
        app.wsgi_app = EbbflowWSGI(app.wsgi_app, agent)
        server = make_server("127.0.0.1", 0, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        redis = Redis.from_url(REDIS_URL)
        name = "ebbflow-test-" + uuid.uuid4().hex[:8]
        queue = Queue(name, connection=redis)
        directory = tempfile.mkdtemp()
        env = dict(os.environ, EBBFLOW_URL=fake.url, DYNO="worker.1", REDIS_URL=REDIS_URL, PYTHONPATH=HERE)
        worker = subprocess.Popen([sys.executable, os.path.join(HERE, "tests", "run_rq_worker.py"), name], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        statuses, marks = [], []

        def drive(count):
            for _ in range(count):
                request = urllib.request.Request("http://127.0.0.1:%d/" % port, headers={"X-Request-Start": str(int(time.time() * 1000))})
                with urllib.request.urlopen(request, timeout=10) as response:
                    statuses.append(response.status)
                path = os.path.join(directory, "job-%d" % len(marks))
                marks.append(path)
                queue.enqueue(sleep_then_mark, path)

        try:
            drive(20)
            wait_for(lambda: any(r["process_type"] == "worker" for r in fake.reports) and any(r["process_type"] == "web" for r in fake.reports))
            fake.stop()
            before = len(fake.reports)
            drive(40)
            time.sleep(0.5)
            self.assertGreaterEqual(agent.failures, 1)
            self.assertEqual(len(fake.reports), before)
            fake.start()
            drive(20)
            wait_for(lambda: all(os.path.exists(path) for path in marks), timeout=60)
            wait_for(lambda: {r["process_type"] for r in fake.reports[before:]} >= {"web", "worker"}, timeout=30)
            self.assertEqual(statuses, [200] * 80, "every host-app request answered")
            self.assertEqual(len(marks), 80)
        finally:
            agent.stop()
            server.shutdown()
            worker.terminate()
            worker.wait(10)
            queue.delete(delete_jobs=True)
            fake.stop()


if __name__ == "__main__":
    unittest.main()

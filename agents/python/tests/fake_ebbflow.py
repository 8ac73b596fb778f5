"""A stand-in Ebbflow for the agent's own tests: records POST /api/v1/reports bodies with the
right Bearer token (with the time each arrived), answers 202 with the instructions and the
`scaled_to_zero` the test sets (None: the field is left out, as an older Ebbflow does), and can
be stopped and started again on the same port to play an outage."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeEbbflow:
    def __init__(self, token="test-token-0123456789"):
        self.token = token
        self.reports = []
        self.quiet = []
        self.scaled_to_zero = None
        self.arrived = []
        self.status = 202
        self.port = 0
        self.server = None
        self.start()

    @property
    def url(self):
        return "http://agent:%s@127.0.0.1:%d" % (self.token, self.port)

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != "/api/v1/reports":
                    return self._answer(404, {})
                if self.headers.get("Authorization") != "Bearer " + fake.token:
                    return self._answer(401, {"error": "unauthorized"})
                if fake.status != 202:
                    return self._answer(fake.status, {})
                report = json.loads(body)
                fake.arrived.append(time.monotonic())
                fake.reports.append(report)
                answer = {"received": True, "process_type": report["process_type"], "instructions": {"quiet": list(fake.quiet)}}
                if fake.scaled_to_zero is not None:
                    answer["scaled_to_zero"] = fake.scaled_to_zero
                self._answer(202, answer)

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def wait_for(predicate, timeout=20.0, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(step)
    raise AssertionError("condition not met within %s s" % timeout)

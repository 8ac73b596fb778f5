"""The middleware in real Flask (WSGI), Django (WSGI) and FastAPI (ASGI) apps."""
import time
import unittest

from ebbflow.agent import create_agent
from ebbflow.asgi import EbbflowASGI
from ebbflow.wsgi import EbbflowWSGI
from tests.fake_ebbflow import FakeEbbflow


def start_header(ms_ago):
    return str(int(time.time() * 1000 - ms_ago))


class WebTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeEbbflow()
        self.agent = create_agent({"EBBFLOW_URL": self.fake.url, "DYNO": "web.1"}, interval=3600)

    def tearDown(self):
        self.agent.stop()
        self.fake.stop()

    def assert_window(self, requests, at_least_ms):
        report = self.agent.collect()[0]
        self.assertEqual(report["process_type"], "web")
        self.assertEqual(report["web"]["requests"], requests)
        self.assertGreaterEqual(report["web"]["queue_time_ms"]["p50"], at_least_ms)
        self.assertLess(report["web"]["queue_time_ms"]["p99"], at_least_ms + 5000)

    def test_flask(self):
        import flask

        app = flask.Flask("ebbflow-test")
        app.route("/")(lambda: "ok")
        app.wsgi_app = EbbflowWSGI(app.wsgi_app, self.agent)
        client = app.test_client()
        for _ in range(5):
            self.assertEqual(client.get("/", headers={"X-Request-Start": start_header(150)}).status_code, 200)
        self.assertEqual(client.get("/").status_code, 200)  # no header: not counted, still served
        self.assert_window(5, 150)

    def test_django(self):
        import django
        from django.conf import settings

        if not settings.configured:
            settings.configure(
                DEBUG=False,
                SECRET_KEY="test-only",
                ALLOWED_HOSTS=["*"],
                ROOT_URLCONF="tests.django_urls",
                MIDDLEWARE=["tests.django_urls.TestEbbflowMiddleware"],
            )
            django.setup()
        from django.test import Client

        from tests import django_urls

        django_urls.AGENT = self.agent
        client = Client()
        for _ in range(4):
            self.assertEqual(client.get("/", HTTP_X_REQUEST_START="t=%.3f" % (time.time() - 0.2)).status_code, 200)
        self.assert_window(4, 199)

    def test_fastapi(self):
        from fastapi import FastAPI
        from fastapi.testclient import TestClient

        app = FastAPI()
        app.get("/")(lambda: {"ok": True})
        app.add_middleware(EbbflowASGI, agent=self.agent)
        with TestClient(app) as client:
            for _ in range(3):
                self.assertEqual(client.get("/", headers={"X-Request-Start": start_header(120)}).status_code, 200)
        self.assert_window(3, 120)


if __name__ == "__main__":
    unittest.main()

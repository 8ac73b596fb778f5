from django.http import HttpResponse
from django.urls import path

from ebbflow.django import EbbflowMiddleware

AGENT = None


class TestEbbflowMiddleware(EbbflowMiddleware):
    """EbbflowMiddleware bound to the test's agent instead of the process's shared one."""

    def __init__(self, get_response):
        super().__init__(get_response, agent=AGENT)


urlpatterns = [path("", lambda request: HttpResponse("ok"))]

from .agent import agent as shared_agent


class EbbflowMiddleware:
    """Django: put "ebbflow.django.EbbflowMiddleware" first in MIDDLEWARE."""

    def __init__(self, get_response, agent=None):
        self.get_response = get_response
        self.agent = agent or shared_agent()

    def __call__(self, request):
        if self.agent.enabled:
            self.agent.record_request(request.META.get("HTTP_X_REQUEST_START"))
        return self.get_response(request)

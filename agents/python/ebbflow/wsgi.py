from .agent import agent as shared_agent


class EbbflowWSGI:
    """WSGI middleware (Flask: `app.wsgi_app = EbbflowWSGI(app.wsgi_app)`; any WSGI app)."""

    def __init__(self, app, agent=None):
        self.app = app
        self.agent = agent or shared_agent()

    def __call__(self, environ, start_response):
        if self.agent.enabled:
            wait = environ.get("puma.request_body_wait") or environ.get("ebbflow.request_body_wait_ms") or 0
            self.agent.record_request(environ.get("HTTP_X_REQUEST_START"), wait)
        return self.app(environ, start_response)

from .agent import agent as shared_agent


class EbbflowASGI:
    """ASGI middleware (FastAPI/Starlette: `app.add_middleware(EbbflowASGI)`; any ASGI app)."""

    def __init__(self, app, agent=None):
        self.app = app
        self.agent = agent or shared_agent()

    async def __call__(self, scope, receive, send):
        if self.agent.enabled and scope.get("type") == "http":
            for name, value in scope.get("headers") or ():
                if name == b"x-request-start":
                    self.agent.record_request(value)
                    break
        await self.app(scope, receive, send)

"""Ebbflow agent for Python: reports Celery/RQ queues and web request queue time to Ebbflow."""
from .agent import VERSION, Agent, agent, create_agent

__all__ = ["VERSION", "Agent", "agent", "create_agent"]
__version__ = VERSION

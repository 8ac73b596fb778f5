"""Ebbflow agent for Python: reports Celery/RQ queues and web request queue time to Ebbflow."""
from .agent import VERSION, WAKE_GAP_SECONDS, Agent, agent, create_agent

__all__ = ["VERSION", "WAKE_GAP_SECONDS", "Agent", "agent", "create_agent"]
__version__ = VERSION

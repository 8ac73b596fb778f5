import os
from urllib.parse import unquote, urlsplit, urlunsplit

WAKE_GAP_SECONDS = 5.0  # at most one early report per this many seconds (the enqueue wake)


def read_config(env=None, **options):
    """EBBFLOW_URL and DYNO → settings, or None (agent disabled) when EBBFLOW_URL is unset."""
    env = os.environ if env is None else env
    raw = options.get("url") or env.get("EBBFLOW_URL")
    if not raw:
        return None
    try:
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        token = unquote(parts.password or parts.username or "")
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        netloc = host + (f":{parts.port}" if parts.port else "")
    except ValueError:
        return None
    base = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    dyno = options.get("dyno") or env.get("DYNO") or "local.1"
    dyno_type = dyno.rsplit(".", 1)[0] if "." in dyno else dyno
    return {
        "endpoint": base + "/api/v1/reports",
        "token": token,
        "dyno": dyno,
        "process_type": options.get("process_type") or (dyno_type if env.get("DYNO") else "worker"),
        "interval": options.get("interval", 10.0),
        "timeout": options.get("timeout", 5.0),
        "max_buffered": options.get("max_buffered", 60),
        "max_backoff": options.get("max_backoff", 300.0),
        "wake_gap": options.get("wake_gap", WAKE_GAP_SECONDS),
    }

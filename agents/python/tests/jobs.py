import os
import time


def sleep_then_mark(path, seconds=0.0):
    """A job for the tests: waits, then leaves a file behind so the test sees it ran."""
    time.sleep(seconds)
    with open(path, "w") as handle:
        handle.write(str(os.getpid()))
    return path


def wait_for_file(gate, path, timeout=30):
    """Runs until the test creates `gate`, then marks `path`."""
    deadline = time.time() + timeout
    while not os.path.exists(gate) and time.time() < deadline:
        time.sleep(0.05)
    return sleep_then_mark(path)

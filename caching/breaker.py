"""A process's short memory that a service failed: leave it alone for a few seconds, and say so
in the log at most once a minute, so that a cache or Redis that hangs costs requests nothing
but the fallback (the page cache and the page-view counter use it)."""

import math
import time


class Breaker:
    """`active()` for `pause` seconds after `failed(error)`; `message` (with the error's type
    and text as two `%s`) logged as a warning at most every `log_every` seconds."""

    def __init__(self, logger, message, *, pause=5.0, log_every=60.0):
        self.logger, self.message = logger, message
        self.pause, self.log_every = pause, log_every
        self.reset()

    def reset(self):
        """Forget any failure (tests start from here)."""
        self.until = 0.0
        self.logged_at = -math.inf

    def active(self):
        return time.monotonic() < self.until

    def failed(self, error):
        now = time.monotonic()
        self.until = now + self.pause
        if now - self.logged_at >= self.log_every:
            self.logged_at = now
            self.logger.warning(self.message, type(error).__name__, error)

"""The cache that holds rate-limit counters: Redis, and this process's memory while Redis is away."""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class FailSafeRedisCache(RedisCache):
    """Django's Redis cache whose counters fall back to a per-process one on any Redis error.

    django-ratelimit counts in a cache and lets a cache error escape, so with Redis down
    every limited form (enquiries, sign-ups) answered 500 before it stored anything. Here
    the limit keeps counting, in this process only (each app server then allows up to the
    limit on its own) until Redis answers again; a warning says so at most once a minute.
    Only django-ratelimit uses this cache (RATELIMIT_USE_CACHE); pages and sessions do not.
    """

    WARN_EVERY = 60  # seconds

    def __init__(self, server, params):
        super().__init__(server, params)
        self._local = LocMemCache(
            f"ratelimit-fallback:{server}", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )
        self._warned_at = 0.0

    def _fallback(self, name, *args, **kwargs):
        try:
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            now = time.monotonic()
            if now - self._warned_at > self.WARN_EVERY:
                self._warned_at = now
                logger.warning(
                    "Rate-limit counters are kept in this process only: Redis failed (%s)", error
                )
            return getattr(self._local, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._fallback("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._fallback("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._fallback("set", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._fallback("incr", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._fallback("delete", *args, **kwargs)

    def clear(self):
        self._local.clear()
        return self._fallback("clear")

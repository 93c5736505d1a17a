"""Django's Redis cache, keeping one Redis client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` object for every cache
operation, and redis-py fills each new client's table of ~170 response callbacks: on this
machine that was half the CPU time of a page served from the page cache (three cache reads
per page). A client is only a handle on its pool and is safe to share between threads, so one
per pool is kept. Every command the client sends is timed for /metrics (ktnsite.metrics).
Everything else is Django's own.
"""

import time

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

from ktnsite.metrics import observe_cache_command


class TimedRedis(redis.Redis):
    """A client whose every command (GET, MGET, SET...) is timed; pipelines are not."""

    def execute_command(self, *args, **options):
        start = time.perf_counter()
        try:
            return super().execute_command(*args, **options)
        finally:
            observe_cache_command(str(args[0]), time.perf_counter() - start)


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        if settings.METRICS_ENABLED:
            self._client = TimedRedis

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

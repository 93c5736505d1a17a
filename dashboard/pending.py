"""Page views counted in Redis as they come, and moved into the daily rows once a minute.

A counted view used to cost a rate-limit round trip to Redis, a database read (is the item
live?) and a database write per request; here it is one Redis script (`COUNT`): the rate limit
per address and the view, with its referrer host, added to one hash (`HASH`). The scheduled
job `flush_view_counts` (`flush()`) takes the hash whole (RENAME to a batch of its own, in the
same script that lists the batches not yet applied), adds each batch's totals to `DailyCount`
and `ReferrerCount` in one transaction that also records the batch's name (`ViewBatch`), and
only then deletes it from Redis. So a view is never lost (a batch stays in Redis until its
totals are committed) nor counted twice: two flushes at once, or one retried after a crash
between its commit and its delete, find the batch's name already recorded and skip it.

The hash's fields name the day of the view (the site's local date when it was counted, so a
view before midnight stays on its day, whenever the flush runs): "v|<day>|<key>" for views,
"r|<day>|<key>|<host>" for referrer hosts, "h|<day>|<key>" the hosts seen in this batch (at
most HOSTS_PER_DAY per item and day, the rest as "other", as the rows are). Only live items'
keys reach it (`dashboard.views`), so its size is bounded by the live items, whatever is sent.

When the shared cache is not Redis, or Redis fails, `count()` says so (None) and the caller
counts in the database directly (`dashboard.counts.count_view`); after a failure Redis is left
alone for AWAY_SECONDS, so an outage costs a view no more than the direct count.
"""

import hashlib
import logging
import re
import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from redis.exceptions import NoScriptError, RedisError

from caching.breaker import Breaker
from dashboard.counts import HOSTS_PER_DAY, OTHER_HOST, VIEW, _upsert
from dashboard.models import DailyCount, ReferrerCount, ViewBatch

logger = logging.getLogger(__name__)

HASH = "dashboard:views"
BATCHES = "dashboard:views:batches"
BATCH_PREFIX = "dashboard:views:batch:"
RATE_PREFIX = "dashboard:views:rate:"
AWAY_SECONDS = 5
LOG_EVERY = 60
# Rows per statement when a batch is stored (4 values each: within SQLite's 999 parameters).
CHUNK = 200
# Batch names kept in the database after their totals were added (a batch left in Redis by a
# flush that stopped after its commit is recognised for this long).
BATCHES_KEPT = timedelta(days=7)

# KEYS: the hash, then the address's rate-limit key when the limit is to be checked.
# ARGV: the limit, its window in seconds, the day, the item's key ("" to check the limit
# only), "1" and the referrer host when it is known, HOSTS_PER_DAY.
# Returns 1 when within the limit (and counted when a key was given), 0 when over it.
COUNT = """
if KEYS[2] then
  local n = redis.call('INCR', KEYS[2])
  if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
  if n > tonumber(ARGV[1]) then return 0 end
end
if ARGV[4] == '' then return 1 end
local item = ARGV[3] .. '|' .. ARGV[4]
redis.call('HINCRBY', KEYS[1], 'v|' .. item, 1)
if ARGV[5] == '1' then
  local field = 'r|' .. item .. '|' .. ARGV[6]
  if redis.call('HEXISTS', KEYS[1], field) == 0 then
    if redis.call('HINCRBY', KEYS[1], 'h|' .. item, 1) > tonumber(ARGV[7]) then
      field = 'r|' .. item .. '|' .. ARGV[8]
    end
  end
  redis.call('HINCRBY', KEYS[1], field, 1)
end
return 1
"""

# KEYS: the hash, the set of batches, the new batch's name. The hash (if any) becomes the new
# batch; returns every batch not yet applied, this one and any a stopped flush left behind.
TAKE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[3])
  redis.call('SADD', KEYS[2], KEYS[3])
end
return redis.call('SMEMBERS', KEYS[2])
"""

_SHA = {script: hashlib.sha1(script.encode()).hexdigest() for script in (COUNT, TAKE)}  # noqa: S324 - Redis names scripts by SHA-1


# This process's knowledge that Redis failed a moment ago.
_away = Breaker(
    logger,
    "Page views are counted in the database for now: Redis failed (%s: %s)",
    pause=AWAY_SECONDS,
    log_every=LOG_EVERY,
)


def redis_client():
    """The shared cache's Redis client, or None when the shared cache is not Redis."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None
    # Django's cache keeps its client (and connection pool) here; reusing it means no second
    # pool, and the same REDIS_URL and timeouts as the cache.
    return cache._cache.get_client(write=True)


def _run(client, script, keys, args):
    try:
        return client.evalsha(_SHA[script], len(keys), *keys, *args)
    except NoScriptError:
        return client.eval(script, len(keys), *keys, *args)


RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate():
    """DASHBOARD_VIEW_RATE ("60/m", "100/5m") as (views, seconds); 60 a minute if unreadable."""
    found = RATE.match(str(getattr(settings, "DASHBOARD_VIEW_RATE", "60/m")).strip())
    if not found:
        return 60, 60
    return int(found[1]), int(found[2] or 1) * UNITS[found[3]]


def rate_key(address):
    """The address's rate-limit key: a keyed hash, so the address cannot be read back from
    Redis (a plain hash of an IPv4 address is undone by trying them all); it expires with its
    window, and is never stored anywhere else."""
    secret = hashlib.sha256(settings.SECRET_KEY.encode()).digest()
    digest = hashlib.blake2b(str(address).encode(), key=secret, digest_size=16).hexdigest()
    return RATE_PREFIX + digest


def count(address, key, host, *, when=None):
    """Count one view of the live item `key` from `host` (None: not known) within the rate
    limit of `address` (None: the limit was checked already). True when counted, False when
    over the limit, None when Redis cannot be used (the caller counts in the database)."""
    client = None if _away.active() else redis_client()
    if client is None:
        return None
    limit, seconds = rate()
    keys = [HASH] if address is None else [HASH, rate_key(address)]
    day = timezone.localdate(when).isoformat() if key else ""
    args = [limit, seconds, day, key, "0" if host is None else "1", host or "", HOSTS_PER_DAY]
    try:
        return bool(_run(client, COUNT, keys, [*args, OTHER_HOST]))
    except RedisError as error:
        _away.failed(error)
        return None


def within_limit(address):
    """Whether `address` may have one more view counted (and that view's allowance taken);
    None when Redis cannot be used."""
    return count(address, "", None)


def _totals(fields):
    views, referrers = defaultdict(int), defaultdict(int)
    for field, value in fields.items():
        parts = field.decode().split("|")
        try:
            day, n = date.fromisoformat(parts[1]), int(value)
        except (IndexError, ValueError):
            continue
        if parts[0] == "v" and len(parts) == 3:
            views[day, parts[2]] += n
        elif parts[0] == "r" and len(parts) == 4:
            referrers[day, parts[2], parts[3]] += n
    return views, referrers


def _bounded(referrers):
    """The batch's referrer totals with hosts past HOSTS_PER_DAY per item and day (counting
    those already stored) moved to "other"."""
    if not referrers:
        return {}
    days = {day for day, _key, _host in referrers}
    keys = {key for _day, key, _host in referrers}
    known = defaultdict(set)
    keys = sorted(keys)
    for start in range(0, len(keys), CHUNK):
        rows = ReferrerCount.objects.filter(day__in=days, key__in=keys[start : start + CHUNK])
        for day, key, host in rows.values_list("day", "key", "host"):
            known[day, key].add(host)
    kept = defaultdict(int)
    for (day, key, host), n in sorted(referrers.items(), key=lambda item: -item[1]):
        hosts = known[day, key]
        if host != OTHER_HOST and host not in hosts:
            if len(hosts) >= HOSTS_PER_DAY:
                host = OTHER_HOST
            else:
                hosts.add(host)
        kept[day, key, host] += n
    return kept


def _apply(name, fields):
    """Add one batch's totals to the daily rows, once: False when it was applied already."""
    views, referrers = _totals(fields)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ViewBatch.objects.create(name=name)
        except IntegrityError:
            return False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        views = [(VIEW, day, key, n) for (day, key), n in sorted(views.items())]
        referrers = [(key, day, host, n) for (day, key, host), n in _bounded(referrers).items()]
        _add(DailyCount, ["kind", "day", "key"], views)
        _add(ReferrerCount, ["key", "day", "host"], sorted(referrers))
    return True


def _add(model, names, rows):
    """Add each row's last value to the count of `model`'s row with the others (its unique
    fields): one INSERT ... ON CONFLICT DO UPDATE per CHUNK rows (each row once in `rows`)."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        values = [value for row in chunk for value in row]
        sql, params = _upsert(model, names, values, rows=len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def flush():
    """Move the views counted in Redis into `DailyCount` and `ReferrerCount`; a summary.

    Safe to run in several processes at once and after a crash at any point (see above).
    """
    client = redis_client()
    if client is None:
        return {"batches": 0}
    name = f"{BATCH_PREFIX}{uuid.uuid4().hex}"
    batches = sorted(b.decode() for b in _run(client, TAKE, [HASH, BATCHES, name], []))
    applied = 0
    for batch in batches:
        fields = client.hgetall(batch)
        if fields and _apply(batch, fields):
            applied += 1
        # Applied now or before: its totals are in the database, so it may go.
        client.delete(batch)
        client.srem(BATCHES, batch)
    ViewBatch.objects.filter(applied_at__lt=timezone.now() - BATCHES_KEPT).delete()
    return {"batches": applied}

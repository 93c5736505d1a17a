"""The site's settings for the tests: the same, plus an app of content that exists only here."""

import os

from ktnsite.settings import *  # noqa: F403
from ktnsite.settings import CACHES, INSTALLED_APPS, REDIS_URL

# Before ktnsite, as a content app would be: the site layer starts last.
INSTALLED_APPS = [*INSTALLED_APPS[:-1], "tests.gadgets", INSTALLED_APPS[-1]]
assert INSTALLED_APPS[-1] == "ktnsite"  # noqa: S101 - the order the insert relies on

# Django's default hasher (PBKDF2, over a million rounds) costs ~0.3 s of CPU per
# create_user and per password log-in, thousands of times in the suite; no test checks the
# hash itself, so a cheap one keeps the suite fast. Production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# In parallel runs (pytest-xdist, scripts/test) each worker has its own test database; it
# needs its own Redis database too, since every test begins by clearing the caches
# (tests/conftest.py fresh_cache: FLUSHDB) and would wipe another worker's counters and
# pages mid-test. Worker gwN uses REDIS_URL's database + N; the environment is updated so
# that app servers a test starts as subprocesses share this worker's cache.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw") and _worker[2:].isdigit():
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)
    _db = int(_parts.path.lstrip("/") or 0) + int(_worker[2:])
    REDIS_URL = urlunsplit(_parts._replace(path=f"/{_db}"))
    os.environ["REDIS_URL"] = REDIS_URL
    for _cache in CACHES.values():
        if _cache.get("LOCATION", "").startswith(("redis://", "rediss://")):
            _cache["LOCATION"] = REDIS_URL

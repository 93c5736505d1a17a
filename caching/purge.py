"""Front-cache purging: one small interface, a backend per cache or CDN, and a task with retries.

`settings.FRONT_CACHE_PURGERS` lists the configured backends (built from environment
variables in settings.py): each is a dict with `BACKEND` (a class path) and `OPTIONS` (its
keyword arguments). `purge_enqueue(keys)` queues one `purge_keys` task through Django's tasks
API; a backend that fails is tried again later, with backoff, on a task backend that can
defer (the database queue). Every backend gets the same thing: a set of surrogate keys
(`caching.frontcache`).
"""

import json
import logging
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from prometheus_client import Counter

from outbox.queueing import backoff, task_enqueue

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY = timedelta(minutes=10)


class PurgeError(Exception):
    """A front cache did not confirm the purge."""


def _send(method, url, *, headers=None, body=None):
    """One HTTP request; returns the body, raises PurgeError unless the answer is 2xx."""
    if not url.lower().startswith(("http://", "https://")):
        raise PurgeError(f"not an HTTP address: {url}")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=body, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - the scheme is checked above
            request, timeout=settings.FRONT_CACHE_PURGE_TIMEOUT
        ) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise PurgeError(f"{method} {url}: HTTP {exc.code}") from exc
    except (OSError, ValueError) as exc:
        raise PurgeError(f"{method} {url}: {exc}") from exc


class Purger:
    """The interface: forget every cached page carrying any of these keys."""

    def purge(self, keys):
        raise NotImplementedError


class VarnishPurger(Purger):
    """Varnish with varnish-modules' xkey (deploy/varnish/default.vcl): `PURGE` with the
    keys in an `xkey-purge` header, sent to every Varnish in `urls`."""

    def __init__(self, urls, soft=False):
        self.urls = list(urls)
        self.header = "xkey-softpurge" if soft else "xkey-purge"

    def purge(self, keys):
        for url in self.urls:
            _send("PURGE", url, headers={self.header: " ".join(sorted(keys))})


class HTTPPurger(Purger):
    """Any cache that purges by key over HTTP: one request per purge, keys in a header
    (`PURGE` with `Surrogate-Key`, as Fastly and many proxies take it)."""

    def __init__(self, url, method="PURGE", key_header="Surrogate-Key", headers=None):
        self.url, self.method, self.key_header = url, method, key_header
        self.headers = dict(headers or {})

    def purge(self, keys):
        _send(
            self.method, self.url, headers={**self.headers, self.key_header: " ".join(sorted(keys))}
        )


class CloudflarePurger(Purger):
    """Cloudflare's purge by cache tag (pages carry `Cache-Tag`), at most 30 tags a call."""

    API = "https://api.cloudflare.com/client/v4"
    TAGS_PER_CALL = 30

    def __init__(self, zone_id, api_token, api_url=API):
        self.url = f"{api_url.rstrip('/')}/zones/{zone_id}/purge_cache"
        self.api_token = api_token

    def purge(self, keys):
        keys = sorted(keys)
        for start in range(0, len(keys), self.TAGS_PER_CALL):
            body = json.dumps({"tags": keys[start : start + self.TAGS_PER_CALL]}).encode()
            answer = _send(
                "POST",
                self.url,
                headers={
                    "Authorization": f"Bearer {self.api_token}",
                    "Content-Type": "application/json",
                },
                body=body,
            )
            try:
                success = json.loads(answer).get("success")
            except (ValueError, AttributeError):
                success = False
            if not success:
                raise PurgeError(f"Cloudflare refused the purge: {answer[:200]!r}")


class CloudFrontPurger(Purger):
    """Amazon CloudFront: an invalidation of every path (`/*`).

    CloudFront cannot invalidate by tag, only by path, and a key such as `news` stands for
    pages at many addresses; one wildcard path counts as one path in AWS's pricing.
    Credentials come from boto3's own chain (a role, `AWS_ACCESS_KEY_ID`...).
    """

    def __init__(self, distribution_id, endpoint_url=None, region_name="us-east-1"):
        self.distribution_id = distribution_id
        self.endpoint_url, self.region_name = endpoint_url, region_name

    def purge(self, keys):
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        client = boto3.client(
            "cloudfront",
            endpoint_url=self.endpoint_url,
            region_name=self.region_name,
            config=Config(
                connect_timeout=settings.FRONT_CACHE_PURGE_TIMEOUT,
                read_timeout=settings.FRONT_CACHE_PURGE_TIMEOUT,
                retries={"max_attempts": 1},
            ),
        )
        try:
            client.create_invalidation(
                DistributionId=self.distribution_id,
                InvalidationBatch={
                    "Paths": {"Quantity": 1, "Items": ["/*"]},
                    "CallerReference": uuid.uuid4().hex,
                },
            )
        except (BotoCoreError, ClientError) as exc:
            raise PurgeError(f"CloudFront: {exc}") from exc


# Per backend call, for /metrics (the site's page adds up every process's counts).
PURGES = Counter("ktnsite_front_cache_purges", "Front-cache purges sent, by outcome", ["outcome"])
PURGES_SENT = PURGES.labels("sent")
PURGES_FAILED = PURGES.labels("failed")


def purgers():
    """The configured backends, in settings order."""
    return [
        import_string(entry["BACKEND"])(**entry.get("OPTIONS", {}))
        for entry in settings.FRONT_CACHE_PURGERS
    ]


def purge_now(keys, only=None):
    """Purge `keys` in each configured front cache (or those at indexes `only`); returns
    the indexes of the backends that failed."""
    failed = []
    for index, purger in enumerate(purgers()):
        if only is not None and index not in only:
            continue
        try:
            purger.purge(keys)
        except Exception as exc:
            logger.warning("Purge of %s by %s failed: %s", sorted(keys), type(purger).__name__, exc)
            PURGES_FAILED.inc()
            failed.append(index)
        else:
            PURGES_SENT.inc()
    return failed


def retry_delay(attempt):
    """2, 4, 8... seconds after the first, second, third failure, at most ten minutes."""
    return backoff(attempt, base=timedelta(seconds=2), cap=MAX_RETRY_DELAY)


@task()
def purge_keys(keys, only=None, attempt=1):
    """Purge `keys`; queue a later attempt for the backends that failed."""
    failed = purge_now(set(keys), only=only)
    if not failed:
        return
    if (
        attempt >= settings.FRONT_CACHE_PURGE_ATTEMPTS
        or not purge_keys.get_backend().supports_defer
    ):
        # Pages still expire by themselves within FRONT_CACHE_SECONDS (s-maxage).
        logger.error("Gave up purging %s after %d attempt(s)", sorted(keys), attempt)
        return
    purge_keys.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
        keys=list(keys), only=failed, attempt=attempt + 1
    )


def purge_enqueue(keys):
    """Queue a purge of `keys` (called after the commit of the change that needs it)."""
    if not settings.FRONT_CACHE_PURGERS or not keys:
        return
    # A queue that is down must not fail an editor's save: the pages expire by themselves.
    task_enqueue(
        purge_keys, keys=sorted(keys), failure=f"the purge of {sorted(keys)}; pages expire"
    )

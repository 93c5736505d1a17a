"""Page views counted in Redis and moved into the daily rows by the one-minute job: every
beacon counted once, on the day it was sent, whatever fails or runs twice; Redis away, the
views are counted in the database at once."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.test import Client

from dashboard import pending
from dashboard.models import DailyCount, ReferrerCount
from publishing.models import Status
from tests.factories import make_post
from tests.fault_services import RedisServer

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def redis_server(settings):
    """The production cache set-up (REDIS_URL) on a redis-server this test owns."""
    server = RedisServer()
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    settings.CACHES = {
        **django_settings.CACHES,
        "default": {"BACKEND": "ktnsite.cache.RedisCache", "LOCATION": server.url,
                    "OPTIONS": options},
        "ratelimit": {"BACKEND": "ktnsite.ratelimit.FailSafeRedisCache",
                      "LOCATION": server.url, "OPTIONS": options},
    }  # fmt: skip
    yield server
    server.stop()


def beacon(item, came_from="www.google.com", address="198.51.100.7"):
    response = Client(headers={"user-agent": BROWSER}).post(
        "/count/", {"item": item, "from": came_from}, REMOTE_ADDR=address
    )
    assert response.status_code == 204
    return response


def stored_views():
    return dict(DailyCount.objects.filter(kind="view").values_list("key", "count"))


def redis_contents():
    client = pending.redis_client()
    return {key: client.dump(key) for key in client.keys("*")}


def test_beacons_are_counted_in_redis_and_the_flush_stores_each_once(redis_server):
    post = make_post()
    key = f"post-{post.pk}"
    for n in range(7):
        beacon(key, "www.google.com" if n < 5 else "", address=f"198.51.100.{n}")
    assert stored_views() == {}  # not yet: in Redis until the job runs
    assert pending.flush() == {"batches": 1}
    assert stored_views() == {key: 7}
    assert dict(ReferrerCount.objects.values_list("host", "count")) == {"google.com": 5, "": 2}
    beacon(key)
    pending.flush()
    pending.flush()  # nothing new: adds nothing
    assert stored_views() == {key: 8}
    # Nothing about the readers in Redis: their addresses only as keyed hashes.
    assert not any(b"198.51.100" in name or b"198.51.100" in value
                   for name, value in redis_contents().items())  # fmt: skip


def test_an_unknown_or_draft_item_is_not_counted_nor_kept_in_redis(redis_server):
    draft = make_post(status=Status.DRAFT)
    for item in (f"post-{draft.pk}", "post-999999", "user-1", "post-x", "report-" + "9" * 30):
        beacon(item)
    client = pending.redis_client()
    assert not client.exists(pending.HASH)
    pending.flush()
    assert not DailyCount.objects.exists() and not ReferrerCount.objects.exists()


def test_a_flood_from_one_address_is_counted_up_to_the_limit(redis_server, settings):
    settings.DASHBOARD_VIEW_RATE = "3/m"
    post = make_post()
    key = f"post-{post.pk}"
    for _ in range(6):
        beacon(key, address="203.0.113.9")
    beacon(key, address="203.0.113.10")  # another reader still counts
    pending.flush()
    assert stored_views() == {key: 4}


def test_with_redis_down_a_view_is_counted_in_the_database_at_once(redis_server):
    post = make_post()
    key = f"post-{post.pk}"
    beacon(key)
    redis_server.stop()
    beacon(key, "www.google.com", address="198.51.100.8")
    image = Client(headers={"user-agent": BROWSER}).get("/count/view.gif", {"item": key})
    assert image.status_code == 200
    assert stored_views() == {key: 2}  # the view counted in Redis waits for it to come back
    assert dict(ReferrerCount.objects.values_list("host", "count")) == {"google.com": 1}


def test_a_batch_flushed_twice_or_by_two_jobs_at_once_is_stored_once(redis_server):
    post = make_post()
    key = f"post-{post.pk}"
    for n in range(3):
        beacon(key, address=f"198.51.100.{n}")
    # One job takes the views as a batch and reads it, then another job runs whole...
    client = pending.redis_client()
    name = f"{pending.BATCH_PREFIX}first"
    pending._run(client, pending.TAKE, [pending.HASH, pending.BATCHES, name], [])
    fields = client.hgetall(name)
    assert pending.flush() == {"batches": 1}
    # ...and the first, going on, finds the batch stored already.
    assert pending._apply(name, fields) is False
    assert stored_views() == {key: 3}
    # A job that stopped after storing a batch and before deleting it from Redis: the next
    # run finds the batch again and stores nothing twice.
    beacon(key, address="198.51.100.9")
    name = f"{pending.BATCH_PREFIX}stopped"
    pending._run(client, pending.TAKE, [pending.HASH, pending.BATCHES, name], [])
    assert pending._apply(name, client.hgetall(name)) is True
    assert pending.flush() == {"batches": 0}
    assert stored_views() == {key: 4}
    assert not client.exists(name) and not client.smembers(pending.BATCHES)


def test_views_either_side_of_midnight_and_a_clock_change_count_on_their_own_day(redis_server):
    post = make_post()
    key = f"post-{post.pk}"
    moments = [
        datetime(2026, 3, 28, 23, 59, 59, tzinfo=LONDON),  # the night the clocks go forward
        datetime(2026, 3, 29, 0, 0, 1, tzinfo=LONDON),
        datetime(2026, 3, 29, 0, 59, 59, tzinfo=LONDON),  # 00:59 GMT, then 02:00 BST
        datetime(2026, 3, 29, 2, 0, 0, tzinfo=LONDON),
        datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=0),  # 01:30 BST
        datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=1),  # an hour later, 01:30 GMT
        datetime(2026, 10, 25, 23, 59, 59, tzinfo=LONDON),
    ]
    for moment in moments:
        assert pending.count(None, key, "", when=moment) is True
    pending.flush()  # one flush, on whatever day it runs
    rows = DailyCount.objects.filter(kind="view", key=key).order_by("day")
    assert [(row.day.isoformat(), row.count) for row in rows] == [
        ("2026-03-28", 1),
        ("2026-03-29", 3),
        ("2026-10-25", 3),
    ]


def test_referrer_hosts_past_the_bound_are_kept_as_other_across_batches(redis_server):
    from dashboard.counts import HOSTS_PER_DAY

    post = make_post()
    key = f"post-{post.pk}"
    for n in range(HOSTS_PER_DAY - 5):
        pending.count(None, key, f"site{n}.example")
    pending.flush()
    for n in range(HOSTS_PER_DAY + 5):  # 15 known hosts, then 10 new: 5 kept, 5 "other"
        pending.count(None, key, f"site{n}.example")
    pending.flush()
    hosts = dict(ReferrerCount.objects.values_list("host", "count"))
    assert len(hosts) == HOSTS_PER_DAY + 1
    assert hosts["other"] == 5 and hosts["site0.example"] == 2
    assert sum(hosts.values()) == 2 * HOSTS_PER_DAY


def test_the_counter_answered_before_the_page_stack_still_refuses_a_host_not_ours(redis_server):
    post = make_post()
    client = Client(headers={"user-agent": BROWSER})
    refused = client.post("/count/", {"item": f"post-{post.pk}"}, HTTP_HOST="evil.example")
    assert refused.status_code == 400
    answered = client.post("/count/", {"item": f"post-{post.pk}"})
    # Nothing of the session or the page cache: no cookie, no Vary on it, never stored.
    assert answered.status_code == 204 and not answered.cookies
    assert "Cookie" not in answered.get("Vary", "") and "no-store" in answered["Cache-Control"]
    assert answered["X-Content-Type-Options"] == "nosniff"  # the security middleware ran
    pending.flush()
    assert stored_views() == {f"post-{post.pk}": 1}


def test_an_item_published_or_taken_down_is_counted_from_then_on_or_no_longer(redis_server):
    post = make_post(status=Status.DRAFT)
    key = f"post-{post.pk}"
    beacon(key, address="198.51.100.1")  # a draft: not counted (and so remembered a moment)
    post.status = Status.PUBLISHED
    post.save()
    beacon(key, address="198.51.100.2")
    beacon(key, address="198.51.100.3")
    post.status = Status.DRAFT
    post.save()
    beacon(key, address="198.51.100.4")
    pending.flush()
    assert stored_views() == {key: 2}

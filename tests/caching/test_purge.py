"""Purge on change: the right keys, once per transaction, after the commit, to every backend."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caching import purge
from publishing.models import Status
from tests.factories import (
    admin_post_data,
    make_contact,
    make_enquiry,
    make_post,
    make_staff,
    make_subscriber,
    make_topic,
)

pytestmark = pytest.mark.django_db


class Recorder(purge.Purger):
    """A front cache that remembers what it was asked to purge."""

    calls = []

    def purge(self, keys):
        Recorder.calls.append(set(keys))


@pytest.fixture
def purged(settings):
    settings.FRONT_CACHE_PURGERS = [{"BACKEND": "tests.caching.test_purge.Recorder"}]
    Recorder.calls = []
    return Recorder.calls


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit at the end of the block (the test itself never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def content(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        quantum = make_topic(name="Quantum", slug="quantum")
        contact = make_contact(name="Ada Lead", topics=[quantum])
        post = make_post(title="Qubits", topics=[quantum], contacts=[contact])
    return {"topic": quantum, "contact": contact, "post": post}


def test_saving_a_post_purges_it_the_news_lists_and_its_topics(content, purged, committed):
    post = content["post"]
    with committed():
        post.title = "Qubits, corrected"
        post.save()
    assert purged == [{f"post-{post.pk}", "news", "topic-quantum"}]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED])
def test_publishing_and_unpublishing_purge_the_same_keys(content, purged, committed, status):
    post = content["post"]
    with committed():
        post.status = status
        post.save()
    assert purged == [{f"post-{post.pk}", "news", "topic-quantum"}]


def test_moving_a_post_to_another_topic_purges_both_hubs(content, purged, committed):
    post = content["post"]
    with committed():
        other = make_topic(name="Energy", slug="energy")
    purged.clear()
    with committed():
        post.topics.set([other])
    assert purged == [{f"post-{post.pk}", "news", "topic-quantum", "topic-energy"}]


def test_linking_from_the_other_side_purges_the_post(content, purged, committed):
    post = content["post"]
    with committed():
        other = make_topic(name="Energy", slug="energy")
        other.posts.add(post)
    assert {f"post-{post.pk}", "news", "topic-energy"} <= set().union(*purged)


def test_deleting_a_post_purges_the_topics_it_was_on(content, purged, committed):
    post = content["post"]
    pk = post.pk
    with committed():
        post.delete()
    assert set().union(*purged) == {f"post-{pk}", "news", "topic-quantum"}


def test_a_change_note_purges_its_post(content, purged, committed):
    from news.models import PostChange

    post = content["post"]
    with committed():
        PostChange.objects.create(post=post, changed_at=timezone.now(), note="Figures corrected.")
    assert f"post-{post.pk}" in purged[0]


def test_a_contact_change_purges_the_contact_lists_and_its_topics(content, purged, committed):
    contact = content["contact"]
    with committed():
        contact.job_title = "Head of Quantum"
        contact.save()
    assert purged == [{f"contact-{contact.pk}", "contacts", "topic-quantum"}]


def test_a_topic_change_purges_the_whole_site(content, purged, committed):
    with committed():
        content["topic"].name = "Quantum technologies"
        content["topic"].save()
    assert purged == [{f"topic-{content['topic'].pk}", "site"}]


def test_an_admin_save_is_one_purge_after_the_commit(content, purged, committed):
    client = Client()
    client.force_login(make_staff("ed", groups=["Editors"]))
    post = content["post"]
    with committed():
        response = client.post(
            reverse("admin:news_post_change", args=[post.pk]),
            admin_post_data(post, title="Edited in the admin", topics=[]),
        )
    assert response.status_code == 302
    assert purged == [{f"post-{post.pk}", "news", "topic-quantum"}]


def test_nothing_is_purged_before_the_commit_nor_after_a_rollback(content, purged, committed):
    post = content["post"]
    with committed():
        post.title = "Not yet"
        post.save()
        assert purged == []
    assert len(purged) == 1
    purged.clear()
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        post.title = "Never"
        post.save()
        raise RuntimeError
    assert purged == []


def test_rows_readers_never_see_purge_nothing(content, purged, committed):
    with committed():
        make_subscriber()
        make_enquiry(contact=content["contact"])
        make_staff("someone")
    assert purged == []


# Backends, each against a local HTTP server standing in for the real API ---------------------


class FakeAPI:
    """An HTTP server on loopback that records requests and answers what it is told to."""

    def __init__(self):
        self.requests = []
        self.status, self.body, self.headers = 200, b"", {}
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                api.requests.append(
                    (
                        self.command,
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        self.rfile.read(length),
                    )
                )
                self.send_response(api.status)
                for name, value in api.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(api.body)))
                self.end_headers()
                self.wfile.write(api.body)

            do_GET = do_POST = do_PURGE = do_BAN = _any

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api():
    server = FakeAPI()
    yield server
    server.close()


def test_varnish_gets_a_purge_with_the_keys_in_xkey_purge(api):
    purge.VarnishPurger(urls=[api.url, api.url]).purge({"news", "post-1"})
    assert [(m, h["xkey-purge"]) for m, _p, h, _b in api.requests] == [
        ("PURGE", "news post-1"),
        ("PURGE", "news post-1"),
    ]


def test_a_generic_cache_gets_purge_with_surrogate_key_and_its_credentials(api):
    purge.HTTPPurger(url=f"{api.url}/purge", headers={"Authorization": "Bearer s3cret"}).purge(
        {"news"}
    )
    method, path, headers, _body = api.requests[0]
    assert (method, path, headers["surrogate-key"], headers["authorization"]) == (
        "PURGE",
        "/purge",
        "news",
        "Bearer s3cret",
    )


def test_a_refusing_cache_is_an_error(api):
    api.status = 403
    with pytest.raises(purge.PurgeError, match="HTTP 403"):
        purge.VarnishPurger(urls=[api.url]).purge({"news"})


def test_cloudflare_purges_by_tag_thirty_at_a_time(api):
    api.body = json.dumps({"success": True, "errors": [], "result": {"id": "z"}}).encode()
    keys = {f"post-{n}" for n in range(45)}
    purge.CloudflarePurger(zone_id="zone1", api_token="tok", api_url=api.url).purge(keys)
    assert len(api.requests) == 2
    method, path, headers, body = api.requests[0]
    assert (method, path, headers["authorization"]) == (
        "POST",
        "/zones/zone1/purge_cache",
        "Bearer tok",
    )
    sent = [set(json.loads(r[3])["tags"]) for r in api.requests]
    assert sent[0] | sent[1] == keys and len(sent[0]) == 30


def test_cloudflare_saying_no_is_an_error(api):
    api.body = json.dumps({"success": False, "errors": [{"code": 10000}]}).encode()
    with pytest.raises(purge.PurgeError, match="refused"):
        purge.CloudflarePurger(zone_id="z", api_token="t", api_url=api.url).purge({"news"})


def test_cloudfront_invalidates_every_path(api, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    api.status = 201
    api.headers = {"Content-Type": "text/xml", "Location": f"{api.url}/inv/I1"}
    api.body = (
        b'<?xml version="1.0"?><Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'
        b"<Id>I1</Id><Status>InProgress</Status><CreateTime>2026-01-01T00:00:00Z</CreateTime>"
        b"<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/*</Path></Items></Paths>"
        b"<CallerReference>x</CallerReference></InvalidationBatch></Invalidation>"
    )
    purge.CloudFrontPurger(distribution_id="EDFDVBD6EXAMPLE", endpoint_url=api.url).purge({"news"})
    method, path, headers, body = api.requests[0]
    assert (method, path) == ("POST", "/2020-05-31/distribution/EDFDVBD6EXAMPLE/invalidation")
    assert b"<Path>/*</Path>" in body and "AWS4-HMAC-SHA256" in headers["authorization"]


def test_settings_build_the_backends_from_the_environment(monkeypatch):
    import importlib

    from ktnsite import settings as site_settings

    for name, value in {
        "DJANGO_FRONT_CACHE_VARNISH": "http://10.0.0.5:6081, http://10.0.0.6:6081",
        "DJANGO_FRONT_CACHE_PURGE_URL": "https://cache.example/purge",
        "CLOUDFLARE_ZONE_ID": "zone",
        "CLOUDFLARE_API_TOKEN": "token",
        "CLOUDFRONT_DISTRIBUTION_ID": "DIST",
    }.items():
        monkeypatch.setenv(name, value)
    try:
        built = importlib.reload(site_settings)
        backends = [entry["BACKEND"].rsplit(".", 1)[1] for entry in built.FRONT_CACHE_PURGERS]
        assert backends == ["VarnishPurger", "HTTPPurger", "CloudflarePurger", "CloudFrontPurger"]
        assert built.FRONT_CACHE_PURGERS[0]["OPTIONS"]["urls"] == [
            "http://10.0.0.5:6081",
            "http://10.0.0.6:6081",
        ]
        assert built.FRONT_CACHE_TAG_HEADER is True
    finally:
        monkeypatch.undo()
        importlib.reload(site_settings)


@pytest.mark.django_db(transaction=True)
def test_a_failed_purge_is_retried_later_by_the_worker(api, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FRONT_CACHE_PURGERS = [
        {"BACKEND": "caching.purge.VarnishPurger", "OPTIONS": {"urls": [api.url]}}
    ]
    api.status = 503  # the cache is down
    post = make_post(title="Out while the cache is down")
    purges = DBTaskResult.objects.filter(task_path="caching.purge.purge_keys")
    assert purges.count() == 1  # queued after the commit, not run in the save

    def run_worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload",
                     stdout=open("/dev/null", "w"))  # noqa: SIM115  # fmt: skip

    run_worker()
    assert not purges.ready().exists()  # the retry waits for its backoff
    pending = purges.filter(status="READY")
    assert pending.count() == 1 and pending.get().args_kwargs["kwargs"]["attempt"] == 2
    api.status = 200
    pending.update(run_after=timezone.now())
    run_worker()
    assert api.requests[-1][2]["xkey-purge"] == f"news post-{post.pk}"
    assert not purges.filter(status="READY").exists()

"""The private parts of libraries the site leans on, checked where we lean on them.

Three speed-ups reach inside a library: one Redis client per pool (ktnsite/cache.py, Django's
RedisCacheClient), one purge per transaction (publishing/frontcache.py, Django's
`connection.run_on_commit` list) and the CSP headers built once per kind of page
(ktnsite/security.py, django-csp's middleware). Each test here fails on the upgrade that
changes what we rely on, naming the module to revisit, instead of the site quietly slowing
down or purging twice.
"""

import pytest
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.db import connection, transaction
from django.test import RequestFactory

from tests.fault_services import RedisServer


@pytest.fixture
def redis_cache():
    from ktnsite.cache import RedisCache

    server = RedisServer()
    cache = RedisCache(server.url, {"OPTIONS": {"socket_timeout": 1}})
    yield cache
    server.stop()


def test_django_redis_client_still_has_the_pool_and_client_class_we_reuse():
    # ktnsite/cache.py calls these two private members of Django's client.
    assert callable(getattr(DjangoRedisCacheClient, "_get_connection_pool", None))
    assert "_client" in DjangoRedisCacheClient.__init__.__code__.co_names


def test_our_redis_cache_keeps_one_client_per_pool_and_still_works(redis_cache):
    from ktnsite.cache import RedisCacheClient

    # Django builds its client from RedisCache._class: ours must be the one in use.
    assert isinstance(redis_cache._cache, RedisCacheClient)
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client()
    redis_cache.set("greeting", "hello", 30)
    assert redis_cache.get("greeting") == "hello"


@pytest.mark.django_db(transaction=True)
def test_on_commit_callbacks_are_still_kept_as_tuples_with_the_callback_second():
    # caching.frontcache.changed looks for its batch's flush in connection.run_on_commit.
    def callback():
        pass

    with transaction.atomic():
        transaction.on_commit(callback)
        assert any(entry[1] == callback for entry in connection.run_on_commit)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_with_many_public_changes_queues_one_purge():
    from caching import frontcache

    with transaction.atomic():
        frontcache.changed(object, {"news"})
        frontcache.changed(object, {"reports"})
        flushes = [
            entry
            for entry in connection.run_on_commit
            if getattr(entry[1], "__self__", None).__class__.__name__ == "_Batch"
        ]
        assert len(flushes) == 1
        assert flushes[0][1].__self__.keys == {"news", "reports"}


def test_django_csp_still_offers_what_our_cached_headers_stand_in_for():
    # ktnsite.security.CSPMiddleware builds each kind of page's header once and then sets
    # the nonce guard as django-csp does, with django-csp's own names for both.
    import csp.middleware

    assert callable(getattr(csp.middleware.CSPMiddleware, "_csp_nonce_post_response", None))
    assert not csp.middleware.CheckableLazyObject(lambda: "unasked")  # falsy until evaluated
    assert {"config", "update", "replace", "nonce"} <= set(
        csp.middleware.PolicyParts.__dataclass_fields__
    )


@pytest.mark.django_db
def test_the_cached_csp_header_is_the_one_django_csp_builds():
    import csp.middleware
    from csp.exceptions import CSPNonceError
    from django.http import HttpResponse

    from ktnsite.security import CSPMiddleware

    request = RequestFactory().get("/news/")
    ours = CSPMiddleware(lambda r: HttpResponse())
    first = ours.process_response(request, HttpResponse())  # builds and keeps it
    second = ours.process_response(RequestFactory().get("/news/"), HttpResponse())
    plain = csp.middleware.CSPMiddleware.process_response(
        ours, RequestFactory().get("/news/"), HttpResponse()
    )
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    assert second["Content-Security-Policy"] == plain["Content-Security-Policy"]
    # As with django-csp's own path, a nonce asked for once the header is out is an error.
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)

"""Redis down: enquiries and sign-ups are still stored and acknowledged, and limits still count."""

import pytest
from django.conf import settings as django_settings

from contacts.models import Enquiry
from mailinglist.models import Subscriber
from tests.factories import enquiry_form_data, make_contact
from tests.fault_services import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_server(settings):
    """The production cache set-up (REDIS_URL) on a redis-server this test owns."""
    server = RedisServer()
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    settings.CACHES = {
        **django_settings.CACHES,
        "default": {
            "BACKEND": "ktnsite.cache.RedisCache",  # what REDIS_URL sets up
            "LOCATION": server.url,
            "OPTIONS": options,
        },
        "ratelimit": {
            "BACKEND": "ktnsite.ratelimit.FailSafeRedisCache",
            "LOCATION": server.url,
            "OPTIONS": options,
        },
    }
    yield server
    server.stop()


def test_with_redis_down_an_enquiry_is_stored_and_acknowledged(client, redis_server, caplog):
    contact = make_contact()
    assert client.post(contact.get_absolute_url(), enquiry_form_data()).status_code == 302
    redis_server.stop()
    response = client.post(contact.get_absolute_url(), enquiry_form_data(message="Still here"))
    assert response.status_code == 302
    assert response.url == f"{contact.get_absolute_url()}thanks/"
    assert Enquiry.objects.filter(message="Still here").exists()
    assert "kept in this process only" in caplog.text


def test_with_redis_down_a_sign_up_is_stored_and_acknowledged(client, redis_server):
    redis_server.stop()
    response = client.post("/mailing-list/", {"email": "reader@example.org", "consent": "on"})
    assert response.status_code == 302
    assert Subscriber.objects.filter(email="reader@example.org").exists()


def test_with_redis_down_the_limit_still_counts_in_the_process(client, redis_server, settings):
    settings.CONTACTS_ENQUIRY_RATE = "2/h"
    redis_server.stop()
    contact = make_contact()
    statuses = [
        client.post(contact.get_absolute_url(), enquiry_form_data()).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]

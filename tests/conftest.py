"""Fixtures shared by the whole suite."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a temporary folder, never the developer's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def memory_storage(settings, tmp_path, monkeypatch):
    """Uploads kept in Django's InMemoryStorage: a real storage with no local paths, like S3.

    Model fields take `default_storage`, which is lazy and re-read when STORAGES changes, so
    every FileField follows this setting. Temporary files go to a folder of their own, so a
    test can check that none is left behind.
    """
    import tempfile

    from django.core.files.storage import default_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    default_storage.scratch = scratch
    return default_storage


@pytest.fixture
def demo(db):
    """The demo content, loaded the way a newcomer loads it."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def editor(django_user_model):
    """A staff user who may change posts and reports (and so preview them)."""
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "correct horse battery staple", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["change_post", "change_report"])
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters, cached pages and views counted in Redis never leak from one test
    into the next, nor does a Redis outage one test caused (the page cache and the view
    counter leave Redis alone for a few seconds after one)."""
    from django.core.cache import caches

    from caching import pagecache
    from dashboard import pending, views

    def forget():
        pagecache._outage.reset()
        pending._away.reset()
        views._live.clear()  # which items this process found live

    forget()
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
    forget()


class SMTPTestServer:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

    `stop()` and `start()` let a test take the mail server down and bring it back on the
    same port, to prove that nothing is lost while it is away.
    """

    def __init__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages = []  # email.message.EmailMessage objects, in arrival order
        self.envelopes = []  # (mail_from, [rcpt_to, ...]) beside each message
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server(settings):
    """Route Django's email through a real SMTP server on loopback for this test."""
    server = SMTPTestServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()

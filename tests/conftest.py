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

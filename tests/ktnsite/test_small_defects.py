"""Smaller holes: an unsafe `next` after the admin login, and report files served as media."""

import pytest

from publishing.models import Status
from tests.factories import make_image_bytes, make_report

pytestmark = pytest.mark.django_db


def test_an_unsafe_next_after_the_admin_login_lands_on_the_admin_index(client, django_user_model):
    django_user_model.objects.create_user("eve", password="a long password", is_staff=True)
    for unsafe in ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"]:
        response = client.post(
            "/admin/login/?next=" + unsafe, {"username": "eve", "password": "a long password"}
        )
        assert response.status_code == 302
        assert response.url == "/admin/"
        client.logout()


def test_report_files_are_not_served_from_the_media_address(client, settings):
    assert settings.SERVE_MEDIA  # the tests' setting: what DJANGO_SERVE_MEDIA=1 gives
    draft = make_report(status=Status.DRAFT)
    live = make_report()
    for report in (draft, live):
        name = report.file.name
        assert name.startswith("reports/")
        assert client.get(f"/media/{name}").status_code == 404
        assert client.get(f"/media/news/../{name}").status_code == 404
        assert client.get(f"/media/./{name}").status_code == 404
    assert client.get(live.get_absolute_url() + "download/").status_code == 200
    assert client.get(draft.get_absolute_url() + "download/").status_code == 404


def test_other_uploads_are_still_served(client):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save(
        "reports/covers/2024/cover.png", ContentFile(make_image_bytes("PNG"))
    )
    assert client.get(f"/media/{name}").status_code == 200

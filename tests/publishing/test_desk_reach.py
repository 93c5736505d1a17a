"""The editor's desk in reach: Publish now on a scheduled item, no raw id box beside the image
chooser, popup messages that name their item, history times to the second where needed, and
a new post's preview dated as it would be if published now."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision

from reports.models import Report
from tests.factories import admin_post_data, form_values, make_post, make_staff, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ed():
    return signed_in("ed", groups=["Editors"])


def change_url(post):
    return reverse("admin:news_post_change", args=[post.pk])


def test_a_scheduled_post_is_published_now_in_one_press(ed):
    tomorrow = timezone.now() + timedelta(days=1)
    post = make_post(publish_at=tomorrow)
    response = ed.get(change_url(post))
    page = response.content.decode()
    assert '<button type="submit" name="_publishing" value="publish_now"' in page
    before = timezone.now().replace(microsecond=0)
    done = ed.post(change_url(post), {**form_values(response), "_publishing": "publish_now"})
    assert done.status_code == 302
    post.refresh_from_db()
    assert post.is_live and before <= post.publish_at <= timezone.now()
    told = [str(m) for m in get_messages(done.wsgi_request)]
    assert any(text.startswith("Published: readers can see it now.") for text in told)


def test_publish_now_is_offered_only_to_those_who_may_publish(client):
    client.force_login(make_staff("writer", perms=["change_post", "view_post"]))
    post = make_post(publish_at=timezone.now() + timedelta(days=1))
    assert 'value="publish_now"' not in client.get(change_url(post)).content.decode()
    response = client.post(
        change_url(post), {**admin_post_data(post), "_publishing": "publish_now"}
    )
    assert response.status_code == 200  # refused on the form, with the reason
    assert "You do not have permission to publish" in response.content.decode()
    post.refresh_from_db()
    assert post.is_scheduled


def test_the_hero_chooser_shows_no_box_of_digits(ed):
    page = ed.get(reverse("admin:news_post_add")).content.decode()
    hero = re.search(r'<input[^>]*name="hero_image"[^>]*>', page).group(0)
    assert 'type="hidden"' in hero
    assert 'for="id_hero_image"' not in page  # no label pointing at a hidden input
    assert "Choose from the library" in page
    row = re.search(r'<div class="([^"]*field-hero_image[^"]*)"', page).group(1)
    assert "hidden" not in row.split()  # the chooser itself is shown


def test_a_report_published_in_the_popup_says_so_there_naming_it(ed):
    add = reverse("admin:reports_report_add") + "?_to_field=id&_popup=1"
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ktnsite.demo.files import make_pdf

    response = ed.post(
        add,
        {
            "title": "Hydrogen futures",
            "slug": "hydrogen-futures",
            "summary": "What the valleys found.",
            "file": SimpleUploadedFile("h.pdf", make_pdf([["Page one."]])),
            "_publishing": "publish",
            "_popup": "1",
            "_to_field": "id",
        },
    )
    page = response.content.decode()
    assert Report.objects.get().is_live
    assert "“Hydrogen futures”: Published: readers can see it now." in page
    assert "admin/js/popup_response.js" in page and "js/admin_popup_messages.js" in page
    # Nothing is left waiting for the post's form that opened the popup.
    opener = ed.get(reverse("admin:news_post_add")).content.decode()
    assert "readers can see it now" not in opener


def _history(ed, post):
    return ed.get(reverse("admin:news_post_history", args=[post.pk])).content.decode()


def test_history_shows_seconds_only_where_two_saves_share_a_minute(ed):
    post = make_post()
    for text in ("One.", "Two.", "Three."):
        ed.post(change_url(post), {**form_values(ed.get(change_url(post))), "standfirst": text})
    first, second, third = Revision.objects.order_by("pk")
    base = timezone.localtime().replace(hour=9, minute=0, second=5, microsecond=0)
    Revision.objects.filter(pk=first.pk).update(date_created=base - timedelta(hours=1))
    Revision.objects.filter(pk=second.pk).update(date_created=base)
    Revision.objects.filter(pk=third.pk).update(date_created=base + timedelta(seconds=40))
    page = _history(ed, post)
    assert f"{base:%d/%m/%Y} 09:00:05" in page and f"{base:%d/%m/%Y} 09:00:45" in page
    assert f">{base:%d/%m/%Y} 08:00</a>" in page  # alone in its minute: no seconds


def test_a_new_posts_preview_shows_the_date_it_would_get_now(ed):
    response = ed.post(reverse("admin:news_post_preview"), admin_post_data(title="Draft"))
    page = response.content.decode()
    today = f"{timezone.localtime():%d/%m/%Y}"
    assert re.search(rf"Posted on: <time datetime=\"[^\"]+\">{today}</time>", page)

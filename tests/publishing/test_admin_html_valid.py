"""The editors' admin screens are valid HTML by the Nu HTML Checker (issue 24, what must be
true 5): no label pointing at a hidden input, no empty image address or empty option, no
skipped heading level on compare."""

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.urls import reverse
from reversion.models import Version

from news.models import Post
from publishing.services import preview_link_create, publishable_save
from tests.factories import (
    add_hero_image,
    make_contact,
    make_enquiry,
    make_image,
    make_opportunity,
    make_post,
    make_report,
    make_staff,
    make_subscriber,
    make_topic,
)

pytestmark = pytest.mark.django_db


def _vnu_jar():
    """npm's vnu-jar (the current checker; PyPI's copy is from 2020), where .ci/run puts it."""
    jar = os.environ.get("VNU_JAR")
    if jar and Path(jar).is_file() and shutil.which("java"):
        return jar
    message = "The Nu HTML Checker is not installed (VNU_JAR, java): see .ci/run."
    if os.environ.get("CI"):
        pytest.fail(message + " CI must run it.", pytrace=False)
    pytest.skip(message)


def test_every_editor_form_is_valid_html(client, tmp_path):
    jar = _vnu_jar()
    client.force_login(make_staff("eve", groups=["Editors"]))
    topic = make_topic(name="Net Zero")
    contact = make_contact(name="Erin Walsh", topics=[topic])
    report = make_report(title="Offshore Wind Report", topics=[topic])
    post = make_post(title="Offshore wind", topics=[topic], contacts=[contact], report=report)
    add_hero_image(post)
    publishable_save(item=post, comment="First")
    post.standfirst += " One more sentence."
    publishable_save(item=post, comment="Second")
    old, new = Version.objects.get_for_object(post).order_by("pk")[:2]
    gone = make_post(title="Deleted by mistake")
    publishable_save(item=gone, comment="Saved")
    gone.delete()
    image = make_image(title="Turbine", alt="A wind turbine at sea", tags=["energy"])
    enquiry = make_enquiry(contact=contact)
    subscriber = make_subscriber(topics=[topic])
    link = preview_link_create(item=post, user=None)
    page = FlatPage.objects.create(url="/about/", title="About us", content="<p>About.</p>")
    page.sites.add(Site.objects.get_current())
    assert ContentType.objects.get_for_model(Post)  # (the preview link's type exists)
    opportunity = make_opportunity(topics=[topic], contacts=[contact], closes_in=timedelta(days=3))

    urls = {
        "add-post": reverse("admin:news_post_add"),
        "change-post": reverse("admin:news_post_change", args=[post.pk]),
        "post-history": reverse("admin:news_post_history", args=[post.pk]),
        "compare": reverse("admin:news_post_compare", args=[post.pk])
        + f"?version_id1={old.pk}&version_id2={new.pk}",
        "recover": reverse(
            "admin:news_post_recover", args=[Version.objects.get_deleted(Post).get().pk]
        ),
        "add-report": reverse("admin:reports_report_add"),
        "change-report": reverse("admin:reports_report_change", args=[report.pk]),
        "add-contact": reverse("admin:contacts_contact_add"),
        "change-contact": reverse("admin:contacts_contact_change", args=[contact.pk]),
        "add-topic": reverse("admin:topics_topic_add"),
        "change-topic": reverse("admin:topics_topic_change", args=[topic.pk]),
        "topic-list": reverse("admin:topics_topic_changelist"),
        "add-image": reverse("admin:library_image_add"),
        "change-image": reverse("admin:library_image_change", args=[image.pk]),
        "image-chooser": reverse("admin:library_image_changelist") + "?_to_field=id&_popup=1",
        "enquiry": reverse("admin:contacts_enquiry_change", args=[enquiry.pk]),
        "subscriber": reverse("admin:mailinglist_subscriber_change", args=[subscriber.pk]),
        "preview-link": reverse("admin:publishing_previewlink_change", args=[link.pk]),
        "add-flat-page": reverse("admin:flatpages_flatpage_add"),
        "change-flat-page": reverse("admin:flatpages_flatpage_change", args=[page.pk]),
        "post-list": reverse("admin:news_post_changelist"),
        "add-opportunity": reverse("admin:opportunities_opportunity_add"),
        "change-opportunity": reverse(
            "admin:opportunities_opportunity_change", args=[opportunity.pk]
        ),
        "opportunity-list": reverse("admin:opportunities_opportunity_changelist")
        + "?deadline=this-week",
    }
    files = []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    # One run for all pages: the checker's start-up is most of its time.
    result = subprocess.run(
        ["java", "-jar", jar, "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = (result.stdout + result.stderr).replace(f"file:{tmp_path}/", "")
    assert result.returncode == 0 and not errors.strip(), errors

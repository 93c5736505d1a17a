"""Every review screen is valid HTML (the Nu checker, as tests/publishing/test_admin_html_valid.py
runs it): the panel in each state, the reviews list, the history's record, the expert's page."""

import subprocess

import pytest
from django.contrib.auth.models import User

from publishing.models import Status
from review.comments import comment_add
from review.expert import expert_link_create
from review.services import review_publish_without_review, review_send_back, review_submit
from tests.factories import make_post, make_staff, signed_in
from tests.publishing.test_admin_html_valid import _vnu_jar

pytestmark = pytest.mark.django_db


def test_every_review_screen_is_valid_html(tmp_path):
    from django.test import Client

    jar = _vnu_jar()
    wendy = make_staff("wendy", perms=["add_post", "change_post", "view_post"])
    rita = signed_in("rita", groups=["Editors"], perms=["publish_without_review"])
    rita_user = User.objects.get(username="rita")
    in_review = make_post(status=Status.DRAFT, publish_at=None, title="In review")
    review_submit(item=in_review, user=wendy, message="Check it.")
    comment_add(item=in_review, user=rita_user, text="Is the date right?", field="standfirst")
    sent_back = make_post(status=Status.DRAFT, publish_at=None, title="Sent back")
    review_send_back(review=review_submit(item=sent_back, user=wendy), user=rita_user, reason="No.")
    flagged = make_post(status=Status.DRAFT, publish_at=None, title="Flagged")
    review_publish_without_review(
        item=flagged, user=make_staff("bea", groups=["Editors"], perms=["publish_without_review"]),
        reason="Urgent",
    )  # fmt: skip
    fresh = make_post(status=Status.DRAFT, publish_at=None, title="Fresh")
    link = expert_link_create(item=in_review, user=rita_user, email="prof@university.example")

    pages = {
        "in-review": (rita, f"/admin/news/post/{in_review.pk}/change/"),
        "sent-back": (rita, f"/admin/news/post/{sent_back.pk}/change/"),
        "flagged": (rita, f"/admin/news/post/{flagged.pk}/change/"),
        "fresh": (rita, f"/admin/news/post/{fresh.pk}/change/"),
        "history": (rita, f"/admin/news/post/{in_review.pk}/history/"),
        "reviews": (rita, "/admin/review/review/"),
        "expert-links": (rita, "/admin/review/expertlink/"),
        "home": (rita, "/admin/"),
        "refused": (rita, None),
        "expert": (Client(), link.get_absolute_url()),
    }
    files = []
    for name, (client, url) in pages.items():
        if url is None:
            response = client.post(f"/admin/news/post/{fresh.pk}/review/", {"_review": "x"})
            assert response.status_code == 400
        else:
            response = client.get(url)
            assert response.status_code == 200, url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", jar, "--errors-only", *files], capture_output=True, text=True, timeout=300
    )
    errors = (result.stdout + result.stderr).replace(f"file:{tmp_path}/", "")
    assert result.returncode == 0 and not errors.strip(), errors

"""The review log: every review action is a row staff can filter by person, action, model and
date, and export as CSV with the "Can export the review log" permission."""

import csv
import io

import pytest

from publishing.models import Status
from review.models import Review
from tests.factories import make_post, make_report, signed_in
from tests.review.test_review_flow import WRITER_PERMS, decide, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    wendy = signed_in("wendy", perms=WRITER_PERMS)
    rita = signed_in("rita", groups=["Editors"])
    post = make_post(status=Status.DRAFT, publish_at=None, title="=HYPERLINK(evil)")
    submit(wendy, post, message="First go.")
    decide(rita, post, "send_back", comment="Check the amounts.")
    report = make_report(status=Status.DRAFT, publish_at=None, title="Annual report")
    submit(rita, report)
    return rita


def export(client, **filters):
    pks = list(Review.objects.values_list("pk", flat=True))
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    data = {"action": "export_csv", "_selected_action": pks}
    return client.post(f"/admin/review/review/?{query}", data)


def test_the_log_filters_by_person_action_and_model(history):
    rita = history
    from django.contrib.auth.models import User

    wendy = User.objects.get(username="wendy")
    by_wendy = rita.get(f"/admin/review/review/?submitted_by__id__exact={wendy.pk}")
    assert "=HYPERLINK(evil)" in by_wendy.content.decode()
    assert "Annual report" not in by_wendy.content.decode()
    sent_back = rita.get("/admin/review/review/?state__exact=sent_back").content.decode()
    assert "=HYPERLINK(evil)" in sent_back and "Annual report" not in sent_back
    bad_year = rita.get("/admin/review/review/?submitted_at__year=99999")
    assert bad_year.status_code in (200, 302)  # the list's own "invalid filter" answer, not a 500


def test_exporting_takes_the_permission(history):
    rita = history
    response = export(rita)
    assert response.status_code in (200, 302)
    assert response.get("Content-Type", "").startswith("text/html")  # no CSV without the right


def test_the_export_is_a_csv_of_every_action_with_formulas_neutralised(history):
    auditor = signed_in("ada", groups=["Editors"], perms=["export_review"])
    response = export(auditor)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["submitted at", "type", "item", "item id", "action"]
    actions = {(row[2], row[4], row[5], row[9]) for row in rows[1:]}
    assert ("'=HYPERLINK(evil)", "Sent back", "wendy", "rita") in actions
    assert ("Annual report", "In review", "rita", "—") in actions

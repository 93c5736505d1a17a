"""The finder and opportunity pages are valid HTML by the Nu HTML Checker."""

import subprocess
from datetime import timedelta

import pytest

from tests.factories import make_contact, make_opportunity, make_topic
from tests.publishing.test_admin_html_valid import _vnu_jar

pytestmark = pytest.mark.django_db


def test_the_finder_and_opportunity_pages_are_valid_html(client, tmp_path):
    jar = _vnu_jar()
    topic = make_topic(name="Net Zero", slug="net-zero")
    open_call = make_opportunity(
        topics=[topic], contacts=[make_contact()], eligible_sme=True, total_pot=2_000_000
    )
    closed = make_opportunity(
        topics=[topic], opens_in=-timedelta(days=40), closes_in=-timedelta(days=1)
    )
    upcoming = make_opportunity(opens_in=timedelta(days=3), closes_in=timedelta(days=30))
    urls = {
        "finder": "/opportunities/",
        "finder-filtered": "/opportunities/?topic=net-zero&who=sme",
        "finder-errors": "/opportunities/?who=aliens",
        "finder-closed": "/opportunities/?state=closed",
        "open": open_call.get_absolute_url(),
        "closed": closed.get_absolute_url(),
        "upcoming": upcoming.get_absolute_url(),
    }
    files = []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 400), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", jar, "--errors-only", *files], capture_output=True, text=True, timeout=300
    )
    errors = (result.stdout + result.stderr).replace(f"file:{tmp_path}/", "")
    assert result.returncode == 0 and not errors.strip(), errors

"""An axe-core audit in Chromium finds no violations on the main public pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from ktnsite.demo.content import SEED_POST_SLUG


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/news/",
        f"/news/{SEED_POST_SLUG}/",
        "/reports/medicines-manufacturing-challenge-impact-report/",
        "/contacts/karen-wilkinson/",
        "/topics/medicines-manufacturing/",
        "/news/no-such-page/",
    ],
)
def test_page_has_no_axe_violations(page, demo_live, path):
    page.goto(path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

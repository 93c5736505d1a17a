"""In Chromium, the Content-Security-Policy blocks nothing our pages need and refuses injected script."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG

# Runs before any page script (through the DevTools protocol, which CSP does not govern), so
# every violation the page reports is kept, as well as any console error about one.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, with a list of every CSP complaint Chromium makes about it."""
    page.add_init_script(LISTEN)
    complaints = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def violations():
        return complaints + page.evaluate("window.__violations")

    page.violations = violations
    return page


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/news/",
        f"/news/{SEED_POST_SLUG}/",
        "/reports/medicines-manufacturing-challenge-impact-report/",
        "/contacts/karen-wilkinson/",
        "/search/?q=manufacture",
        "/mailing-list/",
    ],
)
def test_public_page_runs_under_the_policy_without_a_violation(watched, demo_live, path):
    response = watched.goto(path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    watched.wait_for_load_state("load")
    assert watched.violations() == []


def test_the_share_panel_script_works_under_the_policy(watched, demo_live):
    watched.goto(f"/news/{SEED_POST_SLUG}/")
    watched.get_by_role("button", name="Share this article").click()
    expect(watched.get_by_role("dialog")).to_be_visible()
    assert watched.violations() == []


def test_an_injected_inline_handler_does_not_run_and_is_reported(watched, demo_live):
    watched.goto(f"/news/{SEED_POST_SLUG}/")
    watched.evaluate(
        """document.querySelector("main").insertAdjacentHTML(
             "beforeend", '<img src="/nowhere.png" onerror="window.pwned = true">')"""
    )
    watched.wait_for_function("window.__violations.length > 0")
    assert watched.evaluate("window.pwned") is None
    assert any(v.startswith("script-src-attr") for v in watched.violations())


def test_the_admin_editor_loads_ckeditor_without_a_violation(watched, live_server):
    User.objects.create_superuser("ada", password="a long admin password")
    watched.goto("/admin/login/?next=/admin/news/post/add/")
    watched.get_by_label("Username").fill("ada")
    watched.get_by_label("Password").fill("a long admin password")
    watched.get_by_role("button", name="Log in").click()
    body = watched.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    watched.keyboard.type("Typed into CKEditor.")
    expect(body).to_contain_text("Typed into CKEditor.")
    watched.locator(".cke_button__bold").click()
    watched.locator(".cke_button__link").click()  # a dialog: more of CKEditor's own markup
    expect(watched.locator(".cke_dialog").get_by_text("Link Info")).to_be_visible()
    assert watched.violations() == []

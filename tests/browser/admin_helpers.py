"""What the admin's browser tests share: an editor signing in, and clicks in popups that close themselves."""

from django.apps import apps
from django.contrib.auth.models import Group, User
from playwright.sync_api import Error as PlaywrightError

from ktnsite.roles import editors_group_sync

EDITOR_PASSWORD = "a long editor password"


def editor_signs_in(page, next_url, username="eve"):
    """Make a staff user in the Editors group and sign in as them, landing on `next_url`."""
    editors_group_sync(apps)  # the live-server database is flushed between tests
    editor = User.objects.create_user(username, password=EDITOR_PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Wait for the landing page's load event, not just its first elements: the admin's
    # scripts (the related-lookup popup links, CKEditor) attach their handlers by then, and a
    # test clicking sooner followed the link in the same window on a busy machine (seen).
    page.wait_for_url(lambda url: "/admin/login/" not in url, wait_until="load")
    return editor


def click_and_wait_for_close(popup, target):
    """Click `target` in `popup`, which hands its choice to the opener and closes.

    The popup can close while Playwright is still finishing the click, and Playwright then
    raises "Target page ... has been closed" (seen in CI). The close event, not the click's
    return, is what proves the choice was handed over, so that is what is waited for.
    """
    # The admin's popup script hands the choice over from a handler it attaches on load: a
    # click before then follows the link inside the popup, which never closes (seen once in
    # CI, on a loaded machine).
    popup.wait_for_load_state("load")
    with popup.expect_event("close"):
        try:
            target.click(no_wait_after=True)
        except PlaywrightError:
            if not popup.is_closed():
                raise

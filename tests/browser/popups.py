"""Clicking inside a Django admin popup (related lookup, image chooser) that closes itself."""

from playwright.sync_api import Error as PlaywrightError


def click_and_wait_for_close(popup, target):
    """Click `target` in `popup`, which hands its choice to the opener and closes.

    The popup can close while Playwright is still finishing the click, and Playwright then
    raises "Target page ... has been closed" (seen in CI). The close event, not the click's
    return, is what proves the choice was handed over, so that is what is waited for.
    """
    with popup.expect_event("close"):
        try:
            target.click(no_wait_after=True)
        except PlaywrightError:
            if not popup.is_closed():
                raise

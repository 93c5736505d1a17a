"""Benchmark: the review journeys in real Chromium (issue 28), counted like editor_journey.py.

Run: .venv/bin/python bench/review_journey.py   (needs Chromium; makes a throwaway SQLite
database with the demo content, a writer without the publish right, a reviewer in the Editors
group, and serves it on 127.0.0.1 itself.)

1. A writer writes a new post (title, standfirst, body and a publish time next week: not
   counted) and submits it for review: every click after writing (goal: at most 4).
2. The reviewer, signed in on the admin home, approves and schedules it (goal: at most 4).
3. An outside expert opens the emailed link and answers (goal: at most 2).

Every mouse click is counted; keys are not used. axe-core (WCAG 2.2 AA tags) audits every
page the journeys open. Prints a table; figures only, nothing here asserts.
"""

import argparse
import os
import shutil
import time
from datetime import timedelta

from _sandbox import django_sandbox

WORK = django_sandbox("review_journey", DJANGO_ALLOW_ASYNC_UNSAFE="true")

from django.apps import apps  # noqa: E402
from django.contrib.auth.models import Group, Permission, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from ktnsite.roles import editors_group_sync  # noqa: E402
from tests.browser.chromium import LAUNCH_ARGS, chromium_path  # noqa: E402

PASSWORD = "a long editor password"  # noqa: S105 - throwaway users on a throwaway database
TITLE = "Smart grids competition opens"
WCAG22_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


class Counter:
    """Clicks and seconds per journey, and axe audits per page."""

    def __init__(self):
        self.rows, self.audits = [], []
        self.name, self.clicks, self.started = None, 0, 0.0

    def start(self, name):
        self.finish()
        self.name, self.clicks, self.started = name, 0, time.perf_counter()

    def finish(self):
        if self.name:
            self.rows.append((self.name, self.clicks, time.perf_counter() - self.started))
            self.name = None

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def audit(self, name, page):
        from axe_playwright_python.sync_playwright import Axe

        page.wait_for_load_state("load")
        started = time.perf_counter()
        results = Axe().run(page, options=WCAG22_AA)
        rules = sorted({v["id"] for v in results.response["violations"]})
        self.audits.append((name, results.violations_count, rules))
        self.started += time.perf_counter() - started  # the audit is not the editor's time


def sign_in(page, username, next_url):
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url, wait_until="load")


def run(base_url, counter):
    from playwright.sync_api import expect, sync_playwright

    from review.models import ExpertLink

    next_week = (timezone.localtime() + timedelta(days=7)).replace(hour=9, minute=0)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        writer = browser.new_context(base_url=base_url).new_page()
        writer.set_default_timeout(15_000)
        sign_in(writer, "wendy", "/admin/news/post/add/")
        writer.locator("#id_body_writing_aids").wait_for()
        writer.get_by_label("Title").fill(TITLE)
        writer.get_by_label("Standfirst").fill("Up to £2m for projects that balance local grids.")
        writer.frame_locator("iframe.cke_wysiwyg_frame").locator("body").click()
        writer.keyboard.type("Applications close on 14 March.")
        writer.locator("#id_publish_at_0").fill(f"{next_week:%d/%m/%Y}")
        writer.locator("#id_publish_at_1").fill("09:00")

        counter.start("writer: submit a new post after writing")
        counter.click(writer.get_by_role("button", name="Save draft"))
        expect(writer.get_by_text("Draft saved")).to_be_visible()
        counter.click(writer.locator("#review-panel summary", has_text="Submit for review"))
        counter.audit("post form, submit panel open", writer)
        counter.click(writer.get_by_role("button", name="Submit for review"))
        expect(writer.locator("#review-status")).to_contain_text("In review")
        counter.audit("post form, in review (writer)", writer)
        counter.finish()
        # The writer also asks an outside expert (not counted): the link is emailed to them.
        writer.locator("#review-panel summary", has_text="Ask an expert").click()
        writer.get_by_label("Expert's email").fill("prof@university.example")
        writer.get_by_role("button", name="Send the link").click()
        expect(writer.get_by_text("Asked prof@university.example")).to_be_visible()

        reviewer = browser.new_context(base_url=base_url).new_page()
        reviewer.set_default_timeout(15_000)
        sign_in(reviewer, "rita", "/admin/")
        counter.audit("admin home with review counts", reviewer)
        counter.start("reviewer: approve and schedule from the admin home")
        counter.click(reviewer.get_by_role("link", name="Waiting for my review: 1"))
        counter.audit("reviews list (waiting for my review)", reviewer)
        counter.click(reviewer.get_by_role("link", name=TITLE))
        counter.audit("post form, in review (reviewer)", reviewer)
        counter.click(
            reviewer.get_by_role("button", name=f"Approve and schedule for {next_week:%d/%m/%Y}")
        )
        expect(reviewer.get_by_text("Approved and scheduled for")).to_be_visible()
        counter.finish()

        link = ExpertLink.objects.get().get_absolute_url()

        expert = browser.new_context(base_url=base_url).new_page()
        counter.start("expert: answer from the emailed link")
        expert.goto(link)  # following the link in the email (not a click in the site)
        counter.audit("expert page", expert)
        counter.click(expert.get_by_role("button", name="Looks right"))
        expect(expert.get_by_text("your answer was sent to the editor")).to_be_visible()
        counter.finish()
        browser.close()


def main():
    if not chromium_path():
        print("Chromium is not installed (apt-get install chromium): nothing measured.")
        return
    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0, stdout=quiet)
        call_command("load_demo", stdout=quiet)
    editors_group_sync(apps)
    wendy = User.objects.create_user("wendy", "wendy@example.org", PASSWORD, is_staff=True)
    wendy.user_permissions.set(
        Permission.objects.filter(codename__in=["add_post", "change_post", "view_post"])
    )
    rita = User.objects.create_user("rita", "rita@example.org", PASSWORD, is_staff=True)
    rita.groups.add(Group.objects.get(name="Editors"))

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    counter = Counter()
    try:
        run(f"http://127.0.0.1:{server.port}", counter)
    finally:
        server.terminate()
        shutil.rmtree(WORK, ignore_errors=True)

    print(f"{'journey':<52} {'clicks':>6} {'seconds':>8}")
    for name, clicks, seconds in counter.rows:
        print(f"{name:<52} {clicks:>6} {seconds:>8.2f}")
    print("goals: writer at most 4 clicks, reviewer at most 4, expert at most 2")
    print()
    print(f"{'page audited with axe-core (WCAG 2.2 AA)':<52} {'violations':>10}  rules")
    for name, count, rules in counter.audits:
        print(f"{name:<52} {count:>10}  {', '.join(rules) or '-'}")


if __name__ == "__main__":
    argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    ).parse_args()
    main()

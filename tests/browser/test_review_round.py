"""In Chromium, two people: a writer submits a post for review, the reviewer sends it back with
a reason, the writer fixes it and resubmits, the reviewer approves and publishes it. Every
review screen passes axe (WCAG 2.2 AA), and the panel works by keyboard."""

import re

from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import expect

from ktnsite.roles import editors_group_sync
from tests.browser.admin_helpers import EDITOR_PASSWORD
from tests.browser.test_admin_accessibility import WCAG22_AA


def _signs_in(page, username, next_url):
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url, wait_until="load")


# Each test asks for the database first, so it is emptied only after the browser is closed:
# an open admin form's presence beat would otherwise find its tables locked (SQLite).


def _no_axe_violations(page):
    results = Axe().run(page, options=WCAG22_AA)
    assert results.violations_count == 0, results.generate_report()


def test_submit_send_back_resubmit_approve_by_two_people(
    transactional_db, browser, page, live_server
):
    from news.models import Post
    from publishing.models import Status
    from tests.factories import make_post

    editors_group_sync(apps)  # the live-server database is flushed between tests
    wendy = User.objects.create_user("wendy", "wendy@example.org", EDITOR_PASSWORD, is_staff=True)
    wendy.user_permissions.set(
        Permission.objects.filter(codename__in=["add_post", "change_post", "view_post"])
    )
    rita = User.objects.create_user("rita", "rita@example.org", EDITOR_PASSWORD, is_staff=True)
    rita.groups.add(Group.objects.get(name="Editors"))
    post = make_post(status=Status.DRAFT, publish_at=None, title="Funding round opens")
    form_url = f"/admin/news/post/{post.pk}/change/"

    # The writer submits it, by keyboard: the disclosure opens with Enter.
    _signs_in(page, "wendy", form_url)
    summary = page.locator("summary", has_text="Submit for review")
    summary.focus()
    page.keyboard.press("Enter")
    page.get_by_label("Message to the reviewer (optional)").fill("Please check the amounts.")
    page.get_by_label("Reviewer", exact=True).select_option(label="rita")
    _no_axe_violations(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review")).to_be_visible()
    expect(page.locator("#review-status")).to_contain_text("In review")
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)  # frozen
    _no_axe_violations(page)

    # The reviewer finds it waiting and sends it back with a reason.
    reviewer_context = browser.new_context(base_url=live_server.url)
    reviewer = reviewer_context.new_page()
    reviewer.set_default_timeout(10_000)
    _signs_in(reviewer, "rita", "/admin/")
    reviewer.get_by_role("link", name="Waiting for my review: 1").click()
    _no_axe_violations(reviewer)
    reviewer.get_by_role("link", name="Funding round opens").click()
    expect(reviewer.get_by_text("Their note: Please check the amounts.")).to_be_visible()
    _no_axe_violations(reviewer)
    reviewer.get_by_label("Your comment").fill("The deadline is the 14th, not the 4th.")
    reviewer.get_by_role("button", name="Send back").click()
    expect(reviewer.get_by_text("Sent back to the writer")).to_be_visible()

    # The writer sees why, fixes it and submits again.
    page.reload()
    expect(page.get_by_text("The deadline is the 14th, not the 4th.")).to_be_visible()
    _no_axe_violations(page)
    page.get_by_label("Title").fill("Funding round opens: deadline 14 March")
    page.get_by_role("button", name="Save draft").click()  # 1 (the panel stays open)
    expect(page.get_by_text("Draft saved")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()  # 2
    expect(page.get_by_text("Submitted for review")).to_be_visible()

    # The reviewer approves and publishes it from the admin home: three clicks.
    reviewer.goto("/admin/")
    reviewer.get_by_role("link", name="Waiting for my review: 1").click()  # 1
    reviewer.get_by_role("link", name="Funding round opens: deadline 14 March").click()  # 2
    reviewer.get_by_role("button", name="Approve and publish").click()  # 3
    expect(reviewer.get_by_text("Approved and published.")).to_be_visible()
    assert Post.objects.get(pk=post.pk).is_live

    # The record, on the item's history.
    reviewer.goto(f"/admin/news/post/{post.pk}/history/")
    expect(reviewer.get_by_role("heading", name="Review record")).to_be_visible()
    _no_axe_violations(reviewer)
    reviewer_context.close()


def test_an_expert_answers_from_the_emailed_link_in_one_click(
    transactional_db, browser, page, live_server
):
    from publishing.models import Status
    from review.expert import expert_link_create
    from review.models import Review, ReviewState
    from tests.factories import make_post

    editors_group_sync(apps)
    pat = User.objects.create_user("pat", "pat@example.org", EDITOR_PASSWORD, is_staff=True)
    pat.groups.add(Group.objects.get(name="Editors"))
    post = make_post(status=Status.DRAFT, publish_at=None, title="Funding round opens")
    link = expert_link_create(item=post, user=pat, email="prof@university.example")

    page.goto(link.get_absolute_url())  # the link in their email
    expect(page.get_by_role("heading", name="Your view, please")).to_be_visible()
    _no_axe_violations(page)
    page.get_by_role("button", name="Looks right").click()  # click 1
    expect(page.get_by_text("your answer was sent to the editor")).to_be_visible()
    assert Review.objects.filter(state=ReviewState.EXPERT_AGREES).count() == 1


def test_the_review_lists_and_a_flagged_items_panel_pass_axe(transactional_db, page, live_server):
    from publishing.models import Status
    from review.expert import expert_link_create
    from review.services import review_publish_without_review
    from tests.factories import make_post

    editors_group_sync(apps)
    bea = User.objects.create_user("bea", "bea@example.org", EDITOR_PASSWORD, is_staff=True)
    bea.groups.add(Group.objects.get(name="Editors"))
    bea.user_permissions.add(Permission.objects.get(codename="publish_without_review"))
    rita = User.objects.create_user("rita", "rita@example.org", EDITOR_PASSWORD, is_staff=True)
    rita.groups.add(Group.objects.get(name="Editors"))
    post = make_post(status=Status.DRAFT, publish_at=None, title="Funding round opens")
    review_publish_without_review(item=post, user=bea, reason="Ministerial deadline")
    expert_link_create(item=post, user=bea, email="prof@university.example")
    draft = make_post(status=Status.DRAFT, publish_at=None, title="Next round")
    from review.comments import comment_add

    comment_add(item=draft, user=bea, text="Is it the 14th?", field="standfirst")

    _signs_in(page, "rita", "/admin/")
    expect(page.get_by_role("link", name="Published without review: 1")).to_be_visible()
    _no_axe_violations(page)
    page.get_by_role("link", name="Published without review: 1").click()
    expect(page.get_by_role("link", name="Funding round opens")).to_be_visible()
    _no_axe_violations(page)
    page.get_by_role("link", name="Funding round opens").click()
    expect(page.locator("#review-status")).to_contain_text("Published without review")
    _no_axe_violations(page)
    page.get_by_role("button", name="Checked: looks right").click()
    expect(page.get_by_text("Checked: the flag is removed.")).to_be_visible()
    page.goto("/admin/review/expertlink/")
    _no_axe_violations(page)
    # Every disclosure of the panel open at once, on an item not yet submitted.
    page.goto(f"/admin/news/post/{draft.pk}/change/")
    for summary in page.locator("#review-panel summary").all():
        summary.click()
    _no_axe_violations(page)
    # The comment sits beside the field it is about, and its input is described by it.
    beside = page.locator(".form-row.field-standfirst .review-field-comments")
    expect(beside).to_contain_text("Unresolved · bea")
    expect(beside).to_contain_text("Is it the 14th?")
    expect(page.locator("#id_standfirst")).to_have_accessible_description(
        re.compile(r"Review comments on standfirst: 1 unresolved .*Is it the 14th\?")
    )
    page.get_by_role("button", name="Resolve the comment by bea on standfirst").click()
    expect(page.get_by_text("Comment resolved.")).to_be_visible()
    expect(beside).to_contain_text("Resolved by rita")
    _no_axe_violations(page)

"""The staff copy of a lead's profile: email and phone for colleagues, never cached, never crossing to readers."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_contact, make_enquiry, make_staff, make_topic

pytestmark = pytest.mark.django_db

EMAIL = "karen.w@agency.example"
PHONE = "020 7946 0101"
# The per-reader form tokens: everything else in a reader's copy is the same bytes for all.
TOKENS = re.compile(r'(name="(?:csrfmiddlewaretoken|token)" value=")[^"]+')


@pytest.fixture
def karen():
    return make_contact(name="Karen Wilkinson", email=EMAIL, phone=PHONE)


def _logged_in(*, groups=("Editors",), perms=()):
    client = Client()
    client.force_login(make_staff(f"staff{len(groups)}{len(perms)}", groups=groups, perms=perms))
    return client


def _cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_staff_with_the_view_permission_see_email_and_phone_above_the_form(karen):
    response = _logged_in().get(karen.get_absolute_url())
    html = response.content.decode()
    assert "Only staff see this" in html
    assert f'<a href="mailto:{EMAIL}" id="staff-email">{EMAIL}</a>' in html
    assert f'<a href="tel:02079460101">{PHONE}</a>' in html
    assert html.index("Only staff see this") < html.index('name="message"')
    assert f'data-copy-text="{EMAIL}"' in html
    assert reverse("admin:contacts_directoryentry_vcard", args=[karen.pk]) in html
    assert "Download contact card" in html
    assert _cache_control(response) == {"private", "no-store"}


def test_the_copy_button_runs_from_a_static_file_not_an_inline_script(karen):
    html = _logged_in().get(karen.get_absolute_url()).content.decode()
    scripts = [chunk.split(">", 1)[0] for chunk in html.split("<script")[1:]]
    # JSON-LD (the breadcrumb trail) is a data block, never run: only code needs a src.
    code = [tag for tag in scripts if 'type="application/ld+json"' not in tag]
    assert code and all(" src=" in tag for tag in code)
    assert any("js/staff.js" in tag for tag in scripts)


def test_staff_without_the_permission_get_the_readers_page(karen):
    response = _logged_in(groups=(), perms=["view_post"]).get(karen.get_absolute_url())
    html = response.content.decode()
    assert EMAIL not in html and PHONE not in html and "Only staff see this" not in html


def test_readers_never_see_the_phone_number_or_the_staff_block(client, karen):
    response = client.get(karen.get_absolute_url())
    html = response.content.decode()
    assert EMAIL not in html and PHONE not in html and "02079460101" not in html
    assert "Only staff see this" not in html and "staff.js" not in html


def test_checking_for_staff_leaves_a_readers_session_alone(client):
    # Reading request.user would load the session and add `Vary: Cookie`, and every front
    # cache would then keep one copy per cookie jar. (A page with the enquiry form varies on
    # Cookie anyway while it carries a CSRF token, so a moved-on lead's page, without the form,
    # shows it.)
    gone = make_contact(is_active=False)
    response = client.get(gone.get_absolute_url())
    assert response.status_code == 410
    assert "Cookie" not in response.get("Vary", "")


@pytest.fixture
def page_cache(settings):
    """The page cache on, as in production (tests/caching/test_page_cache.py does the same)."""
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 60


def test_staff_first_then_a_reader_the_reader_never_gets_the_staff_copy(page_cache, karen):
    url = karen.get_absolute_url()
    staff_page = _logged_in().get(url)
    assert EMAIL in staff_page.content.decode()
    assert "X-Page-Cache" not in staff_page  # never offered to the page cache
    first_reader, second_reader = Client().get(url), Client().get(url)
    assert first_reader["X-Page-Cache"] == "miss"  # nothing was stored by the staff visit
    assert second_reader["X-Page-Cache"] == "hit"
    for reader in (first_reader, second_reader):
        html = reader.content.decode()
        assert EMAIL not in html and PHONE not in html and "Only staff see this" not in html


def test_a_reader_first_then_staff_the_staff_never_get_the_readers_copy(page_cache, karen):
    url = karen.get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    assert Client().get(url)["X-Page-Cache"] == "hit"  # the readers' copy is stored
    staff_page = _logged_in().get(url)
    assert "X-Page-Cache" not in staff_page
    assert EMAIL in staff_page.content.decode()
    assert _cache_control(staff_page) == {"private", "no-store"}
    # And readers still share one copy, still without the details.
    after = Client().get(url)
    assert after["X-Page-Cache"] == "hit" and EMAIL not in after.content.decode()


def without_tokens(response):
    return TOKENS.sub(r"\1", response.content.decode())


def test_readers_copies_are_identical_for_everyone_but_the_form_tokens(page_cache, karen):
    url = karen.get_absolute_url()
    _logged_in().get(url)  # a colleague's visit in between changes nothing readers get
    first, second = Client().get(url), Client().get(url)
    assert without_tokens(first) == without_tokens(second)
    assert first["Cache-Control"] == second["Cache-Control"]


def test_a_lead_who_moved_on_is_gone_for_readers_and_shown_to_staff_as_inactive(client):
    topic = make_topic(name="Medicines Manufacturing")
    gone = make_contact(
        name="Bea Former", email="bea@agency.example", phone=PHONE, is_active=False, topics=[topic]
    )
    colleague = make_contact(name="Karen Wilkinson", topics=[topic])
    make_enquiry(contact=gone, subject="Old question")
    make_enquiry(contact=gone, subject="Older question")

    reader = client.get(gone.get_absolute_url())
    assert reader.status_code == 410
    html = reader.content.decode()
    assert "Bea Former has moved on" in html
    assert f'href="{colleague.get_absolute_url()}"' in html
    assert "bea@agency.example" not in html and PHONE not in html
    assert 'name="message"' not in html

    staff_page = _logged_in().get(gone.get_absolute_url())
    assert staff_page.status_code == 410
    html = staff_page.content.decode()
    assert "Inactive:" in html and "bea@agency.example" in html
    inbox = reverse("admin:contacts_enquiry_changelist") + f"?contact__id__exact={gone.pk}"
    assert f'href="{inbox}">Past enquiries (2)</a>' in html
    assert _cache_control(staff_page) == {"private", "no-store"}


def test_a_colleague_logging_in_leaves_the_readers_stored_pages_alone(page_cache, karen):
    # django-axes writes an AccessLog row at every login; it used to count as a content
    # change and empty the page cache for everyone.
    url = karen.get_absolute_url()
    Client().get(url)
    _logged_in()
    assert Client().get(url)["X-Page-Cache"] == "hit"


def test_the_staff_profile_has_a_fixed_query_budget(karen, django_assert_max_num_queries):
    staff_client = _logged_in()
    staff_client.get(karen.get_absolute_url())  # the session and permissions, once
    with django_assert_max_num_queries(10):
        assert staff_client.get(karen.get_absolute_url()).status_code == 200

"""The staff directory in the admin: every lead's email and phone, searched, filtered, as vCard and CSV."""

import csv
import io

import pytest
import vobject
from django.urls import reverse

from tests.factories import make_contact, make_enquiry, make_image, make_staff, make_topic

pytestmark = pytest.mark.django_db

DIRECTORY = "/admin/contacts/directoryentry/"
EXPORT = DIRECTORY + "export/"


def _client(client, *, groups=(), perms=()):
    client.force_login(make_staff("colleague", groups=groups, perms=perms))
    return client


@pytest.fixture
def leads():
    medicines = make_topic(name="Medicines Manufacturing", slug="medicines")
    net_zero = make_topic(name="Net Zero", slug="net-zero")
    return {
        "karen": make_contact(
            name="Karen Wilkinson",
            job_title="Knowledge Transfer Manager",
            team="Medicines",
            email="karen.w@agency.example",
            phone="020 7946 0101",
            bio="Continuous processing and cell therapies.",
            topics=[medicines],
        ),
        "amir": make_contact(
            name="Amir Haddad",
            team="Net Zero",
            email="amir.h@agency.example",
            phone="+44 20 7946 0102",
            bio="Hydrogen clusters.",
            topics=[net_zero],
        ),
        "gone": make_contact(
            name="Bea Former",
            team="Medicines",
            email="bea@agency.example",
            is_active=False,
            topics=[medicines],
        ),
        "medicines": medicines,
        "net_zero": net_zero,
    }


@pytest.fixture
def editors_client(client):
    return _client(client, groups=["Editors"])


def _cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def _names_in_order(html, names):
    positions = {name: html.find(name) for name in names}
    assert all(p >= 0 for p in positions.values()), positions
    return sorted(names, key=positions.get)


def test_editors_open_the_directory_from_the_admin_home(editors_client, leads):
    home = editors_client.get("/admin/").content.decode()
    assert f'href="{DIRECTORY}"' in home and "Staff directory" in home
    html = editors_client.get(DIRECTORY).content.decode()
    assert "<h1>Staff directory</h1>" in html
    karen = leads["karen"]
    assert '<a href="mailto:karen.w@agency.example">karen.w@agency.example</a>' in html
    assert '<a href="tel:02079460101">020 7946 0101</a>' in html
    assert '<a href="tel:+442079460102">+44 20 7946 0102</a>' in html
    assert "Knowledge Transfer Manager" in html and "Medicines Manufacturing" in html
    assert reverse("admin:contacts_directoryentry_vcard", args=[karen.pk]) in html
    # Sorted by name; the inactive lead is listed (marked by the active column's icon).
    assert _names_in_order(html, ["Karen Wilkinson", "Amir Haddad", "Bea Former"]) == [
        "Amir Haddad",
        "Bea Former",
        "Karen Wilkinson",
    ]
    assert 'alt="False"' in html


def test_the_directory_shows_a_photo_thumbnail(editors_client):

    make_contact(name="Photo Person", photo=make_image(alt="Photo Person", renditions=True))
    html = editors_client.get(DIRECTORY).content.decode()
    assert '<img src="/media/renditions/' in html


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("wilkinson", "Karen Wilkinson", "Amir Haddad"),  # name
        ("net zero", "Amir Haddad", "Karen Wilkinson"),  # team
        ("manufacturing", "Karen Wilkinson", "Amir Haddad"),  # topic
        ("hydrogen", "Amir Haddad", "Karen Wilkinson"),  # bio
    ],
)
def test_the_directory_searches_name_team_topic_and_bio(
    editors_client, leads, query, found, not_found
):
    html = editors_client.get(DIRECTORY, {"q": query}).content.decode()
    assert found in html and not_found not in html


def test_the_directory_filters_by_topic_and_by_team(editors_client, leads):
    by_topic = editors_client.get(
        DIRECTORY, {"topics__id__exact": leads["medicines"].pk}
    ).content.decode()
    assert "Karen Wilkinson" in by_topic and "Bea Former" in by_topic
    assert "Amir Haddad" not in by_topic
    by_team = editors_client.get(DIRECTORY, {"team": "Net Zero"}).content.decode()
    assert "Amir Haddad" in by_team and "Karen Wilkinson" not in by_team


def test_the_directory_has_a_fixed_query_budget(
    editors_client, leads, django_assert_max_num_queries
):
    for n in range(20):
        make_contact(topics=[leads["medicines"], leads["net_zero"]], phone=f"0161 496 0{n:03}")
    with django_assert_max_num_queries(12):
        assert editors_client.get(DIRECTORY).status_code == 200


def test_the_view_permission_for_contacts_alone_opens_the_directory(client, leads):
    # Not only Editors: any colleague given "Can view contact" looks leads up, card and all.
    colleague = _client(client, perms=["view_contact"])
    assert "Staff directory" in colleague.get("/admin/").content.decode()
    html = colleague.get(DIRECTORY, {"q": "wilkinson"}).content.decode()
    assert '<a href="mailto:karen.w@agency.example">karen.w@agency.example</a>' in html
    card = reverse("admin:contacts_directoryentry_vcard", args=[leads["karen"].pk])
    assert vobject.readOne(colleague.get(card).content.decode()).fn.value == "Karen Wilkinson"
    profile = colleague.get(leads["karen"].get_absolute_url()).content.decode()
    assert "Only staff see this" in profile and "karen.w@agency.example" in profile
    assert colleague.get(EXPORT).status_code == 403  # exporting is a right of its own


def test_staff_without_the_view_permission_cannot_open_the_directory(client, leads):
    staff_client = _client(client, perms=["view_post"])
    assert staff_client.get(DIRECTORY).status_code == 403
    assert "Staff directory" not in staff_client.get("/admin/").content.decode()
    card = reverse("admin:contacts_directoryentry_vcard", args=[leads["karen"].pk])
    assert staff_client.get(card).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, leads):
    response = client.get(DIRECTORY)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_directory_entry_opens_the_contacts_own_admin_page(editors_client, leads):
    karen = leads["karen"]
    response = editors_client.get(f"{DIRECTORY}{karen.pk}/change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:contacts_contact_change", args=[karen.pk])


def test_the_vcard_is_a_vcard_4_that_an_address_book_reads_back(editors_client, leads, settings):
    settings.SITE_URL = "https://www.example.org"
    karen = leads["karen"]
    response = editors_client.get(reverse("admin:contacts_directoryentry_vcard", args=[karen.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{karen.slug}.vcf"'
    assert {"private", "no-store"} <= _cache_control(response)
    card = vobject.readOne(response.content.decode())
    assert card.version.value == "4.0"
    assert card.fn.value == "Karen Wilkinson"
    assert (card.n.value.family, card.n.value.given) == ("Wilkinson", "Karen")
    assert card.title.value == "Knowledge Transfer Manager"
    assert card.org.value == [settings.SITE_NAME, "Medicines"]
    assert card.email.value == "karen.w@agency.example"
    assert card.tel.value == "020 7946 0101"
    assert card.url.value == f"https://www.example.org/contacts/{karen.slug}/"


def test_the_vcard_has_a_tel_uri_and_the_photo_address(editors_client, settings):
    settings.SITE_URL = "https://www.example.org"
    contact = make_contact(
        name="Zoë d'Arc; Smith, Jr",
        job_title="Lead, Space; Launch",
        phone="+44 20 7946 0199",
        photo=make_image(alt="Zoë"),
    )
    text = editors_client.get(
        reverse("admin:contacts_directoryentry_vcard", args=[contact.pk])
    ).content.decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    card = vobject.readOne(text)
    assert card.fn.value == "Zoë d'Arc; Smith, Jr"  # commas and semicolons escaped, read back
    assert card.title.value == "Lead, Space; Launch"
    assert card.tel.value == "tel:+44-20-7946-0199"
    assert card.tel.params["VALUE"] == ["uri"]
    assert card.photo.value == "https://www.example.org" + contact.photo.file.url


def test_export_needs_its_own_permission(editors_client, leads):
    # Editors may look leads up but not take the whole list away.
    assert editors_client.get(EXPORT).status_code == 403
    assert "Export as CSV" not in editors_client.get(DIRECTORY).content.decode()


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_export_is_the_filtered_directory_as_csv(client, leads, settings):
    settings.SITE_URL = "https://www.example.org"
    exporter = _client(client, groups=["Editors"], perms=["export_contact"])
    page = exporter.get(DIRECTORY, {"topics__id__exact": leads["medicines"].pk}).content.decode()
    assert f'href="{EXPORT}?topics__id__exact={leads["medicines"].pk}"' in page
    response = exporter.get(EXPORT, {"topics__id__exact": leads["medicines"].pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="staff-directory-')
    assert {"private", "no-store"} <= _cache_control(response)
    rows = _rows(response)
    assert rows[0] == [
        "name", "job title", "team", "areas of interest", "email", "phone", "active", "profile",
    ]  # fmt: skip
    assert rows[1:] == [
        ["Bea Former", "", "Medicines", "Medicines Manufacturing", "bea@agency.example", "", "no",
         f"https://www.example.org/contacts/{leads['gone'].slug}/"],
        ["Karen Wilkinson", "Knowledge Transfer Manager", "Medicines", "Medicines Manufacturing",
         "karen.w@agency.example", "020 7946 0101", "yes",
         f"https://www.example.org/contacts/{leads['karen'].slug}/"],
    ]  # fmt: skip
    searched = _rows(exporter.get(EXPORT, {"q": "hydrogen"}))
    assert [row[0] for row in searched[1:]] == ["Amir Haddad"]


def test_export_covers_every_page_of_the_directory(client):
    exporter = _client(client, groups=["Editors"], perms=["export_contact"])
    for _ in range(105):  # more than one page of the list (100)
        make_contact()
    assert len(_rows(exporter.get(EXPORT, {"p": "2"}))) == 106


def test_export_neutralises_spreadsheet_formulas(client):
    exporter = _client(client, groups=["Editors"], perms=["export_contact"])
    make_contact(name='=HYPERLINK("http://evil")', team="+cmd")
    row = _rows(exporter.get(EXPORT))[1]
    assert row[0].startswith("'=") and row[2] == "'+cmd"


def test_export_with_a_bad_filter_is_a_400(client):
    exporter = _client(client, groups=["Editors"], perms=["export_contact"])
    response = exporter.get(EXPORT, {"no_such_field": "1"})
    assert response.status_code == 400
    assert "filters are not valid" in response.content.decode()


def test_the_inactive_lead_is_marked_with_its_past_enquiries(editors_client, leads):
    make_enquiry(contact=leads["gone"], subject="Old question")
    html = editors_client.get(DIRECTORY, {"is_active__exact": "0"}).content.decode()
    assert "Bea Former" in html and "Karen Wilkinson" not in html
    inbox = reverse("admin:contacts_enquiry_changelist") + f"?contact__id__exact={leads['gone'].pk}"
    assert f'<a href="{inbox}">1</a>' in html
    assert "Old question" in editors_client.get(inbox).content.decode()


def test_each_topics_admin_page_lists_its_leads(editors_client, leads):
    medicines = leads["medicines"]
    html = editors_client.get(
        reverse("admin:topics_topic_change", args=[medicines.pk])
    ).content.decode()
    assert "Karen Wilkinson, Knowledge Transfer Manager" in html
    assert "Bea Former (inactive)" in html and "Amir Haddad" not in html
    assert f"{DIRECTORY}?topics__id__exact={medicines.pk}" in html
    topics = editors_client.get(reverse("admin:topics_topic_changelist")).content.decode()
    assert f'<a href="{DIRECTORY}?topics__id__exact={medicines.pk}">1</a>' in topics

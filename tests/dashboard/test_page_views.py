"""Page views counted by the first-party beacon, behind the page cache: per item and day,
with the referrer's host only, nothing about the reader, and shown on the item's change form."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dashboard import counts, pending
from dashboard.models import DailyCount, ReferrerCount
from publishing.models import Status
from tests.factories import make_post, make_report, signed_in

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"


def reader(**headers):
    return Client(headers={"user-agent": BROWSER, **headers})


def beacon(client, item, came_from="", **extra):
    return client.post("/count/", {"item": item, "from": came_from}, **extra)


def views(key):
    pending.flush()  # views counted in Redis reach the daily rows (once a minute, by the job)
    return DailyCount.objects.filter(kind="view", key=key).values_list("count", flat=True).first()


def test_a_cached_page_names_its_item_and_the_beacon_counts_each_view(settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 60
    post = make_post(title="Heat pumps at scale")
    first = reader().get(post.get_absolute_url())
    second = reader().get(post.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    # The cached copy is the same bytes, so it still asks the browser to count the view.
    assert f'data-count-item="post-{post.pk}" data-count-url="/count/"' in second.content.decode()
    for came_from in ("www.Google.com", "", "www.linkedin.com"):
        response = beacon(reader(), f"post-{post.pk}", came_from, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 204
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies
    assert views(f"post-{post.pk}") == 3
    assert sorted(ReferrerCount.objects.values_list("host", "count")) == [
        ("", 1),
        ("google.com", 1),
        ("linkedin.com", 1),
    ]
    # Nothing about the reader: no column could hold an address, an agent or a full URL.
    assert {field.name for field in ReferrerCount._meta.fields} == {
        "id",
        "day",
        "key",
        "host",
        "count",
    }
    stored = str(list(ReferrerCount.objects.values())) + str(list(DailyCount.objects.values()))
    assert "198.51.100.7" not in stored and "Chrome" not in stored


def test_a_full_address_or_junk_as_referrer_keeps_no_path():
    post = make_post()
    beacon(reader(), f"post-{post.pk}", "https://mail.example.org/inbox?user=jane@example.org")
    beacon(reader(), f"post-{post.pk}", "testserver")  # our own site: no referrer
    assert views(f"post-{post.pk}") == 2
    assert sorted(ReferrerCount.objects.values_list("host", "count")) == [("", 1), ("other", 1)]


def test_unknown_draft_or_malformed_items_are_refused_quietly():
    draft = make_post(status=Status.DRAFT)
    client = reader()
    for item in (f"post-{draft.pk}", "post-999999", "user-1", "post-x", "", "post-" + "9" * 40):
        assert beacon(client, item).status_code == 204
    assert client.get("/count/").status_code == 405
    assert client.post("/count/", b"\xff\x00", content_type="application/json").status_code == 204
    pending.flush()
    assert not DailyCount.objects.exists() and not ReferrerCount.objects.exists()


def test_staff_robots_other_sites_and_floods_are_not_counted(settings):
    post = make_post()
    key = f"post-{post.pk}"
    assert beacon(signed_in("eve", groups=["Editors"]), key).status_code == 204
    assert beacon(Client(headers={"user-agent": "Googlebot/2.1"}), key).status_code == 204
    assert beacon(reader(**{"sec-fetch-site": "cross-site"}), key).status_code == 204
    assert views(key) is None
    settings.DASHBOARD_VIEW_RATE = "3/m"
    client = reader()
    for _ in range(5):
        assert beacon(client, key, REMOTE_ADDR="203.0.113.9").status_code == 204
    assert views(key) == 3


def test_the_counter_can_be_switched_off(settings):
    settings.DASHBOARD_READER_COUNTS = False
    post = make_post()
    assert beacon(reader(), f"post-{post.pk}").status_code == 204
    pending.flush()
    assert not DailyCount.objects.exists()


def test_referrer_hosts_per_item_and_day_are_bounded_and_pruned_after_a_while():
    for n in range(counts.HOSTS_PER_DAY + 5):
        counts.count_view("post-1", f"site{n}.example")
    assert ReferrerCount.objects.count() == counts.HOSTS_PER_DAY + 1
    assert ReferrerCount.objects.get(host="other").count == 5
    counts.count_view("post-1", "site0.example", when=timezone.now() - timedelta(days=401))
    assert counts.prune_referrers() == 1
    assert ReferrerCount.objects.count() == counts.HOSTS_PER_DAY + 1


def _item_section(html):
    return html.split('id="item-readers"')[1].split("</section>")[0]


def test_an_items_change_form_charts_its_views_with_the_same_numbers_in_a_table(
    django_assert_max_num_queries,
):
    report = make_report(title="Winter outlook")
    key = f"report-{report.pk}"
    for days_ago, n in ((0, 4), (1, 2), (40, 9)):
        when = timezone.now() - timedelta(days=days_ago)
        for _ in range(n):
            counts.count_view(key, "google.com" if days_ago else "", when=when)
    counts.add("download", key, n=3)
    client = signed_in("eve", groups=["Editors"])
    url = f"/admin/reports/report/{report.pk}/change/"
    client.get(url)
    with django_assert_max_num_queries(200) as before:
        page = client.get(url).content.decode()
    section = _item_section(page)
    assert "Views per day (6 in all)" in section  # the last 30 days: not the 9 of day 40
    assert "Downloads per day (3 in all)" in section
    views_part = section.split("item-readers-downloads-heading")[0]
    table = [int(n) for n in re.findall(r"</time></th><td>(\d+)</td>", views_part)]
    heights = [
        int(h) for h in re.findall(r'height="(\d+)" class="dashboard-chart-bar"', views_part)
    ]
    assert len(table) == len(heights) == 30
    assert table[-2:] == [2, 4] and sum(table) == 6
    assert heights[-2:] == [40, 80]  # proportional: 4 the full 80, 2 half of it
    assert re.search(r"<th scope=\"row\">google.com</th><td>2</td>", section)
    assert re.search(r"No referrer[^<]*</th><td>4</td>", section)
    # A year of counts for many items costs this page no more queries.
    DailyCount.objects.bulk_create(
        [DailyCount(day=timezone.localdate() - timedelta(days=d), kind="view",
                    key=f"report-{n}", count=1) for d in range(2, 365) for n in range(30)],
        ignore_conflicts=True,
    )  # fmt: skip
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_an_editor_without_the_right_sees_no_counts_on_the_change_form():
    report = make_report()
    counts.count_view(f"report-{report.pk}", "")
    page = signed_in("pat", perms=["change_report", "view_report"]).get(
        f"/admin/reports/report/{report.pk}/change/"
    )
    assert page.status_code == 200
    assert 'id="item-readers"' not in page.content.decode()


def test_the_admin_home_ranks_the_most_viewed_items():
    first, second = make_post(title="Heat pumps"), make_post(title="Hydrogen buses")
    for _ in range(3):
        counts.count_view(f"post-{second.pk}", "")
    counts.count_view(f"post-{first.pk}", "")
    page = signed_in("eve", groups=["Editors"]).get("/admin/").content.decode()
    part = page.split('id="readers-views-heading"')[1].split('id="readers-downloads-heading"')[0]
    assert re.findall(r'<a href="[^"]+">([^<]+)</a></th><td>(\d+)</td>', part) == [
        ("Hydrogen buses", "3"),
        ("Heat pumps", "1"),
    ]


def test_a_draft_an_editor_opens_names_no_item_to_count():
    draft = make_post(status=Status.DRAFT)
    page = signed_in("eve", groups=["Editors"]).get(draft.get_absolute_url())
    assert page.status_code == 200
    assert "data-count-item" not in page.content.decode()
    assert "/count/view.gif" not in page.content.decode()


def pixel_url(html):
    """The address of the `<noscript>` image a page asks a browser without script to load."""
    found = re.search(r'<noscript><img src="([^"]+)" alt=""', html)
    return found and found.group(1).replace("&amp;", "&")


def test_a_reader_without_javascript_is_counted_once_by_the_noscript_image(settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 60
    post = make_post(title="Heat pumps at scale")
    key = f"post-{post.pk}"
    first = reader().get(post.get_absolute_url())
    second = reader().get(post.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    url = pixel_url(second.content.decode())
    assert url == f"/count/view.gif?item={key}" == pixel_url(first.content.decode())
    for _ in range(2):
        image = reader().get(url, REMOTE_ADDR="198.51.100.7")
        assert (image.status_code, image["Content-Type"]) == (200, "image/gif")
        assert image.content.startswith(b"GIF89a") and len(image.content) == 43
        # Never kept by the page cache or a front cache, so each view reaches the counter.
        assert "no-store" in image["Cache-Control"] and image.get("X-Page-Cache") != "hit"
        assert not image.cookies
    assert views(key) == 2
    # Where a reader without script came from is not known: no referrer counted, not "direct".
    assert not ReferrerCount.objects.exists()


def test_the_noscript_image_follows_the_beacons_rules_and_never_fails(settings):
    post = make_post()
    draft = make_post(status=Status.DRAFT)
    key = f"post-{post.pk}"

    def pixel(client, item, **extra):
        response = client.get("/count/view.gif", {"item": item}, **extra)
        assert (response.status_code, response["Content-Type"]) == (200, "image/gif")
        return response

    pixel(signed_in("eve", groups=["Editors"]), key)
    pixel(Client(headers={"user-agent": "Googlebot/2.1"}), key)
    pixel(reader(**{"sec-fetch-site": "cross-site"}), key)
    for item in (f"post-{draft.pk}", "post-999999", "user-1", "post-x", "", "post-" + "9" * 40):
        pixel(reader(), item)
    assert reader().get("/count/view.gif").status_code == 200  # no item at all
    assert reader().post("/count/view.gif", {"item": key}).status_code == 405
    pending.flush()
    assert not DailyCount.objects.exists()
    # One allowance per address for the beacon and the image together.
    settings.DASHBOARD_VIEW_RATE = "3/m"
    for _ in range(2):
        pixel(reader(), key, REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        beacon(reader(), key, REMOTE_ADDR="203.0.113.9")
    assert views(key) == 3
    settings.DASHBOARD_READER_COUNTS = False
    pixel(reader(), key, REMOTE_ADDR="203.0.113.10")
    assert views(key) == 3


def test_a_reports_change_form_shows_its_downloads_per_format():
    report = make_report(title="Winter outlook")
    assert report.file_type == "pdf"
    for _ in range(3):
        assert reader().get(report.get_download_url()).status_code == 200
    # Staff downloading their own report are not counted, by format or at all.
    signed_in("sam", groups=["Editors"]).get(report.get_download_url())
    key = f"report-{report.pk}"
    assert DailyCount.objects.get(kind="download-format").key == f"{key}.pdf"
    assert DailyCount.objects.get(kind="download-format").count == 3
    # A download counted before formats were: shown as such, never guessed.
    counts.add("download", key, when=timezone.now() - timedelta(days=3))
    editor = signed_in("eve", groups=["Editors"])
    html = _item_section(editor.get(f"/admin/reports/report/{report.pk}/change/").content.decode())
    formats = html.split('id="item-readers-formats-heading"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', formats)
    assert rows == [("PDF", "3"), ("Not recorded (counted before formats were)", "1")]


def test_a_post_has_no_downloads_per_format():
    post = make_post()
    editor = signed_in("eve", groups=["Editors"])
    html = editor.get(f"/admin/news/post/{post.pk}/change/").content.decode()
    assert 'id="item-readers"' in html and "Downloads per format" not in html

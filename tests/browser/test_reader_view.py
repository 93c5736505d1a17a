"""Firefox's Reader View (Mozilla Readability, run in Chromium) keeps what the article offers."""

import re
from pathlib import Path

import pytest

from ktnsite.demo.content import SEED_POST_SLUG, SEED_REPORT_SLUG
from news.models import Post

ARTICLE = f"/news/{SEED_POST_SLUG}/"
# Installed by `npm ci` from the project's package.json (the library Firefox ships).
READABILITY = (
    Path(__file__).resolve().parents[2] / "node_modules/@mozilla/readability/Readability.js"
)


def reader_view(browser, base_url, path):
    """What Reader View shows of the page at `path`: Readability's parse(), with the text of
    its output and the links in it (href, as the browser resolves them)."""
    if not READABILITY.exists():
        pytest.fail("Mozilla Readability is missing: run `npm ci` in the project folder.")
    # Reader View is the browser's own, not a page script: the page's CSP does not apply to it.
    context = browser.new_context(base_url=base_url, bypass_csp=True)
    page = context.new_page()
    page.goto(path)
    page.add_script_tag(content=READABILITY.read_text())
    article = page.evaluate(
        """() => {
            const article = new Readability(document.cloneNode(true)).parse();
            const box = document.createElement("div");
            box.innerHTML = article.content;
            article.links = [...box.querySelectorAll("a[href]")].map(
                a => ({text: a.textContent.trim(), href: new URL(a.getAttribute("href"), location.href).href}));
            return article;
        }"""
    )
    article["text"] = " ".join(article["textContent"].split())
    context.close()
    return article


def _in_order(text, parts):
    positions = [text.find(part) for part in parts]
    assert -1 not in positions, [p for p, at in zip(parts, positions, strict=True) if at == -1]
    assert positions == sorted(positions), positions


def test_reader_view_keeps_the_date_standfirst_body_report_and_lead_in_order(
    browser, live_server, demo_live
):
    post = Post.objects.get(slug=SEED_POST_SLUG)
    article = reader_view(browser, live_server.url, ARTICLE)
    _in_order(
        article["text"],
        [
            "Posted on: 14/10/2021",
            post.standfirst,
            "UKRI set up the Medicines Manufacturing Challenge in 2017",
            "Medicines Manufacturing Challenge: Impact Report",  # the report's card
            "PDF, 2.4",  # its format and size
            "If you’d like to find out more, please contact Karen Wilkinson.",
        ],
    )
    links = {link["text"]: link["href"] for link in article["links"]}
    download = f"{live_server.url}/reports/{SEED_REPORT_SLUG}/download/"
    assert links["Medicines Manufacturing Challenge: Impact Report"] == download
    assert links["Karen Wilkinson"] == f"{live_server.url}/contacts/karen-wilkinson/"
    assert article["title"] == post.title


def test_the_links_reader_view_keeps_work(browser, page, live_server, demo_live):
    links = reader_view(browser, live_server.url, ARTICLE)["links"]
    wanted = {"Medicines Manufacturing Challenge: Impact Report", "Karen Wilkinson"}
    for link in [link for link in links if link["text"] in wanted]:
        response = page.request.get(link["href"])
        assert response.ok, link
        if "download" in link["href"]:
            assert response.body()[:5] == b"%PDF-"
        else:
            assert re.search(r"<h1[^>]*>Karen Wilkinson</h1>", response.text())


def test_normal_readers_see_each_part_once(page, demo_live):
    page.goto(ARTICLE)
    text = page.locator("main").inner_text()
    assert text.count("Posted on:") == 1
    assert text.count("If you’d like to find out more") == 1
    assert page.get_by_role("link", name="View the report", exact=True).count() == 1
    assert page.get_by_role("link", name="Download the report").count() == 1

"""What pages tell sharing sites, feeds and search engines: absolute addresses built from
settings.SITE_URL, share pictures and schema.org structured data."""

import json
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.utils.safestring import mark_safe

# Inside <script> a "</script>" or "<!--" in an editor's text would end or confuse the
# element; escaped like this the JSON means the same and the HTML parser sees no tag.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(url):
    """`url` made absolute with SITE_URL, unless it already is (e.g. a CDN address)."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return settings.SITE_URL.split("//", 1)[0] + url
    return settings.SITE_URL + "/" + url.lstrip("/")


@dataclass(frozen=True)
class ShareImage:
    url: str  # absolute
    alt: str
    mime_type: str
    width: int | None = None
    height: int | None = None
    name: str = ""  # the storage name, for the file's size in feed enclosures
    length: int | None = None  # the file's size in bytes, where the renditions recorded it


def share_image(image):
    """The one place that picks how a library image is shown when its page is shared.

    Its 1200x630 share card (cropped around its focal point: the shape Open Graph
    and X cards expect, in a format every one of them reads); for an image whose card is not
    made yet, its largest JPEG/PNG rendition, or else the original.
    """
    if image is None or not image.is_ready:
        return None  # never the upload as it came, while the worker processes it
    url = image.storage.url
    share = image.current_renditions.get("share")
    if share:
        return ShareImage(
            url=absolute_url(url(share["path"])),
            alt=image.alt_text,
            mime_type=share["type"],
            width=share["w"],
            height=share["h"],
            name=share["path"],
            length=share["bytes"],
        )
    sources = image.sources
    if sources:
        largest = sources[-1]
        return ShareImage(
            url=absolute_url(url(largest["fallback"])),
            alt=image.alt_text,
            mime_type=image.current_renditions.get("fallback_type", "image/jpeg"),
            width=largest["w"],
            height=largest["h"],
            name=largest["fallback"],
            length=largest.get("fallback_bytes"),
        )
    name = image.file.name
    return ShareImage(
        url=absolute_url(image.file.url),
        alt=image.alt_text,
        mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        width=image.width,
        height=image.height,
        name=name,
    )


def json_ld(data):
    """`data` as JSON that is safe to place inside a <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, default=str)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above


def breadcrumbs(trail, current):
    """The breadcrumb trail for a page: the links to show, and schema.org BreadcrumbList.

    `trail` is [(name, path), ...] from the home page down, `current` is (name, path) of
    the page itself: like GOV.UK, the page is not a link in the visible trail, but it is
    the last item of the BreadcrumbList search engines read.
    """
    items = [*trail, current]
    return {
        "trail": [{"name": name, "path": path} for name, path in trail],
        "json_ld": {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": name, "item": absolute_url(path)}
                for n, (name, path) in enumerate(items, start=1)
            ],
        },
    }


def list_page_json_ld(context, name, description):
    """collection_json_ld of a ListView's page, from its context (object_list, page_obj and
    the canonical_path put there with list_path)."""
    page = context.get("page_obj")
    return collection_json_ld(
        name,
        description,
        context["canonical_path"],
        context["object_list"],
        # A keyset page (publishing.pagination) has no position in the whole list.
        start=page.start_index() if hasattr(page, "start_index") else 1,
    )


def list_path(request, filters=("topic", "year", "page", "before", "after")):
    """The address of a list page as canonical: its path and the filters it understands, so
    tracking parameters and junk in a shared link do not make another page for crawlers."""
    kept = QueryDict(mutable=True)
    for name in filters:
        if request.GET.get(name):
            kept[name] = request.GET[name]
    return f"{request.path}?{kept.urlencode()}" if kept else request.path


def publisher():
    """schema.org Organization for the site: the publisher of every page."""
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url("/")}


def website_json_ld(search_path):
    """The home page's schema.org WebSite, with the site search as its SearchAction, and the
    Organization behind it."""
    home = absolute_url("/")
    return [
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": settings.SITE_NAME,
            "url": home,
            "inLanguage": "en-GB",
            "publisher": publisher(),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {
                    "@type": "EntryPoint",
                    "urlTemplate": absolute_url(search_path) + "?q={search_term_string}",
                },
                "query-input": "required name=search_term_string",
            },
        },
        {"@context": "https://schema.org", **publisher()},
    ]


def web_page_json_ld(kind, name, description, path):
    """schema.org WebPage (or a kind of it: SearchResultsPage, CollectionPage...) of the site."""
    return {
        "@context": "https://schema.org",
        "@type": kind,
        "name": name,
        "description": description,
        "url": absolute_url(path),
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": absolute_url("/")},
    }


def collection_json_ld(name, description, path, items, start=1):
    """schema.org CollectionPage of a list or hub page, its `items` (anything with
    get_absolute_url and a str) as an ItemList in the order shown; `start`: the first item's
    position (on a list's later pages)."""
    return {
        **web_page_json_ld("CollectionPage", name, description, path),
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(items),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": n,
                    "url": absolute_url(item.get_absolute_url()),
                    "name": str(item),
                }
                for n, item in enumerate(items, start=start)
            ],
        },
    }

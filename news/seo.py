"""What a post tells search engines, feeds and social sites: its picture and structured data."""

import mimetypes
from dataclasses import dataclass

from django.conf import settings

from publishing.sharing import absolute_url


@dataclass(frozen=True)
class ShareImage:
    url: str  # absolute
    alt: str
    mime_type: str
    width: int | None = None
    height: int | None = None
    name: str = ""  # the storage name, for the file's size in feed enclosures
    length: int | None = None  # the file's size in bytes, where the renditions recorded it


def post_share_image(post):
    """The one place that picks the picture shown when a post is shared or syndicated.

    The largest JPEG/PNG rendition (1600 px at most: what social sites expect, and a
    format every one of them reads); the upload itself only for an image saved before
    renditions existed.
    """
    if not post.hero_image:
        return None
    sources = (post.hero_renditions or {}).get("sources") or []
    if sources:
        largest = sources[-1]
        name = largest["fallback"]
        return ShareImage(
            url=absolute_url(post.hero_image.storage.url(name)),
            alt=post.hero_alt_text,
            mime_type=post.hero_renditions.get("fallback_type", "image/jpeg"),
            width=largest["w"],
            height=largest["h"],
            name=name,
            length=largest.get("fallback_bytes"),
        )
    name = post.hero_image.name
    return ShareImage(
        url=absolute_url(post.hero_image.url),
        alt=post.hero_alt_text,
        mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        name=name,
    )


def post_json_ld(post):
    """schema.org NewsArticle for an article page."""
    url = absolute_url(post.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title[:110],
        "description": post.standfirst,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        # A draft opened by an editor has no publish time yet.
        "datePublished": (post.publish_at or post.updated_at).isoformat(),
        "dateModified": max(post.updated_at, post.publish_at or post.updated_at).isoformat(),
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute_url("/"),
        },
    }
    image = post_share_image(post)
    if image is not None:
        data["image"] = [image.url]
    return data

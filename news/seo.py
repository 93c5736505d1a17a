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

    The hero's 1200x630 share card (cropped around its focal point: the shape Open Graph
    and X cards expect, in a format every one of them reads); for an image whose card is not
    made yet, its largest JPEG/PNG rendition, or else the original.
    """
    image = post.hero_image
    if image is None or not image.file:
        return None
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


def post_json_ld(post, image=None):
    """schema.org NewsArticle for an article page; `image`: post_share_image(post), when the
    caller has it already."""
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
    if image is None:
        image = post_share_image(post)
    if image is not None:
        data["image"] = [image.url]
    return data

"""Template tags for published content: sanitised rich text, share links, pictures."""

import re
from urllib.parse import quote, urlencode

from django import template
from django.core.files.storage import default_storage
from django.utils.safestring import mark_safe

from publishing import sharing
from publishing.richtext import sanitise_html

register = template.Library()


# Tags in nh3's output are lower case and carry only allow-listed attributes, so these
# patterns see every table; the wrapper is ours, added after sanitising.
_TABLE_OPEN = re.compile(r"<table[\s>]")
_TABLE_CLOSE = "</table>"
TABLE_SCROLL_OPEN = '<div class="table-scroll" role="region" aria-label="Table" tabindex="0">'


def _wrap_tables(html):
    """Put each table in a box that scrolls sideways, so a wide one never widens the page.

    The box is focusable and labelled (a scrollable region keyboard users can reach).
    """
    if "<table" not in html:
        return html
    html = _TABLE_OPEN.sub(lambda m: TABLE_SCROLL_OPEN + m[0], html)
    return html.replace(_TABLE_CLOSE, _TABLE_CLOSE + "</div>")


@register.filter
def rich_text(value):
    """Render stored rich text, sanitised again so an old or hand-edited row stays inert."""
    html = _wrap_tables(sanitise_html(value))
    return mark_safe(html)  # noqa: S308 - nh3 output is safe by construction; the wrapper is ours


@register.simple_tag
def absolute_url(path):
    return sharing.absolute_url(path)


@register.filter
def json_ld(value):
    """A dict as JSON for <script type="application/ld+json">, with <, > and & escaped."""
    return sharing.json_ld(value)


@register.simple_tag
def share_links(path, title):
    """The share targets for a page: plain links, so no third-party script ever loads."""
    url = sharing.absolute_url(path)
    return [
        # (label, href, opens another site in a new tab)
        (
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
            True,
        ),
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title}), True),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}), True),
        ("Email", f"mailto:?subject={quote(title)}&body={quote(url)}", False),
    ]


@register.inclusion_tag("includes/picture.html")
def picture(image, renditions, alt, sizes="100vw", lazy=True, css_class=""):
    """A responsive <picture> from stored renditions: WebP first, then the JPEG/PNG fallback.

    Everything comes from the renditions JSON saved with the image, so no query, no file read.
    """
    sources = (renditions or {}).get("sources") or []
    context = {"alt": alt, "sizes": sizes, "lazy": lazy, "css_class": css_class}
    if not sources:
        # An image saved before renditions existed: shown as it is, still never read here.
        context["src"] = image.url if image else ""
        return context
    url = (image.storage if image else default_storage).url
    largest = sources[-1]
    context.update(
        src=url(largest["fallback"]),
        width=largest["w"],
        height=largest["h"],
        fallback_type=renditions.get("fallback_type", "image/jpeg"),
        webp_srcset=", ".join(f"{url(s['webp'])} {s['w']}w" for s in sources),
        fallback_srcset=", ".join(f"{url(s['fallback'])} {s['w']}w" for s in sources),
    )
    return context

"""Template tags for published content: sanitised rich text, share links, pictures."""

import re
from urllib.parse import quote, urlencode

from django import template
from django.template.backends.utils import csrf_input
from django.utils.safestring import mark_safe

from publishing import sharing
from publishing.crossorigin import has_session
from publishing.pictures import body_images_render, picture_context
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
    """Render stored rich text, sanitised again so an old or hand-edited row stays inert, with
    its library images drawn from their renditions."""
    html = _wrap_tables(body_images_render(sanitise_html(value)))
    # nh3's output is safe by construction; the table wrapper is ours and the pictures are
    # rendered by an autoescaping template.
    return mark_safe(html)  # noqa: S308


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
def picture(image, sizes="100vw", lazy=True, css_class="", alt=None):
    """A responsive <picture> of a library image (see picture_context)."""
    if image is None:
        return {"src": ""}
    return picture_context(image, alt=alt, sizes=sizes, lazy=lazy, css_class=css_class)


@register.simple_tag(takes_context=True)
def public_form_token(context):
    """Django's CSRF token input for a reader who is signed in; nothing for anyone else.

    Public forms sit on pages any cache may share, so they carry no per-reader token and are
    protected by Fetch Metadata instead (publishing.crossorigin); a signed-in reader's page
    is never shared, and their post is token-checked as well.
    """
    request = context.get("request")
    if request is None or not has_session(request):
        return ""
    return csrf_input(request)

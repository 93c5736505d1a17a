"""Template tags for published content: sanitised rich text, share links, pictures, and quick
versions of the date and truncation filters readers' pages use most."""

import re
import unicodedata
from datetime import datetime
from urllib.parse import quote, quote_plus

from django import template
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import stringfilter
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from library.pictures import body_images_render, picture_context
from publishing import sharing
from publishing.crossorigin import has_session
from publishing.richtext import sanitise_html

register = template.Library()


# Pages show a few dates per item (the <time> element's attribute and the visible date), and
# Django's `date` filter costs about 120 Python calls each (format lookup by language, a
# formatter object per date): a tenth of an uncached list page. These give the same text.
# expects_localtime: the value is first put in the site's time zone, as `date` has it.


@register.filter(expects_localtime=True)
def iso_datetime(value):
    """ISO 8601 as |date:'c' writes it, for <time datetime="...">, but to the second: HTML
    allows at most three digits of a second's fraction, and a moment taken from the clock
    (a publish time, when figures were made) has six."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@register.filter(expects_localtime=True)
def dmy(value):
    """Same as |date:"d/m/Y", the date readers see (29/11/2026)."""
    if value in (None, ""):
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


# Django's truncatechars walks the text character by character (about 370 calls for a
# standfirst), even when it is short enough to be left whole, as most are.


@register.filter(is_safe=True)
@stringfilter
def trim_chars(value, length):
    """Same as |truncatechars:length, without the walk when nothing is cut."""
    length = int(length)
    text = unicodedata.normalize("NFC", value)
    if length > 0 and len(text) <= length:
        return text  # what Truncator.chars returns for a text that fits
    return Truncator(value).chars(length)


@register.filter(is_safe=True)
@stringfilter
def trim_words(value, length):
    """Same as |truncatewords:length, without Truncator when nothing is cut."""
    words = value.split()
    if int(length) > 0 and len(words) <= int(length):
        return " ".join(words)  # as Truncator.words does
    return Truncator(value).words(int(length), truncate=" …")


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
def web_page_json_ld(kind, name, description, path):
    """A <script> with the page's schema.org WebPage (see sharing.web_page_json_ld)."""
    data = sharing.json_ld(sharing.web_page_json_ld(kind, name, description, path))
    return mark_safe(f'<script type="application/ld+json">{data}</script>')  # noqa: S308


@register.simple_tag
def share_links(path, title):
    """The share targets for a page: plain links, so no third-party script ever loads."""
    url = sharing.absolute_url(path)
    # Each text quoted once: quoting is a Python call per character. (urlencode() of one
    # pair is "name=" + quote_plus(value).)
    query_url = quote_plus(url)
    return [
        # (label, href, opens another site in a new tab)
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={query_url}", True),
        ("X", f"https://x.com/intent/post?url={query_url}&text={quote_plus(title)}", True),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={query_url}", True),
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

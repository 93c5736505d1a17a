"""Template tags for published content: sanitised rich text and share links."""

from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from publishing import sharing
from publishing.richtext import sanitise_html

register = template.Library()


@register.filter
def rich_text(value):
    """Render stored rich text, sanitised again so an old or hand-edited row stays inert."""
    return mark_safe(sanitise_html(value))  # noqa: S308 - nh3 output is safe by construction


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
    url = settings.SITE_URL + path
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

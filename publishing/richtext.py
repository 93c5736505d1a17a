"""Rich text: an HTML field edited with CKEditor and sanitised with nh3 on save and on render.

Images in the text are references to the library, `<img data-image="ID" alt="…" class="full">`,
and nothing else: no `src` survives, so no outside address can be embedded. Pages expand
each reference to the library's renditions (publishing.templatetags.publishing.rich_text).
"""

import re

import nh3
from django.db import models

# The references' format is the library's; imported here for the sanitiser and re-exported
# for the rich text's users.
from library.references import IMAGE_ID, IMG_TAG, body_image_ids, body_image_refs

__all__ = ["IMG_TAG", "RichTextField", "body_image_ids", "body_image_refs", "sanitise_html"]

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "img", "figure", "figcaption",  # a picture with its caption (WordPress's [caption])
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "img": {"data-image", "alt"},  # never src: the library gives the addresses
}
ALLOWED_CLASSES = {
    "img": {"full", "half"},
    # A gallery: its pictures' figures in a grid of up to four columns (news.wordpress.body).
    "figure": {"gallery", "columns-1", "columns-2", "columns-3", "columns-4"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

EMPTY_CLASS = re.compile(r'\sclass=""')  # what nh3 leaves of a class with nothing allowed


def _keep_attribute(tag, attribute, value):
    if attribute == "data-image":
        return value if value.isdigit() and len(value) <= 18 else None
    return value


def _library_images_only(match):
    return match.group(0) if IMAGE_ID.search(match.group(0)) else ""


def sanitise_html(html):
    """Return `html` reduced to the allow-list: no scripts, handlers, styles or unsafe URLs,
    and images only as references to the library."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return EMPTY_CLASS.sub("", IMG_TAG.sub(_library_images_only, cleaned)).strip()


class RichTextField(models.TextField):
    """HTML in a text column. The editor is only a widget, so swapping it needs no migration."""

    def pre_save(self, model_instance, add):
        value = sanitise_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        # Always the editor: the admin would otherwise swap in its plain textarea for any
        # TextField, and editors would be typing raw HTML.
        from publishing.widgets import RichTextWidget

        kwargs["widget"] = RichTextWidget()
        return super().formfield(**kwargs)

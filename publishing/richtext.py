"""Rich text: an HTML field edited with CKEditor and sanitised with nh3 on save and on render."""

import nh3
from ckeditor.widgets import CKEditorWidget
from django.db import models

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise_html(html):
    """Return `html` reduced to the allow-list: no scripts, handlers, styles or unsafe URLs."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


class RichTextField(models.TextField):
    """HTML in a text column. The editor is only a widget, so swapping it needs no migration."""

    def pre_save(self, model_instance, add):
        value = sanitise_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        # Always the editor: the admin would otherwise swap in its plain textarea for any
        # TextField, and editors would be typing raw HTML.
        kwargs["widget"] = CKEditorWidget(config_name="default")
        return super().formfield(**kwargs)

"""The gadgets' one declaration: the whole of what the site knows about them."""

from publishing.registry import SearchSpec, SitemapSpec, declare_content_type
from tests.gadgets.models import Gadget


def declare():
    # Nothing in ktnsite, the kernel or the mailing list names gadgets.
    return declare_content_type(
        Gadget,
        kind="gadget",
        label="Gadget",
        plural_label="Gadgets",
        view_name="gadgets:detail",
        list_key="gadgets",
        topics_field="topics",
        search=SearchSpec(text_fields=("summary",), word_fields=("title", "summary")),
        sitemap=SitemapSpec(changefreq="weekly", lastmod=lambda gadget: gadget.publish_at),
        alerts=True,
        order=50,
        # Its public page is a plain function view: the admin preview draws this instead.
        preview_template="gadgets/gadget_preview.html",
    )

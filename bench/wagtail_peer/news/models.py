"""The news index page and NewsPage, the article type the benchmark renders."""

import json
from urllib.parse import quote, urlencode

from django import forms
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Site
from wagtail.search import index


def json_ld(data):
    """JSON for a <script type="application/ld+json">, safe to drop into HTML."""
    return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# The hero picture's renditions (see news/news_page.html) and the one shared on social sites.
HERO_SHARE_SPEC = "format-jpeg|width-1600"


class NewsIndexPage(Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["news.NewsPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["posts"] = NewsPage.objects.live().child_of(self).order_by("-date")[:20]
        return context


class NewsPage(Page):
    date = models.DateTimeField("Post date", default=timezone.now)
    standfirst = models.TextField(
        max_length=600,
        help_text="The opening sentence or two, shown under the title and in lists.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(blank=True)
    report = models.ForeignKey(
        "core.ReportDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text='The report this post announces; the page shows "View the report".',
    )
    topics = ParentalManyToManyField("core.Topic", blank=True, related_name="news_pages")
    contacts = ParentalManyToManyField("core.Contact", blank=True, related_name="news_pages")

    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("body"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("standfirst"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("report"),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("contacts"),
            ],
            heading="Topics and contacts",
        ),
        InlinePanel("change_notes", label="Change notes"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topics = list(self.topics.all())
        context["topics"] = topics
        context["contacts"] = list(self.contacts.all())
        context["change_notes"] = list(self.change_notes.all())
        context["related"] = self.related_posts(topics)
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gt=1)

        site = Site.find_for_request(request)
        site_name = site.site_name if site else ""
        url = self.get_full_url(request)
        context["site_name"] = site_name
        context["share_links"] = [
            (
                "LinkedIn",
                "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
            ),
            ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": self.title})),
            ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ]
        context["share_email"] = "mailto:?subject={}&body={}".format(
            quote(self.title), quote(url, safe="/")
        )

        root = site.root_page if site else None
        home_url = root.get_full_url(request) if root else "/"
        article = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title,
            "description": self.standfirst,
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": self.date.isoformat(),
            "dateModified": (self.last_published_at or self.date).isoformat(),
            "publisher": {"@type": "Organization", "name": site_name, "url": home_url},
        }
        if self.hero_image:
            # The same rendition as the <picture>'s largest JPEG: one cache lookup, no new file.
            og_image = self.hero_image.get_rendition(HERO_SHARE_SPEC)
            context["og_image"] = og_image
            context["og_image_url"] = (site.root_url if site else "") + og_image.url
            article["image"] = [context["og_image_url"]]
        trail = [
            {"@type": "ListItem", "position": i, "name": p.title, "item": p.get_full_url(request)}
            for i, p in enumerate([*context["breadcrumbs"], self], start=1)
        ]
        context["article_json_ld"] = json_ld(article)
        context["breadcrumb_json_ld"] = json_ld(
            {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": trail}
        )
        return context

    def related_posts(self, topics, limit=3):
        """The newest live posts sharing a topic with this one."""
        if not topics:
            return []
        return list(
            NewsPage.objects.live()
            .filter(topics__in=topics)
            .exclude(pk=self.pk)
            .distinct()
            .order_by("-date")[:limit]
        )


class NewsPageChangeNote(Orderable):
    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="change_notes")
    changed_at = models.DateTimeField("updated on")
    note = models.CharField(max_length=300, help_text="What changed, in one sentence.")

    panels = [FieldPanel("changed_at"), FieldPanel("note")]

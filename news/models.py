"""Post: a news article with its hero image, report and contacts."""

from dataclasses import replace

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import Coalesce

from publishing.addresses import slug_url
from publishing.models import Publishable
from publishing.richtext import RichTextField
from publishing.search import search_vector_field
from topics.models import Topic

# What includes/post_card.html shows of a post, for lists to read no other column (its
# topics are prefetched with CARD_TOPIC_FIELDS, by card_topics_prefetch).
CARD_FIELDS = ("title", "slug", "publish_at", "standfirst")
CARD_TOPIC_FIELDS = ("name", "slug")


def card_topics_prefetch():
    """The live topics the posts' cards show, read for a whole list in one query and kept
    on each post as a list (Post.card_topics).

    A list, not the related manager's cache: filling that made a filtered queryset per post,
    and the card another on each `post.topics.all`, which were a tenth of a list's work.
    """
    return Prefetch(
        "topics",
        Topic.objects.live().only(*CARD_TOPIC_FIELDS),
        to_attr="prefetched_card_topics",
    )


def changed_for_readers():
    """Post.changed_for_readers_at as a database expression, for sitemaps' lastmod."""
    return Coalesce("major_change_at", "publish_at")


class Post(Publishable):
    standfirst = models.TextField(
        max_length=600,
        help_text="The opening sentence or two, shown under the title and in lists.",
    )
    body = RichTextField(blank=True)
    hero_image = models.ForeignKey(
        "library.Image",
        null=True,
        blank=True,
        # A picture in use cannot be deleted from the library; its page says where it is used.
        on_delete=models.PROTECT,
        related_name="used_as_hero",
        verbose_name="hero image",
        help_text="Choose a picture from the library or upload one; its alt text is kept there.",
    )
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="posts")
    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        help_text='The report this post announces; the page shows "View the report".',
    )
    contacts = models.ManyToManyField(
        "contacts.Contact",
        blank=True,
        related_name="posts",
        help_text='Who readers should contact to "find out more".',
    )
    is_featured = models.BooleanField(
        "featured", default=False, help_text="Featured posts lead the home page."
    )
    # Filled by a database trigger on PostgreSQL (see publishing.search).
    search_vector = search_vector_field()

    major_change_at = models.DateTimeField(
        "updated on",
        null=True,
        blank=True,
        editable=False,
        help_text='Set when an edit is marked as a major change; readers see "Updated on".',
    )
    change_note = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="What changed, shown to readers under the date.",
    )
    preview_links = GenericRelation("publishing.PreviewLink")

    class Meta(Publishable.Meta):
        indexes = [
            # Counting live posts for the paginated lists reads only this index, not the
            # table with its bodies: 72 ms down to 17 ms over 100,000 posts. expire_at is in
            # it so that live() (which also asks for it) still needs nothing else.
            models.Index(fields=["status", "publish_at", "expire_at"], name="news_post_live_idx"),
            # The home page's few featured posts, found without walking every post.
            models.Index(
                fields=["-publish_at"],
                condition=models.Q(is_featured=True),
                name="news_post_featured_idx",
            ),
        ]
        permissions = [("publish_post", "Can publish posts")]

    def get_absolute_url(self):
        return slug_url("news:detail", self.slug)

    @property
    def card_topics(self):
        """The topics its card shows: as prefetched by card_topics_prefetch(), else all."""
        try:
            return self.prefetched_card_topics
        except AttributeError:
            return self.topics.all()

    @property
    def changed_for_readers_at(self):
        """Its last major change, else its publication: the date readers see on the page.

        Machines (sitemaps, feeds, link previews) get this, not the time the row was saved,
        so a typo fix never makes an old post look new.
        """
        return self.major_change_at or self.publish_at

    def content_checks(self):
        """The post's own checks before publishing (publishing.content_checks): the report it
        announces must be readable too."""
        report = self.report if self.report_id else None
        if report is None:
            return []
        return [
            replace(finding, field="report", where=f"Report “{report}”, {finding.where.lower()}")
            for finding in report.content_checks()
        ]


class WordPressItem(models.Model):
    """What an item or uploaded file of a WordPress export became here (manage.py import_wordpress).

    Keyed by WordPress's own identity, so a second import updates what it made before
    instead of making it twice.
    """

    class Kind(models.TextChoices):
        POST = "post", "Post"
        IMAGE = "image", "Image file"
        REPORT = "report", "Report file"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    wp_key = models.CharField(
        "WordPress key",
        max_length=255,
        help_text="The WordPress post id, or the file's path under wp-content/uploads/.",
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    item = GenericForeignKey("content_type", "object_id")
    # A fingerprint of the source (the item's fields, or a file's size and time): an item
    # whose source is unchanged is skipped, so edits made here since are kept.
    digest = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(
        default=list, blank=True, help_text="What could not be carried over, listed on every run."
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "wp_key"], name="news_wordpressitem_key")
        ]
        verbose_name = "WordPress item"

    def __str__(self):
        return f"WordPress {self.get_kind_display().lower()} {self.wp_key}"


class PostChange(models.Model):
    """One major change to a published post: readers see the list under "Updates to this page"."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField("updated on")
    note = models.CharField(max_length=300, help_text="What changed, in one sentence.")

    class Meta:
        ordering = ["-changed_at", "-pk"]
        get_latest_by = "changed_at"
        verbose_name = "change note"

    def __str__(self):
        return self.note

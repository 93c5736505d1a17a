"""The content registry: each content type says once, from its own app, what it is to the site.

A content type (posts, reports, contacts, topics, and whatever comes next) calls
`declare_content_type(...)` once, from its app's `AppConfig.ready()`. The declaration carries
everything the rest of the site needs to know about it, so that the site layer (search,
sitemaps, the front-cache allow-list), the link chooser and the mailing list read the
registry instead of naming apps:

- its link kind (`/go/<kind>/<id>/`, link search and the checks before publishing);
- what readers may see (a QuerySet method, `live` or `active`);
- its surrogate keys: the item key (`post-12`) and its list key (`news`), plus its topics'
  keys, produced by functions here and never typed as strings at call sites;
- its search fields, its sitemap, and whether its going live alerts subscribers;
- its admin preview: how an unsaved item (the change form's Preview, a preview link of
  unpublished changes) is drawn: its public detail view (`view_name`), or `preview_template`;
- its own dates editors plan by (an opportunity closes, an event starts): `CalendarDate`,
  shown on the editors' dashboard beside going live and taken down.

The kernel imports no app: the registry holds only what the apps hand it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from caching import frontcache
from publishing.links import LINK_KINDS, register_link_kind

# The key of a topic's hub and feeds, and of every list filtered by that topic.
TOPIC_KEY_PREFIX = "topic-"


def topic_key(slug):
    """The surrogate key of the pages that list a topic's content: `topic-<slug>`."""
    return f"{TOPIC_KEY_PREFIX}{slug}"


def item_key(instance):
    """The surrogate key of one row: `post-12` (its model's name and pk, never the slug)."""
    return frontcache.item_key(instance)


def item_key_for(model, pk):
    """The surrogate key of the row of `model` with primary key `pk`, without loading it."""
    return f"{model._meta.concrete_model._meta.model_name}-{pk}"


@dataclass(frozen=True)
class SearchSpec:
    """How site search finds and quotes a type (`ktnsite.search`).

    The type's `title_field` is matched and weighted above the rest. On PostgreSQL the
    model also needs a `search_vector` column kept by the trigger its migration creates
    (`publishing.search`): the weights live in that trigger.
    """

    text_fields: tuple  # quoted in snippets, and matched on SQLite (with the title)
    html_fields: tuple = ()  # those of text_fields stored as HTML: tags stripped first
    date_field: str | None = "publish_at"  # newest first; None: undated (ordered by pk)
    word_fields: tuple = ()  # plain text whose words "Did you mean …?" may suggest
    # A smaller vector to rank by (publishing.search.rank_vector_operation), or None:
    # rank by `search_vector`.
    rank_field: str | None = None
    # The date column whose month the vector carries (publishing.search.month_lexeme_operation),
    # or None. A large type's newest matches are then found month by month (ktnsite.search).
    month_field: str | None = None


@dataclass(frozen=True)
class SitemapSpec:
    """The type's section of /sitemap.xml (`ktnsite.sitemaps`).

    Items need `get_absolute_url()`. lastmod is when the page last changed for readers,
    never when its row was saved.
    """

    changefreq: str = "monthly"
    # () -> the items listed; None: every row readers may see (`ContentType.visible()`).
    items: Callable | None = None
    # (item) -> datetime of its last change for readers; None: no lastmod.
    lastmod: Callable | None = None
    # () -> datetime of the newest change on its list page (`index_view_name`); None: none.
    index_lastmod: Callable | None = None


@dataclass(frozen=True)
class CalendarDate:
    """A date of the type's own that editors plan by, for the dashboard's calendar strip.

    Going live (`publish_at`) and taken down (`expire_at`) are known for every Publishable;
    a type declares only its further dates, e.g. `CalendarDate("closes_at", "closes")`.
    The strip lists items readers may see (`visible_to_readers`) whose `field` falls in the
    coming days, each as "<title> <label>", linked to its change form.
    """

    field: str  # a DateTimeField or DateField of the model
    label: str  # what happens then, as a verb: "closes", "starts"


@dataclass(frozen=True)
class ContentType:
    """One declared content type. Made by `declare_content_type`; read through the lookups."""

    model: type
    kind: str  # "post": the /go/<kind>/<id>/ part and the link search's label key
    label: str  # "Post": what editors read in the link chooser
    plural_label: str  # "News": the search filter's choice
    view_name: str  # the public detail view, looked up by slug ("news:detail")
    list_key: str | None  # "news": the surrogate key of its lists, search kind, sitemap section
    index_view_name: str | None = None  # its public list page ("news:index"), in the sitemap
    visible_to_readers: str = "live"  # the QuerySet method saying what readers may see
    title_field: str = "title"
    topics_field: str | None = None  # its many-to-many to topics: their hubs list it
    search: SearchSpec | None = None
    sitemap: SitemapSpec | None = None
    alerts: bool = False  # going live emails confirmed subscribers of its topics
    # (item) -> [(label, text), ...]: what its alert and digest entry say of it in place of
    # the publication date ("When", "Where" for an event); None: the publication date.
    alert_facts: Callable | None = None
    # (instance) -> further keys a change purges, besides its own, its list and its topics'.
    extra_keys: Callable | None = None
    order: int = 100  # where it comes among types: search filter, sitemap (lower first)
    calendar: tuple = ()  # CalendarDate: its own dates on the editors' dashboard
    # The template an unsaved item is previewed with (context: `object` and the model's name);
    # None: its public detail view (`view_name`, a class-based DetailView) draws it, as readers
    # would get it. A type whose public page is no such view names its template here.
    preview_template: str | None = None

    # Keys ----------------------------------------------------------------------------------

    def item_key(self, instance):
        """The key of one of its rows, on the pages that show it by name: `post-12`."""
        return item_key(instance)

    def key_for_pk(self, pk):
        """The key of its row `pk`, without loading it (a change note names its post)."""
        return item_key_for(self.model, pk)

    def topic_keys(self, instance):
        """The keys of the topic hubs that list `instance`."""
        if not self.topics_field:
            return []
        return [topic_key(topic.slug) for topic in getattr(instance, self.topics_field).all()]

    @property
    def purges_site(self):
        """With no list key, topics or extra keys, a change purges every page (`site`)."""
        return self.list_key is None and self.extra_keys is None and not self.topics_field

    def change_keys(self, instance):
        """The list keys a change to `instance` purges besides its own key; None: the site."""
        if self.purges_site:
            return None
        keys = [self.list_key] if self.list_key else []
        keys += self.topic_keys(instance)
        if self.extra_keys is not None:
            keys += list(self.extra_keys(instance))
        return keys

    # Readers -------------------------------------------------------------------------------

    def visible(self):
        """Every row readers may see now."""
        return getattr(self.model.objects, self.visible_to_readers)()


_types: dict[type, ContentType] = {}
# Moves on every declaration, so that readers that build from the registry (search's kinds)
# know when to build again.
generation = 0


def declare_content_type(
    model,
    *,
    kind: str,
    label: str,
    plural_label: str,
    view_name: str,
    list_key: str | None,
    index_view_name: str | None = None,
    visible_to_readers: str = "live",
    title_field: str = "title",
    topics_field: str | None = None,
    search: SearchSpec | None = None,
    sitemap: SitemapSpec | None = None,
    alerts: bool = False,
    alert_facts: Callable | None = None,
    extra_keys: Callable | None = None,
    order: int = 100,
    calendar: Iterable[CalendarDate] = (),
    preview_template: str | None = None,
) -> ContentType:
    """Declare `model` a content type; call once, from its app's `AppConfig.ready()`.

    Also registers its link kind (`publishing.links`) and makes it public to the front
    cache (`caching.frontcache.declare_public`): a change purges its own key, its
    `list_key`, its topics' keys and `extra_keys(instance)`; with none of those, `site`.
    """
    content_type = ContentType(
        model=model,
        kind=kind,
        label=label,
        plural_label=plural_label,
        view_name=view_name,
        list_key=list_key,
        index_view_name=index_view_name,
        visible_to_readers=visible_to_readers,
        title_field=title_field,
        topics_field=topics_field,
        search=search,
        sitemap=sitemap,
        alerts=alerts,
        alert_facts=alert_facts,
        extra_keys=extra_keys,
        order=order,
        calendar=tuple(calendar),
        preview_template=preview_template,
    )
    for date in content_type.calendar:
        model._meta.get_field(date.field)  # a misspelt field fails at start-up, not on a page
    concrete = model._meta.concrete_model
    clash = for_kind(kind)
    if clash is not None and clash.model is not concrete:
        raise ValueError(f"Link kind {kind!r} is already declared by {clash.model._meta.label}.")
    global generation  # noqa: PLW0603 - a counter, moved only when the registry changes
    _types[concrete] = content_type
    generation += 1
    register_link_kind(
        kind,
        label=label,
        model=model,
        view_name=view_name,
        visible=content_type.visible,
        title_field=title_field,
    )
    keys = None if content_type.purges_site else content_type.change_keys
    frontcache.declare_public(model, keys=keys)
    return content_type


def forget_content_type(model):
    """Undo `declare_content_type(model)`: for tests that declare a type for a while only.

    The site never forgets a type; a test that declares one in a fixture calls this after,
    so that other tests see the site's own types only.
    """
    global generation  # noqa: PLW0603
    content_type = _types.pop(model._meta.concrete_model, None)
    if content_type is None:
        return
    generation += 1
    LINK_KINDS.pop(content_type.kind, None)
    frontcache.forget_public(model)


def content_types() -> tuple[ContentType, ...]:
    """Every declared type, in their `order` (then by kind)."""
    return tuple(sorted(_types.values(), key=lambda ct: (ct.order, ct.kind)))


def for_model(model) -> ContentType | None:
    """The type `model` (or the model a proxy stands for) was declared as, or None."""
    return _types.get(model._meta.concrete_model)


def for_kind(kind) -> ContentType | None:
    """The type whose link kind is `kind` ("post"), or None."""
    return next((ct for ct in _types.values() if ct.kind == kind), None)


def for_list_key(list_key) -> ContentType | None:
    """The type whose list key is `list_key` ("news"), or None."""
    return next((ct for ct in _types.values() if ct.list_key == list_key), None)


def list_key(model) -> str:
    """The list key of `model`'s declared type (`news` for posts): the one way a view or
    decorator names the lists of a type. An undeclared model, or one with no list, is an
    error at once rather than a page that is never purged."""
    content_type = for_model(model)
    if content_type is None or not content_type.list_key:
        raise LookupError(f"{model._meta.label} is not a content type with a list key.")
    return content_type.list_key


def searchable() -> tuple[ContentType, ...]:
    """The types site search covers, in order."""
    return tuple(ct for ct in content_types() if ct.search is not None)


def list_keys(types: Iterable[ContentType] | None = None) -> list[str]:
    """The list keys of `types` (default: every type with one), in order."""
    chosen = content_types() if types is None else types
    return [ct.list_key for ct in chosen if ct.list_key]


def alerting() -> tuple[ContentType, ...]:
    """The types whose going live alerts subscribers, in order."""
    return tuple(ct for ct in content_types() if ct.alerts)


__all__ = [
    "CalendarDate",
    "ContentType",
    "SearchSpec",
    "SitemapSpec",
    "alerting",
    "content_types",
    "declare_content_type",
    "for_kind",
    "forget_content_type",
    "for_list_key",
    "for_model",
    "item_key",
    "item_key_for",
    "list_key",
    "list_keys",
    "searchable",
    "topic_key",
]

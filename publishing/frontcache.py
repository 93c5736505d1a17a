"""Surrogate keys: which models readers see, what each page shows, and what a change must purge.

One allow-list decides which rows are public: every `Publishable` model, and the models
declared with `declare_public` (topics, contacts, redirects...). Saving, deleting or re-linking
a public row sends `content_changed` (the in-app page cache listens) and, after the commit,
queues one purge of the row's keys in every configured front cache (`publishing.purge`).
Rows of any other model (log-in attempts, sessions, tasks, sign-ups, enquiries, revisions)
change nothing readers see, so they purge nothing; a model added later purges nothing until
it is declared, which is the safe side for caches and the loud side for whoever forgets.

Keys are plain words, separated by spaces in the `Surrogate-Key` and `xkey` headers:

- `site`: every public page carries it; purging it empties the front cache.
- an item: `<model>-<pk>` (`post-12`, `report-3`, `contact-5`), on the pages that show it.
- a list: `news`, `reports`, `contacts`, `topic-<slug>`, on the pages that list such items.

A view names what its page shows with `add_surrogate_keys(request, ...)` (or the
`surrogate_keys(...)` decorator for lists known up front); the page-cache middleware turns
that into headers. A change purges the item's key plus the list keys its declaration names.
"""

import functools
import logging
import threading

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import Signal

logger = logging.getLogger(__name__)

SITE_KEY = "site"

# Sent for every change to a public row, as it happens (inside the transaction): sender is the
# model, `keys` the surrogate keys to purge. The purge itself waits for the commit.
content_changed = Signal()

# Concrete model -> function(instance) -> the list keys a change to it must purge (besides
# its own item key). None: the model is public but its lists are not described, so a change
# purges the whole site.
_declared = {}
# Concrete model -> names of its many-to-many fields that no public page shows.
_private_links = {}


def declare_public(model, *, keys=None, private_links=()):
    """Readers see rows of `model` on public pages: changes invalidate and purge caches.

    `keys(instance)` returns the list keys a change to the row must purge besides its own
    (`["news", "topic-quantum"]`); without it, a change purges `site`, every page.
    `private_links` names many-to-many fields readers never see (an image's admin tags):
    changing them purges nothing.
    """
    _declared[model._meta.concrete_model] = keys
    _private_links[model._meta.concrete_model] = frozenset(private_links)
    return model


def forget_public(model):
    """Undo `declare_public(model)` (a test's content type, declared for one test only)."""
    _declared.pop(model._meta.concrete_model, None)
    _private_links.pop(model._meta.concrete_model, None)


def is_public(model):
    """Whether readers may see rows of `model` (or of the model a proxy stands for)."""
    from publishing.models import Publishable

    concrete = model._meta.concrete_model
    return issubclass(concrete, Publishable) or concrete in _declared


def item_key(instance):
    """The key of one row: `post-12`. The primary key, not the slug, so a rename keeps it."""
    return f"{instance._meta.concrete_model._meta.model_name}-{instance.pk}"


def change_keys(instance):
    """Every key a change to `instance` must purge: its own and those of the lists it is on."""
    rule = _declared.get(type(instance)._meta.concrete_model)
    if rule is None:
        return {item_key(instance), SITE_KEY}
    return {item_key(instance), *rule(instance)}


# What a page shows -------------------------------------------------------------------------


def _as_keys(items):
    for item in items:
        if item is None:
            continue
        if isinstance(item, str):
            yield item
        elif hasattr(item, "_meta"):
            yield item_key(item)
        else:
            yield from _as_keys(item)


def add_surrogate_keys(request, *items):
    """Name what the page for `request` shows: key strings, rows, or iterables of rows."""
    keys = getattr(request, "surrogate_keys", None)
    if keys is None:
        keys = request.surrogate_keys = set()
    keys.update(_as_keys(items))


def surrogate_keys(*keys):
    """View decorator: the page lists these (`@surrogate_keys("news")`)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            add_surrogate_keys(request, *keys)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Changes -----------------------------------------------------------------------------------


class _Batch:
    """The keys changed in the current transaction, purged once when it commits."""

    def __init__(self):
        self.keys = set()
        self.done = False

    def flush(self):
        self.done = True
        if self.keys:
            _purge_later(self.keys)


_batches = threading.local()


# What a committed change's keys go to: the purge queue, unless an in-app page cache takes
# them first (ktnsite.pagecache invalidates itself, then purges; a purge before that would
# let a front cache refetch the old page from the in-app cache and keep it).
_after_commit = None


def route_purges(handler):
    """Send every committed change's keys to `handler(keys)` instead of the purge queue."""
    global _after_commit  # noqa: PLW0603 - set once, at start-up
    _after_commit = handler


def _purge_later(keys):
    if _after_commit is not None:
        _after_commit(keys)
        return
    from publishing.purge import purge_enqueue

    purge_enqueue(keys)


def changed(model, keys):
    """Record a change readers may see: tell listeners now, purge after the commit."""
    keys = set(keys)
    content_changed.send(sender=model, keys=frozenset(keys))
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _purge_later(keys)
        return
    batch = getattr(_batches, "current", None)
    # One purge per transaction: an admin save fires a signal for the row and for each of
    # its many-to-many fields. A batch whose callback was dropped (a rolled-back savepoint)
    # is replaced.
    if (
        batch is None
        or batch.done
        or not any(entry[1] == batch.flush for entry in connection.run_on_commit)
    ):
        batch = _batches.current = _Batch()
        transaction.on_commit(batch.flush)
    batch.keys |= keys


def _saved(sender, instance, raw=False, **kwargs):
    changed(sender, change_keys(instance))


def _deleting(sender, instance, **kwargs):
    # Before the delete, while the row's many-to-many links (its topics) can still be read;
    # Django deletes inside a transaction, so the purge still waits for the commit.
    changed(sender, change_keys(instance))


def _relinked(sender, instance, action, reverse, model, pk_set, **kwargs):
    # Keys are taken before and after a change of links, so the topics a post leaves are
    # purged as well as those it joins.
    if reverse:
        # `instance` is on the other side (topic.posts.add(post)): the public rows whose
        # links changed are the `model` rows named in pk_set.
        owner = model
        if pk_set is None:  # clear(): whoever was linked
            field = next(
                f.name
                for f in sender._meta.fields
                if f.is_relation and f.related_model is owner._meta.concrete_model
            )
            other = next(
                f.name
                for f in sender._meta.fields
                if f.is_relation and f.related_model is type(instance)._meta.concrete_model
            )
            pk_set = set(
                sender.objects.filter(**{other: instance}).values_list(f"{field}_id", flat=True)
            )
        rows = list(owner._default_manager.filter(pk__in=pk_set))
    else:
        owner, rows = type(instance), [instance]
    keys = set()
    for row in rows:
        keys |= change_keys(row)
    if keys:
        changed(owner, keys)


def connect_signals():
    """Listen to each public model (and its own many-to-many tables), by name.

    Not to every model: a receiver for all senders would cost every other model Django's
    fast paths (deletes without loading rows, many-to-many adds without a SELECT first).
    """
    for model in apps.get_models(include_auto_created=False):
        if not is_public(model):
            continue
        uid = f"frontcache.{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        pre_delete.connect(_deleting, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            if field.name in _private_links.get(model._meta.concrete_model, ()):
                continue
            m2m_changed.connect(
                _relinked, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}"
            )

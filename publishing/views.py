"""Views shared by every publishable model: readers see live items, editors can preview the rest."""

from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import resolve
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from caching import frontcache
from publishing import registry
from publishing.crossorigin import has_session
from publishing.links import LINK_KINDS
from publishing.models import PREVIEW_MAX_AGE, PREVIEW_SALT, PreviewLink, WorkingCopy
from publishing.pagination import keyset_page
from publishing.services import working_copy_find, working_copy_load
from publishing.sharing import list_page_json_ld, list_path


class KeysetListMixin:
    """For a ListView whose `filters` form carries the page fields (PageFieldsForm): its page
    read by key, never counted (keyset_page), and the page described to machines (canonical
    address and a CollectionPage of what it shows)."""

    page_size = 10
    # The date the list is ordered by, and whether soonest first (events to come).
    keyset_field = "publish_at"
    keyset_ascending = False

    def keyset_context(self, *, meta_title, description, **kwargs):
        before, after, last = self.filters.page_request()
        page = keyset_page(
            self.object_list,
            size=self.page_size,
            before=before,
            after=after,
            last=last,
            field=self.keyset_field,
            ascending=self.keyset_ascending,
        )
        context = super().get_context_data(
            object_list=page.object_list,
            page_obj=page,
            filters=self.filters,
            meta_title=meta_title,
            description=description,
            canonical_path=list_path(self.request),
            **kwargs,
        )
        context["json_ld"] = list_page_json_ld(context, meta_title, description)
        return context


def may_preview(request, model):
    """Whether `request` is a signed-in editor who may open `model`'s unpublished items."""
    if not has_session(request):
        # Only a signed-in editor may preview; not asking an anonymous reader's session
        # keeps it untouched, so their page carries no `Vary: Cookie` and any cache may
        # share it.
        return False
    user = request.user
    opts = model._meta
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


def readable(request, queryset):
    """`queryset` narrowed to what `request` may open at a public address: live items, the
    item of a preview link being shown, or everything for an editor (for detail pages that
    are function views; class-based ones use PublishableDetailMixin)."""
    link_item = getattr(request, "preview_link_item", None)
    if link_item is not None and isinstance(link_item, queryset.model):
        return queryset.filter(pk=link_item.pk)
    return queryset if may_preview(request, queryset.model) else queryset.live()


class PublishableDetailMixin:
    """A detail view that shows live items to everyone and unpublished ones to editors.

    Staff who may change the model can open a draft or scheduled item at its public URL;
    the response then carries never-cache headers so no cache keeps an unpublished page.
    """

    def can_preview(self):
        return may_preview(self.request, self.model)

    def get_queryset(self):
        return readable(self.request, super().get_queryset())

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Http404:
            gone = self.taken_down_item()
            if gone is None:
                raise
            # 410 rather than 404: the page existed and was withdrawn on purpose, so search
            # engines drop it at once and readers learn it is not a broken link.
            return render(
                request,
                "publishing/gone.html",
                {"item": gone, "opts": self.model._meta},
                status=410,
            )

    def taken_down_item(self):
        slug = self.kwargs.get(self.slug_url_kwarg)
        if slug is None:
            return None
        return self.model._default_manager.expired().filter(**{self.slug_field: slug}).first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The key the page's view beacon names (base.html, site.js): live items only, so a
        # draft or a preview (of a draft, or of a live item's unpublished changes) is never
        # counted.
        previewing = (
            context.get("preview_unsaved")
            or context.get("preview_changes")
            or getattr(self.request, "preview_link_item", None) is not None
        )
        if self.object.pk and self.object.is_live and not previewing:
            context.setdefault("counted_item", frontcache.item_key(self.object))
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_live:
            add_never_cache_headers(response)
        return response


def preview(request, token):
    """Show one unpublished item to whoever holds a valid, unrevoked preview link.

    The item's own page renders it (the same view as its public address), so the preview is
    exactly what readers will see, under the "Not public" banner. Never cached, never indexed.
    """
    try:
        pk = signing.loads(token, salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
        # Whether the item has unpublished changes, in the same query (most have none).
        copies = WorkingCopy.objects.filter(
            content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        )
        link = (
            PreviewLink.objects.select_related("content_type")
            .annotate(has_working_copy=Exists(copies))
            .get(pk=pk)
        )
    except (signing.BadSignature, PreviewLink.DoesNotExist) as exc:
        raise Http404("This preview link is not valid or has expired.") from exc
    item = link.item if link.is_usable else None
    if item is None:  # revoked, expired, or the item was deleted
        raise Http404("This preview link is not valid or has expired.")
    request.preview_link_item = item
    copy = working_copy_find(item=item) if link.has_working_copy else None
    if copy is not None:
        # Unpublished changes to a live item: the link shows them, not the live version.
        ids = working_copy_load(item=item, copy=copy)
        return render_unsaved(request, item, relation_ids=ids, context={"preview_changes": True})
    match = resolve(item.get_absolute_url())
    response = match.func(request, *match.args, **match.kwargs)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def render_unsaved(request, item, *, relation_ids, context=None):
    """Render `item`, built from an admin form and never saved, as its type's declaration says
    (`publishing.registry`: `preview_template`, or else its public detail view).

    The detail view (found from the item's address, as for preview links) gives the reader's
    template and context, so the preview is the page readers would get, under a "Preview"
    banner. `relation_ids` are the many-to-many choices ({field name: [pk, ...]}), served
    from the prefetch cache, since nothing of them is stored. `context` replaces the
    banner's flag (`preview_changes` for an item's unpublished changes).
    """
    if item.pk is None:
        item.pk = 0  # an unsaved new item: relations are read from the cache, queries find none
        item.created_at = item.updated_at = timezone.now()
    item._prefetched_objects_cache = {
        name: type(item)._meta.get_field(name).related_model._default_manager.filter(pk__in=ids)
        for name, ids in relation_ids.items()
    }
    flags = context or {"preview_unsaved": True}
    content_type = registry.for_model(type(item))
    if content_type is not None and content_type.preview_template:
        context = {"object": item, item._meta.model_name: item, **flags}
        response = TemplateResponse(request, content_type.preview_template, context)
    else:
        match = resolve(item.get_absolute_url())
        view_class = getattr(match.func, "view_class", None)
        if view_class is None:
            raise ImproperlyConfigured(
                f"{item._meta.label} cannot be previewed: its public page ({match.view_name}) "
                "is not a class-based detail view; declare its preview_template."
            )
        view = view_class()
        view.setup(request, *match.args, **match.kwargs)
        view.object = item
        response = view.render_to_response(view.get_context_data(object=item, **flags))
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def go(request, kind, pk):
    """A stable internal link (publishing.links): redirect to the item's current address.

    302, not 301: the address it leads to changes with the slug. An item readers may not see
    answers 404 (its address would give away its title), except to signed-in staff, who are
    sent on to its page (where they see a preview).
    """
    link_kind = LINK_KINDS.get(kind)
    if link_kind is None:
        raise Http404("No such kind of item.")
    item = link_kind.visible().filter(pk=pk).first()
    if item is None and has_session(request) and request.user.is_staff:
        item = link_kind.model._default_manager.filter(pk=pk).first()
    if item is None:
        raise Http404("No such item.")
    return HttpResponseRedirect(item.get_absolute_url())

"""Views shared by every publishable model: readers see live items, editors can preview the rest."""

from django.utils.cache import add_never_cache_headers


class PublishableDetailMixin:
    """A detail view that shows live items to everyone and unpublished ones to editors.

    Staff who may change the model can open a draft or scheduled item at its public URL;
    the response then carries never-cache headers so no cache keeps an unpublished page.
    """

    def can_preview(self):
        user = self.request.user
        opts = self.model._meta
        return (
            user.is_active
            and user.is_staff
            and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if self.can_preview() else queryset.live()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_live:
            add_never_cache_headers(response)
        return response

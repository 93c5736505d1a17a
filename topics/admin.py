"""Admin for topics, with each topic's leads for routing an enquiry."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from publishing.admin import PublishableAdmin, StateFilter
from publishing.review_hook import review_hook
from topics.models import Topic


def _directory_url(topic):
    # The staff directory (contacts' admin) by URL name: topics imports no content app.
    return reverse("admin:contacts_directoryentry_changelist") + f"?topics__id__exact={topic.pk}"


@admin.register(Topic)
class TopicAdmin(PublishableAdmin):
    """Topics, published (and reviewed) like posts; each with its leads."""

    list_display = ["name", "state", "slug", "ordering", "lead_count"]
    list_editable = ["ordering"]
    list_filter = [StateFilter]
    date_hierarchy = None
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "ordering", "leads"]}),
        ("Publishing", {"fields": ["status", "publish_at", "expire_at"]}),
    ]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["leads"]

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)
        refusal = review_hook().publish_refusal

        class OrderingForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                field = self.fields["ordering"]
                # Each row's box is named by its topic: the list's column header is no label.
                field.widget.attrs["aria-label"] = f"Ordering of {self.instance}"
                # A live topic's place in lists is what readers see: where the publish rule
                # would refuse this editor putting a change live (the topic is in review, or
                # REVIEW_REQUIRED names topics), the box is read-only here and the order is
                # changed on the topic's form, through review. A disabled field ignores
                # whatever is posted for it.
                topic = self.instance
                if topic.pk and topic.is_live:
                    reason = refusal(
                        model=Topic, item=topic, user=request.user, content_changed=True
                    )
                    if reason:
                        field.disabled = True
                        field.widget.attrs["title"] = reason

        return OrderingForm

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(active_leads=Count("contacts", filter=Q(contacts__is_active=True)))
        )

    @admin.display(description="leads", ordering="active_leads")
    def lead_count(self, topic):
        return format_html('<a href="{}">{}</a>', _directory_url(topic), topic.active_leads)

    @admin.display(description="leads")
    def leads(self, topic):
        """Who to route an enquiry about this topic to (details in the staff directory)."""
        if topic.pk is None:
            return "Save the topic, then give contacts this area of interest."
        people = list(topic.contacts.order_by("-is_active", "name"))
        if not people:
            return "No contact has this area of interest yet."
        items = format_html_join(
            "",
            "<li>{}{}{}</li>",
            (
                (
                    person.name,
                    f", {person.job_title}" if person.job_title else "",
                    "" if person.is_active else " (inactive)",
                )
                for person in people
            ),
        )
        return format_html(
            '<ul>{}</ul><a href="{}">Email and phone in the staff directory</a>',
            items,
            _directory_url(topic),
        )

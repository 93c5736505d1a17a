"""Admin for topics."""

from django.contrib import admin

from publishing.admin import EditorialAdmin
from topics.models import Topic


@admin.register(Topic)
class TopicAdmin(EditorialAdmin):
    list_display = ["name", "slug", "ordering"]
    list_editable = ["ordering"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

"""Admin for topics."""

from django.contrib import admin

from topics.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "ordering"]
    list_editable = ["ordering"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

"""Admin for news posts."""

from django.contrib import admin

from news.models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "publish_at", "is_featured"]
    list_filter = ["status", "is_featured", "topics"]
    search_fields = ["title", "standfirst", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["report", "contacts"]
    filter_horizontal = ["topics"]
    date_hierarchy = "publish_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_decorative"]}),
        ("Links", {"fields": ["topics", "report", "contacts"]}),
        ("Publishing", {"fields": ["status", "publish_at", "is_featured"]}),
    ]

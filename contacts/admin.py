"""Admin for contacts."""

from django.contrib import admin

from contacts.models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "team", "is_active"]
    list_filter = ["is_active", "topics"]
    search_fields = ["name", "job_title", "team", "email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["topics"]

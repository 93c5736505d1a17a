"""App configuration for contacts."""

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self):
        from contacts.models import Contact
        from publishing.registry import SearchSpec, SitemapSpec, declare_content_type

        # What a contact is to the site, said once; a contact who left is not "active".
        declare_content_type(
            Contact,
            kind="contact",
            label="Contact",
            plural_label="Contacts",
            view_name="contacts:detail",
            index_view_name="contacts:index",
            list_key="contacts",
            visible_to_readers="active",
            title_field="name",
            topics_field="topics",
            # Never the email: it is neither searched nor shown.
            search=SearchSpec(
                text_fields=("job_title", "team", "bio"),
                date_field=None,
                word_fields=("name", "job_title", "team"),
            ),
            sitemap=SitemapSpec(
                changefreq="yearly", items=lambda: Contact.objects.active().only("slug")
            ),
            order=30,
        )

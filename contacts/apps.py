"""App configuration for contacts."""

from datetime import timedelta

from django.apps import AppConfig


def purge_enquiries_job():
    from contacts.services import enquiries_purge_old

    return {"deleted": enquiries_purge_old()}


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self):
        from contacts import dashboard
        from contacts.models import Contact
        from publishing.registry import SearchSpec, SitemapSpec, declare_content_type
        from scheduling import register_job

        register_job(
            "purge_enquiries",
            purge_enquiries_job,
            every=timedelta(days=1),
            at=timedelta(hours=3, minutes=15),
            description="Deletes delivered enquiries past CONTACTS_ENQUIRY_RETENTION_DAYS.",
        )
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
            # Its page is a function view (the enquiry form): the admin's preview draws
            # the unsaved contact with the same template.
            preview_template="contacts/contact_detail.html",
        )
        # Enquiries waiting too long, per lead, on the admin home.
        dashboard.register()

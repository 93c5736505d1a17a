"""App configuration for contacts."""

from datetime import timedelta

from django.apps import AppConfig


def purge_enquiries_job():
    from contacts.services import enquiries_purge_old

    return {"deleted": enquiries_purge_old()}


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self):
        from scheduling import register_job

        register_job(
            "purge_enquiries",
            purge_enquiries_job,
            every=timedelta(days=1),
            at=timedelta(hours=3, minutes=15),
            description="Deletes delivered enquiries past CONTACTS_ENQUIRY_RETENTION_DAYS.",
        )
        from contacts.models import Contact
        from publishing.links import register_link_kind

        # Body links to contacts are found by search; a contact who left is not "live".
        register_link_kind(
            "contact",
            label="Contact",
            model=Contact,
            view_name="contacts:detail",
            visible=Contact.objects.active,
            title_field="name",
        )

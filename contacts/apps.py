"""App configuration for contacts."""

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self):
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

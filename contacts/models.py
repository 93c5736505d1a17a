"""Contact (a named lead, e.g. "please contact Karen Wilkinson") and Enquiry (a message to one)."""

from django.conf import settings
from django.db import models

from outbox.delivery import Outbox, OutboxState
from publishing.addresses import slug_url
from publishing.models import PublicationFields, PublishableQuerySet
from publishing.search import search_vector_field


class ContactQuerySet(PublishableQuerySet):
    def active(self):
        """Contacts readers see in lists: published (`live()`) and still here (`is_active`)."""
        return self.live().filter(is_active=True)


class Contact(PublicationFields):
    """A named lead. Publication (`PublicationFields`: draft until published, reviewed like a
    post) says whether readers see the page at all; `is_active` says whether the person is
    still here (a page of someone who left points readers to a colleague)."""

    title_field = "name"

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    job_title = models.CharField(max_length=150, blank=True)
    team = models.CharField(max_length=150, blank=True)
    email = models.EmailField(
        help_text="Where enquiries are delivered. Never shown on any public page."
    )
    phone = models.CharField(max_length=40, blank=True)
    photo = models.ForeignKey(
        "library.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="used_as_photo",
        help_text="A head-and-shoulders photo from the library (or upload one there).",
    )
    bio = models.TextField("short bio", blank=True, help_text="A few sentences, plain text.")
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="contacts")
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Untick when the person leaves: their page then points readers elsewhere.",
    )
    # Filled by a database trigger on PostgreSQL (see publishing.search); never the email.
    search_vector = search_vector_field()

    objects = ContactQuerySet.as_manager()

    class Meta(PublicationFields.Meta):
        ordering = ["name"]
        permissions = [
            ("export_contact", "Can export the staff directory as CSV"),
            ("publish_contact", "Can publish contacts"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("contacts:detail", self.slug)


class DirectoryEntry(Contact):
    """The staff directory: contacts as colleagues look them up (email, phone), read-only.

    A proxy so that it has its own admin list on the admin home; it has no permissions of its
    own: the view permission for contacts opens it (contacts.staff.sees_lead_details).
    """

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = "staff directory entry"
        verbose_name_plural = "staff directory"


# An enquiry's delivery states are the outbox's (pending, sending, sent, failed, skipped).
EnquiryState = OutboxState


class Enquiry(Outbox):
    """A message from a reader to one contact; the row is the outbox, delivery follows it
    (outbox.delivery: at least once, retried with backoff, failed ones shown to editors)."""

    contact = models.ForeignKey(
        Contact,
        # Never lose a message: a contact with enquiries cannot be deleted, only deactivated.
        on_delete=models.PROTECT,
        related_name="enquiries",
    )
    token = models.UUIDField(
        unique=True,
        editable=False,
        help_text="The one-time token of the form that sent it: a second post is not stored.",
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    organisation = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=200)
    message = models.TextField(max_length=5000)
    consent_text = models.TextField(help_text="The consent wording the sender agreed to.")
    created_at = models.DateTimeField("received", auto_now_add=True, db_index=True)

    sent_at = models.DateTimeField(
        "delivered to contact", null=True, blank=True, help_text="When the contact's copy went."
    )
    acknowledged_at = models.DateTimeField(
        "copy sent to sender", null=True, blank=True, help_text="When the sender's copy went."
    )
    handled_at = models.DateTimeField(
        null=True, blank=True, help_text="When an editor marked the enquiry as dealt with."
    )
    # A forward is a new enquiry to another lead (the same outbox delivers it); these say
    # where it came from and who sent it on. The sender is not sent a second copy.
    forwarded_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forwards",
        editable=False,
        help_text="The enquiry this one was forwarded from.",
    )
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    forwarded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name_plural = "enquiries"
        constraints = [
            # One forward per lead: a double click on "Forward" must not deliver it twice.
            models.UniqueConstraint(
                fields=["forwarded_from", "contact"],
                condition=models.Q(forwarded_from__isnull=False),
                name="contacts_enquiry_one_forward_per_lead",
            )
        ]

    def __str__(self):
        return f"{self.subject} ({self.name} to {self.contact})"

    @property
    def is_forward(self):
        return self.forwarded_at is not None

    def outbox_send(self, *, connection=None):
        """The message to the contact, then the receipt to the sender (contacts.services)."""
        from contacts.services import enquiry_send  # the services module imports this one

        enquiry_send(enquiry=self, connection=connection)

    @classmethod
    def outbox_rows(cls, queryset):
        return queryset.select_related("contact", "forwarded_by", "forwarded_from__contact")

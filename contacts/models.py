"""Contact: a named lead readers are pointed to, e.g. "please contact Karen Wilkinson"."""

from django.db import models
from django.urls import reverse


class ContactQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Contact(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    job_title = models.CharField(max_length=150, blank=True)
    team = models.CharField(max_length=150, blank=True)
    email = models.EmailField(
        help_text="Where enquiries are delivered. Never shown on any public page."
    )
    phone = models.CharField(max_length=40, blank=True)
    photo = models.ImageField(upload_to="contacts/", blank=True)
    bio = models.TextField("short bio", blank=True, help_text="A few sentences, plain text.")
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="contacts")
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Untick when the person leaves: their page then points readers elsewhere.",
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:detail", kwargs={"slug": self.slug})

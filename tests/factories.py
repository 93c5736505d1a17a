"""Test data builders: one place that knows how to make a valid object of each model."""

import itertools
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from contacts.models import Contact, Enquiry
from ktnsite.demo.files import make_pdf
from news.models import Post
from publishing.models import Status
from reports.models import Report
from reports.services import report_file_read
from topics.models import Topic

_numbers = itertools.count(1)


def make_topic(**fields):
    n = next(_numbers)
    fields.setdefault("name", f"Topic {n}")
    fields.setdefault("slug", f"topic-{n}")
    return Topic.objects.create(**fields)


def make_contact(*, topics=(), **fields):
    n = next(_numbers)
    fields.setdefault("name", f"Contact {n}")
    fields.setdefault("slug", f"contact-{n}")
    fields.setdefault("email", f"contact{n}@example.org")
    contact = Contact.objects.create(**fields)
    contact.topics.set(topics)
    return contact


def make_report(*, topics=(), pages=None, **fields):
    n = next(_numbers)
    fields.setdefault("title", f"Report {n}")
    fields.setdefault("slug", f"report-{n}")
    fields.setdefault("summary", f"Summary of report {n}.")
    fields.setdefault("status", Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - timedelta(days=1))
    report = Report(**fields)
    pdf = make_pdf(pages or [[f"Report {n}", "Page one."], ["Page two."]])
    report.file.save(f"report-{n}.pdf", ContentFile(pdf), save=False)
    report.save()
    report_file_read(report=report, trusted=True)
    report.topics.set(topics)
    return report


def make_post(*, topics=(), contacts=(), **fields):
    n = next(_numbers)
    fields.setdefault("title", f"Post {n}")
    fields.setdefault("slug", f"post-{n}")
    fields.setdefault("standfirst", f"Standfirst of post {n}.")
    fields.setdefault("body", f"<p>Body of post {n}.</p>")
    fields.setdefault("status", Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - timedelta(hours=n))
    post = Post.objects.create(**fields)
    post.topics.set(topics)
    post.contacts.set(contacts)
    return post


def make_enquiry(*, contact=None, **fields):
    n = next(_numbers)
    fields.setdefault("token", uuid.uuid4())
    fields.setdefault("name", f"Sender {n}")
    fields.setdefault("email", f"sender{n}@example.com")
    fields.setdefault("subject", f"Question {n}")
    fields.setdefault("message", f"Hello, this is message {n}.")
    fields.setdefault("consent_text", "I agree.")
    return Enquiry.objects.create(contact=contact or make_contact(), **fields)


def enquiry_form_data(**fields):
    """What a reader's browser posts from the enquiry form, filled in correctly."""
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "organisation": "Analytical Engines Ltd",
        "subject": "Continuous manufacturing",
        "message": "Could we talk about the pilot line?\nThanks, Ada",
        "consent": "on",
        "website": "",
        "token": str(uuid.uuid4()),
    }
    data.update(fields)
    return data

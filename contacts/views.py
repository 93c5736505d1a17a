"""Public pages for contacts: the directory, each person's profile and its enquiry form."""

import logging
import uuid

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.generic import ListView
from django_ratelimit.core import get_usage

from caching.frontcache import add_surrogate_keys
from contacts import services, staff
from contacts.forms import EnquiryForm
from contacts.models import Contact
from contacts.seo import contact_description, contact_json_ld
from publishing.addresses import fixed_url
from publishing.backlinks import backlink_keys, backlinks
from publishing.crossorigin import public_form
from publishing.registry import list_key
from publishing.sharing import breadcrumbs, list_page_json_ld, list_path, share_image
from publishing.views import readable
from topics.models import Topic

logger = logging.getLogger(__name__)

LATEST_POSTS = 5


class ContactListView(ListView):
    """Active contacts, all of them or those of one topic (?topic=<slug>)."""

    paginate_by = 24

    def get_queryset(self):
        add_surrogate_keys(self.request, list_key(Contact))
        contacts = Contact.objects.active().prefetch_related(
            Prefetch("topics", Topic.objects.live())
        )
        slug = self.request.GET.get("topic")
        self.topic = None
        if slug:
            self.topic = Topic.objects.live().filter(slug=slug).first()
            if self.topic is None:
                raise Http404("No such area of interest.")
            contacts = contacts.filter(topics=self.topic)
        return contacts

    def get_context_data(self, **kwargs):
        topic = self.topic
        meta_title = f"{topic.name} contacts" if topic else "Contacts"
        lead = f"{topic.name} contacts at" if topic else "Named leads at"
        description = f"{lead} {settings.SITE_NAME}: find the right person and send them a message."
        context = super().get_context_data(
            topic=topic,
            topics=Topic.objects.live().filter(contacts__in=Contact.objects.active()).distinct(),
            meta_title=meta_title,
            description=description,
            canonical_path=list_path(self.request, filters=("topic", "page")),
            **kwargs,
        )
        context["json_ld"] = list_page_json_ld(context, meta_title, description)
        return context


def _profile(request, contact, form=None, status=200):
    if not contact.is_active:
        status = 410  # gone for good: the page says who to ask instead
    image = share_image(contact.photo)
    context = {
        "contact": contact,
        "object": contact,  # the "Not public" banner's (includes/preview_banner.html)
        "description": contact_description(contact),
        "share_image": image,
        "json_ld": contact_json_ld(contact, image),
        "breadcrumbs": breadcrumbs(
            [("Home", fixed_url("home")), ("Contacts", fixed_url("contacts:index"))],
            (contact.name, contact.get_absolute_url()),
        ),
        # Registered by news, which stands above contacts (publishing.backlinks).
        "posts": backlinks(contact)[:LATEST_POSTS],
    }
    for_staff = staff.request_sees_lead_details(request)
    if for_staff:
        context["staff_view"] = {
            "vcard_url": reverse("admin:contacts_directoryentry_vcard", args=[contact.pk]),
            "directory_url": reverse("admin:contacts_directoryentry_changelist")
            + "?"
            + urlencode({"q": contact.name}),
            "enquiries_url": reverse("admin:contacts_enquiry_changelist")
            + f"?contact__id__exact={contact.pk}",
            "enquiry_count": contact.enquiries.count(),
            "tel": "".join(ch for ch in contact.phone if ch.isdigit() or ch == "+"),
        }
    if contact.is_active:
        # The same bytes for every reader: no token in the page (see EnquiryForm.token).
        context["form"] = form or EnquiryForm(contact=contact)
    else:
        context.update(_elsewhere(contact))
    response = render(request, "contacts/contact_detail.html", context, status=status)
    if for_staff:
        # The copy with the lead's email and phone: no cache anywhere may keep or share it
        # (the page cache also never stores a request with a session cookie).
        response["Cache-Control"] = "private, no-store"
    elif not contact.is_live:
        # An editor's look at a draft (or a preview link's): no cache may keep it.
        add_never_cache_headers(response)
    return response


def _elsewhere(contact):
    """Who to ask instead of someone who has moved on: their topics' other active contacts,
    else the general enquiries contact named in settings (else the directory)."""
    others = list(
        Contact.objects.active()
        .filter(topics__in=contact.topics.live())
        .exclude(pk=contact.pk)
        .distinct()
    )
    general = None
    if not others and settings.CONTACTS_GENERAL_ENQUIRIES:
        general = (
            Contact.objects.active()
            .exclude(pk=contact.pk)
            .filter(slug=settings.CONTACTS_GENERAL_ENQUIRIES)
            .first()
        )
    return {"other_contacts": others, "general_contact": general}


# A page any cache may share (no per-reader token in it); the form is protected by Fetch
# Metadata / Origin checks instead of Django's CSRF token (publishing.crossorigin). A
# moved-on lead's page is a 410; staff who may see leads' details get a private copy with
# them (staff.sees_lead_details).
@public_form
def contact_detail(request, slug):
    contact = get_object_or_404(
        readable(
            request,
            Contact.objects.select_related("photo").prefetch_related(
                Prefetch("topics", Topic.objects.live())
            ),
        ),
        slug=slug,
    )
    # Its latest posts (`backlink_keys`, registered by news) and the directory it is in.
    add_surrogate_keys(request, contact, backlink_keys(Contact), list_key(Contact))
    if request.method != "POST":
        return _profile(request, contact)
    if not contact.is_active:
        return _profile(request, contact, status=410)

    form = EnquiryForm(request.POST, contact=contact)
    if not form.is_valid():
        if "token" in form.errors:
            form.data = form.data.copy()
            form.data["token"] = str(uuid.uuid4())
        return _profile(request, contact, form=form, status=400)

    fields = form.enquiry_fields()
    if contact.enquiries.filter(token=fields["token"]).exists():
        return redirect("contacts:thanks", slug=contact.slug)  # a double submit: same thank-you
    usage = get_usage(
        request,
        group="contacts.enquiry",
        key="ip",
        rate=settings.CONTACTS_ENQUIRY_RATE,
        method="POST",
        increment=True,
    )
    if usage and usage["should_limit"]:
        response = render(
            request,
            "contacts/enquiry_ratelimited.html",
            {"contact": contact, "form": form},
            status=429,
        )
        response["Retry-After"] = str(_period_seconds(settings.CONTACTS_ENQUIRY_RATE))
        return response
    if form.is_bot:
        # Answer as if it worked, so the bot learns nothing; store and send nothing.
        logger.info("Enquiry to %s dropped: honeypot filled", contact.slug)
        return redirect("contacts:thanks", slug=contact.slug)
    services.enquiry_submit(contact=contact, **fields)
    return redirect("contacts:thanks", slug=contact.slug)


def _period_seconds(rate):
    """The window of a django-ratelimit rate such as "5/h" or "20/30m", in seconds: the
    longest a limited client may have to wait."""
    period = rate.partition("/")[2]
    return int(period[:-1] or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[-1]]


def enquiry_thanks(request, slug):
    contact = get_object_or_404(Contact.objects.active(), slug=slug)
    add_surrogate_keys(request, contact)
    return render(request, "contacts/enquiry_thanks.html", {"contact": contact})

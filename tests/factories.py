"""Test data builders: one place that knows how to make a valid object of each model."""

import io
import itertools
import uuid
from datetime import timedelta

from django.contrib.auth.models import Group, Permission, User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from contacts.models import Contact, Enquiry
from ktnsite.demo.files import make_pdf
from news.models import Post
from opportunities.models import Opportunity
from publishing.models import Status, published_fields
from reports.models import Report
from reports.services import report_file_read
from topics.models import Topic

_numbers = itertools.count(1)


def make_topic(**fields):
    n = next(_numbers)
    fields.setdefault("name", f"Topic {n}")
    fields.setdefault("slug", f"topic-{n}")
    # Live unless a test says otherwise (a draft: status=Status.DRAFT, publish_at=None).
    for name, value in published_fields().items():
        fields.setdefault(name, value)
    return Topic.objects.create(**fields)


def make_contact(*, topics=(), **fields):
    n = next(_numbers)
    fields.setdefault("name", f"Contact {n}")
    fields.setdefault("slug", f"contact-{n}")
    fields.setdefault("email", f"contact{n}@example.org")
    for name, value in published_fields().items():
        fields.setdefault(name, value)
    contact = Contact.objects.create(**fields)
    contact.topics.set(topics)
    return contact


def make_report(*, topics=(), pages=None, content=None, filename=None, **fields):
    n = next(_numbers)
    fields.setdefault("title", f"Report {n}")
    fields.setdefault("slug", f"report-{n}")
    fields.setdefault("summary", f"Summary of report {n}.")
    fields.setdefault("status", Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - timedelta(days=1))
    report = Report(**fields)
    if content is None:
        content = make_pdf(pages or [[f"Report {n}", "Page one."], ["Page two."]])
    report.file.save(filename or f"report-{n}.pdf", ContentFile(content), save=False)
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


def make_opportunity(*, topics=(), contacts=(), opens_in=None, closes_in=None, **fields):
    """A published opportunity, open now unless `opens_in` / `closes_in` (timedeltas from now)
    or the dates themselves say otherwise."""
    n = next(_numbers)
    now = timezone.now()
    fields.setdefault("title", f"Opportunity {n}")
    fields.setdefault("slug", f"opportunity-{n}")
    fields.setdefault("standfirst", f"What opportunity {n} funds.")
    fields.setdefault("body", f"<p>Body of opportunity {n}.</p>")
    fields.setdefault("funder", "Innovate UK")
    fields.setdefault("apply_url", "https://apply-for-innovation-funding.service.gov.uk/")
    fields.setdefault("award_max", 250_000)
    fields.setdefault("status", Status.PUBLISHED)
    fields.setdefault("publish_at", now - timedelta(days=30, minutes=n))
    fields.setdefault("opens_at", now + (opens_in if opens_in is not None else -timedelta(days=10)))
    fields.setdefault(
        "closes_at", now + (closes_in if closes_in is not None else timedelta(days=30))
    )
    opportunity = Opportunity.objects.create(**fields)
    opportunity.topics.set(topics)
    opportunity.contacts.set(contacts)
    return opportunity


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


# Report files of every accepted kind (and their look-alikes), made in code: no binary
# fixtures in the repository.
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_OOXML = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}


def make_zip(members, *, first=None):
    """A zip of {name: bytes}; `first` is an uncompressed (name, bytes) written first."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1], zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_ooxml(kind, paragraphs=("Hello from Word",), extra=None):
    """A minimal Office Open XML package (docx, docm, xlsx or pptx) holding `paragraphs`."""
    main_part, content_type = _OOXML[kind]
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>'
    )
    members = {"[Content_Types].xml": types, main_part: "<root/>"}
    if kind in ("docx", "docm"):
        body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
        members[main_part] = f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    elif kind == "xlsx":
        strings = "".join(f"<si><t>{p}</t></si>" for p in paragraphs)
        members["xl/sharedStrings.xml"] = (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{strings}</sst>"
        )
    else:
        a = "http://schemas.openxmlformats.org/drawingml/2006/main"
        for number, text in enumerate(paragraphs, start=1):
            members[f"ppt/slides/slide{number}.xml"] = (
                f'<p:sld xmlns:p="p" xmlns:a="{a}"><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>'
            )
    members.update(extra or {})
    return make_zip(members)


def make_odf(kind, paragraphs=("Hello from OpenDocument",)):
    """A minimal OpenDocument file: odt (text), ods (spreadsheet) or odp (presentation)."""
    mimetype = {
        "odt": "application/vnd.oasis.opendocument.text",
        "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "odp": "application/vnd.oasis.opendocument.presentation",
    }[kind]
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = (
        f'<office:document-content xmlns:office="o" xmlns:text="{text}">'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    return make_zip({"content.xml": content}, first=("mimetype", mimetype.encode()))


def make_encrypted_pdf(pages):
    """A PDF that opens only with a password."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(pages))))
    writer.encrypt(user_password="secret", owner_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_subscriber(*, topics=(), **fields):
    """A mailing-list subscriber, confirmed unless told otherwise."""
    from mailinglist.models import State, Subscriber

    n = next(_numbers)
    fields.setdefault("email", f"reader{n}@example.org")
    fields.setdefault("state", State.CONFIRMED)
    fields.setdefault("consent_text", "I agree to be emailed.")
    if fields["state"] == State.CONFIRMED:
        fields.setdefault("confirmed_at", timezone.now())
    subscriber = Subscriber.objects.create(**fields)
    subscriber.topics.set(topics)
    return subscriber


def make_image(*, size=(320, 180), data=None, name="picture.jpg", renditions=False, **fields):
    """A library image made through the service, as an import would; with `renditions`, its
    renditions made too (in a test the after-commit task does not run by itself)."""
    from ktnsite.demo.files import make_hero_image
    from library.services import image_create, image_renditions_make

    fields.setdefault("alt", "A test picture")
    data = make_hero_image(*size) if data is None else data
    image = image_create(file=ContentFile(data, name=name), **fields)
    if renditions:
        image_renditions_make(image_id=image.pk)
        image.refresh_from_db()
    return image


def add_hero_image(post, *, alt="A test picture", renditions=False, size=(320, 180)):
    """Give `post` a small JPEG hero image from the library, saved."""
    post.hero_image = make_image(alt=alt, size=size, renditions=renditions, title=post.title)
    post.save()
    return post


def make_image_bytes(fmt="JPEG", size=(1200, 800), *, gps=False, colour=(200, 60, 40)):
    """A real image file's bytes; with `gps`, it carries camera and GPS EXIF like a phone photo."""
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0110] = "PhoneModel X"  # Model
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
        options["exif"] = exif
    image.save(out, fmt, **options)
    return out.getvalue()


def make_upload(name="photo.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, make_image_bytes() if data is None else data, content_type)


def make_staff(username="staff", *, groups=(), perms=()):
    """A staff user with the given groups (by name) and permissions (by codename)."""
    # No password: tests log in with force_login, and hashing one costs a second per user.
    user = User.objects.create_user(username, f"{username}@example.org", None, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    user.user_permissions.set(Permission.objects.filter(codename__in=perms))
    return user


def signed_in(username, *, groups=(), perms=()):
    """A test client signed in as a new staff user (make_staff) with these groups and rights."""
    from django.test import Client

    client = Client()
    client.force_login(make_staff(username, groups=groups, perms=perms))
    return client


def admin_post_data(post=None, **overrides):
    """The fields the post admin form sends, filled from `post` (or a fresh draft, which has
    no publish time: publishing it stamps the moment it went live)."""
    when = post.publish_at and timezone.localtime(post.publish_at) if post else None
    data = {
        "title": post.title if post else "A new post",
        "slug": post.slug if post else "a-new-post",
        "standfirst": post.standfirst if post else "What happened, in a sentence.",
        "body": post.body if post else "<p>The body.</p>",
        "hero_image": post.hero_image_id or "" if post else "",
        "status": post.status if post else Status.DRAFT,
        "publish_at_0": when.strftime("%d/%m/%Y") if when else "",
        "publish_at_1": when.strftime("%H:%M:%S") if when else "",
        "topics": [t.pk for t in post.topics.all()] if post else [],
        "contacts": [c.pk for c in post.contacts.all()] if post else [],
        "report": post.report_id or "" if post else "",
    }
    if post and post.expire_at:
        expire = timezone.localtime(post.expire_at)
        data["expire_at_0"], data["expire_at_1"] = f"{expire:%d/%m/%Y}", f"{expire:%H:%M:%S}"
    if post is not None:
        # The version the form was opened at, as the change form sends it: a change posted
        # without it is refused (publishing.admin.EditorialAdminForm).
        from publishing.editing import edit_token

        data["edit_base"] = edit_token(post)
    data.update(overrides)
    return data


# WordPress exports (WXR 1.2), written the way WordPress's exporter writes them.
WXR_NAMESPACES = (
    'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"'
)


def _cdata(text):
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wxr_post(
    post_id,
    title,
    *,
    slug="",
    body="",
    excerpt="",
    status="publish",
    date_gmt="2021-10-14 09:00:00",
    link=None,
    site="https://old.example.org",
    categories=(),
    tags=(),
    thumbnail_id=None,
    password="",
    post_type="post",
):
    """One <item>: a post (or a page) with its categories, tags and featured image."""
    from xml.sax.saxutils import escape as xml_escape

    link = link if link is not None else f"{site}/news/{slug}/" if slug else f"{site}/?p={post_id}"
    terms = "".join(
        f'<category domain="{domain}" nicename="{nicename}">{_cdata(name)}</category>'
        for domain, values in (("category", categories), ("post_tag", tags))
        for nicename, name in values
    )
    meta = ""
    if thumbnail_id:
        meta = (
            "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
            f"<wp:meta_value>{_cdata(str(thumbnail_id))}</wp:meta_value></wp:postmeta>"
        )
    return (
        f"<item><title>{xml_escape(title)}</title><link>{xml_escape(link)}</link>"
        f"<pubDate>Thu, 14 Oct 2021 09:00:00 +0000</pubDate><dc:creator>{_cdata('editor')}</dc:creator>"
        f'<guid isPermaLink="false">{site}/?p={post_id}</guid><description></description>'
        f"<content:encoded>{_cdata(body)}</content:encoded>"
        f"<excerpt:encoded>{_cdata(excerpt)}</excerpt:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id>"
        f"<wp:post_date>{_cdata(date_gmt)}</wp:post_date>"
        f"<wp:post_date_gmt>{_cdata(date_gmt)}</wp:post_date_gmt>"
        f"<wp:comment_status>{_cdata('closed')}</wp:comment_status>"
        f"<wp:post_name>{_cdata(slug)}</wp:post_name><wp:status>{_cdata(status)}</wp:status>"
        f"<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>"
        f"<wp:post_type>{_cdata(post_type)}</wp:post_type>"
        f"<wp:post_password>{_cdata(password)}</wp:post_password><wp:is_sticky>0</wp:is_sticky>"
        f"{terms}{meta}</item>"
    )


def wxr_attachment(
    post_id,
    path,
    *,
    title="",
    alt="",
    caption="",
    description="",
    site="https://old.example.org",
    parent=0,
    order=0,
):
    """One attachment <item>: an uploaded file at wp-content/uploads/<path>."""
    from xml.sax.saxutils import escape as xml_escape

    url = f"{site}/wp-content/uploads/{path}"
    return (
        f"<item><title>{xml_escape(title)}</title><link>{site}/?attachment_id={post_id}</link>"
        f'<guid isPermaLink="false">{url}</guid>'
        f"<content:encoded>{_cdata(description)}</content:encoded>"
        f"<excerpt:encoded>{_cdata(caption)}</excerpt:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id>"
        f"<wp:post_date_gmt>{_cdata('2021-10-01 08:00:00')}</wp:post_date_gmt>"
        f"<wp:post_name>{_cdata(title.lower().replace(' ', '-'))}</wp:post_name>"
        f"<wp:status>{_cdata('inherit')}</wp:status>"
        f"<wp:post_parent>{parent}</wp:post_parent><wp:menu_order>{order}</wp:menu_order>"
        f"<wp:post_type>{_cdata('attachment')}</wp:post_type>"
        f"<wp:attachment_url>{_cdata(url)}</wp:attachment_url>"
        "<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
        f"<wp:meta_value>{_cdata(path)}</wp:meta_value></wp:postmeta>"
        "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        f"<wp:meta_value>{_cdata(alt)}</wp:meta_value></wp:postmeta></item>"
    )


def write_wxr(handle, items, *, categories=(), tags=(), site="https://old.example.org", doctype=""):
    """Write a WXR 1.2 export to the text file `handle`: channel, terms, then `items`.

    `items` may be a generator, so a large export is written without holding it in memory.
    """
    from xml.sax.saxutils import escape as xml_escape

    handle.write(f'<?xml version="1.0" encoding="UTF-8" ?>\n{doctype}')
    handle.write(f'<rss version="2.0" {WXR_NAMESPACES}>\n<channel>\n')
    handle.write(
        f"<title>Old site</title><link>{site}</link><language>en-GB</language>"
        f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{site}</wp:base_site_url>"
        f"<wp:base_blog_url>{site}</wp:base_blog_url>\n"
    )
    for n, (slug, name) in enumerate(categories, start=1):
        handle.write(
            f"<wp:category><wp:term_id>{n}</wp:term_id><wp:category_nicename>{slug}"
            f"</wp:category_nicename><wp:category_parent></wp:category_parent>"
            f"<wp:cat_name>{_cdata(name)}</wp:cat_name>"
            f"<wp:category_description>{_cdata(name + ' news.')}</wp:category_description>"
            "</wp:category>\n"
        )
    for n, (slug, name) in enumerate(tags, start=100):
        handle.write(
            f"<wp:tag><wp:term_id>{n}</wp:term_id><wp:tag_slug>{xml_escape(slug)}</wp:tag_slug>"
            f"<wp:tag_name>{_cdata(name)}</wp:tag_name></wp:tag>\n"
        )
    for item in items:
        handle.write(item)
        handle.write("\n")
    handle.write("</channel>\n</rss>\n")


def form_values(response):
    """What the browser would send back from a rendered admin change form."""
    from django import forms

    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or isinstance(field, forms.FileField):
            continue
        if isinstance(field, forms.SplitDateTimeField):
            when = timezone.localtime(field.to_python(value) if isinstance(value, list) else value)
            data[f"{name}_0"], data[f"{name}_1"] = f"{when:%d/%m/%Y}", f"{when:%H:%M:%S}"
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = value
    return data


def jobs_fresh():
    """Every scheduled job's row as a migrate makes it now: not run yet, and not overdue."""
    from django.utils import timezone

    from scheduling.models import Job
    from scheduling.runner import jobs_sync

    jobs_sync()
    Job.objects.update(created_at=timezone.now(), last_success_at=None, locked_until=None)


def make_event(*, topics=(), speakers=(), start=None, hours=2, **fields):
    """A live event starting `start` (default: a week from now), lasting `hours`."""
    from events.models import Event

    n = next(_numbers)
    start = start or timezone.now().replace(microsecond=0) + timedelta(days=7)
    fields.setdefault("title", f"Event {n}")
    fields.setdefault("slug", f"event-{n}")
    fields.setdefault("standfirst", f"What event {n} is about.")
    fields.setdefault("format", "online")
    fields.setdefault("status", Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - timedelta(days=1))
    fields.setdefault("end_at", start + timedelta(hours=hours))
    event = Event.objects.create(start_at=start, **fields)
    event.topics.set(topics)
    event.speakers.set(speakers)
    return event

"""What staff see of a lead and readers never do: the one rule for who sees it, the vCard and the CSV."""

import csv

from django.conf import settings

from publishing.csvexport import csv_cell
from publishing.sharing import absolute_url

VIEW_PERMISSION = "contacts.view_contact"
EXPORT_PERMISSION = "contacts.export_contact"

CSV_HEADER = [
    "name", "job title", "team", "areas of interest", "email", "phone", "active", "profile",
]  # fmt: skip


def sees_lead_details(user):
    """The one rule: who may see a lead's email address and phone number, anywhere.

    Every page, export and column that shows them asks this, never its own check.
    """
    return bool(
        user is not None and user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION)
    )


def may_export_directory(user):
    return sees_lead_details(user) and user.has_perm(EXPORT_PERMISSION)


def request_sees_lead_details(request):
    """`sees_lead_details` for a request, without touching the session of a reader who has none.

    Reading `request.user` loads the session, and SessionMiddleware then adds `Vary: Cookie`;
    a request without a session cookie is anonymous anyway, so readers' copies of a page stay
    the same bytes and the same headers for everyone.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return sees_lead_details(request.user)


def contact_photo_url(contact):
    """The photo for a vCard: its smallest rendition (480 px), or the original until made."""
    if not contact.photo or not contact.photo.is_ready:
        return ""
    return absolute_url(contact.photo.thumbnail_url())


def _vcard_text(value):
    """Escape a text value (RFC 6350, 3.4): backslash, comma, semicolon and line breaks."""
    value = str(value).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _vcard_fold(line):
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 6350, 3.2)."""
    raw = line.encode()
    parts = []
    limit = 75
    while len(raw) > limit:
        cut = limit
        while cut and (raw[cut] & 0xC0) == 0x80:  # a continuation byte: step back
            cut -= 1
        parts.append(raw[:cut].decode())
        raw = raw[cut:]
        limit = 74  # continuation lines start with a space
    parts.append(raw.decode())
    return "\r\n ".join(parts)


def _name_parts(name):
    # Only N's family and given names are filled: a guess (last word is the family name) that
    # address books need to sort; FN keeps the name exactly as written.
    given, _, family = name.strip().rpartition(" ")
    return family, given


def contact_vcard(contact):
    """A vCard 4.0 (RFC 6350) for one contact: name, title, organisation and team, email,
    phone, photo and profile addresses."""
    family, given = _name_parts(contact.name)
    org = _vcard_text(settings.SITE_NAME)
    if contact.team:
        org += ";" + _vcard_text(contact.team)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:individual",
        f"FN:{_vcard_text(contact.name)}",
        f"N:{_vcard_text(family)};{_vcard_text(given)};;;",
        f"ORG:{org}",
    ]
    if contact.job_title:
        lines.append(f"TITLE:{_vcard_text(contact.job_title)}")
    lines.append(f"EMAIL;TYPE=work:{_vcard_text(contact.email)}")
    if contact.phone:
        phone = contact.phone.strip()
        if phone.startswith("+"):
            # A global number is a tel: URI, the form vCard 4.0 prefers.
            lines.append(f"TEL;VALUE=uri;TYPE=work,voice:tel:{'-'.join(phone.split())}")
        else:
            lines.append(f"TEL;VALUE=text;TYPE=work,voice:{_vcard_text(phone)}")
    photo = contact_photo_url(contact)
    if photo:
        lines.append(f"PHOTO:{photo}")
    profile = absolute_url(contact.get_absolute_url())
    lines += [f"URL:{profile}", f"SOURCE:{profile}"]
    if not contact.is_active:
        lines.append(f"NOTE:{_vcard_text(f'No longer with {settings.SITE_NAME}.')}")
    lines.append("END:VCARD")
    return "".join(_vcard_fold(line) + "\r\n" for line in lines)


def directory_csv(contacts, out):
    """Write the directory as CSV to `out` (a file or an HttpResponse)."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for contact in contacts:
        row = [
            contact.name,
            contact.job_title,
            contact.team,
            "; ".join(topic.name for topic in contact.topics.all()),
            contact.email,
            contact.phone,
            "yes" if contact.is_active else "no",
            absolute_url(contact.get_absolute_url()),
        ]
        writer.writerow([csv_cell(value) for value in row])

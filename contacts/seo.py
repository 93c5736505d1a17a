"""What a contact's profile tells search engines and social sites: the person, never how to
reach them (the enquiry form does that)."""

from publishing.sharing import absolute_url, publisher, share_image


def contact_description(contact):
    """The one-line summary of a profile: name, job title and team."""
    return ", ".join(part for part in (contact.name, contact.job_title, contact.team) if part)


def contact_json_ld(contact, image=None):
    """schema.org Person for a profile page: no email, no phone (issue 32). `image`:
    share_image(contact.photo), when the caller has it already."""
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": contact.name,
        "url": absolute_url(contact.get_absolute_url()),
        "worksFor": publisher(),
    }
    if contact.job_title:
        data["jobTitle"] = contact.job_title
    if contact.team:
        data["affiliation"] = {"@type": "Organization", "name": contact.team}
    if contact.bio:
        data["description"] = contact.bio
    topics = [topic.name for topic in contact.topics.all()]
    if topics:
        data["knowsAbout"] = topics
    if image is None:
        image = share_image(contact.photo)
    if image is not None:
        data["image"] = image.url
    return data

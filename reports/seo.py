"""What a report page tells search engines and social sites: the document it offers."""

from django.conf import settings

from publishing.sharing import absolute_url


def report_json_ld(report):
    """schema.org Report, with the downloadable file described as its encoding."""
    url = absolute_url(report.get_absolute_url())
    document = {
        "@type": "MediaObject",
        "contentUrl": absolute_url(report.get_download_url()),
        "encodingFormat": report.content_type,
    }
    if report.file_size:
        document["contentSize"] = f"{report.file_size} B"
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": report.title,
        "headline": report.title[:110],
        "description": report.summary,
        "url": url,
        # A draft opened by an editor has no publish time yet.
        "datePublished": (report.publish_at or report.updated_at).isoformat(),
        "dateModified": max(report.updated_at, report.publish_at or report.updated_at).isoformat(),
        "inLanguage": "en-GB",
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute_url("/"),
        },
        "encoding": document,
        "about": [topic.name for topic in report.topics.all()],
    }
    if report.page_count:
        data["numberOfPages"] = report.page_count
    return data

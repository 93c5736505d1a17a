"""What a report page tells search engines and social sites: the document it offers."""

from django.utils.timezone import localtime

from publishing.sharing import absolute_url, publisher


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
        # A draft opened by an editor has no publish time yet. No dateModified: a report
        # has no major changes, and saving its row is not one (issue 32).
        "datePublished": localtime(report.publish_at or report.updated_at).isoformat(
            timespec="seconds"
        ),
        "inLanguage": "en-GB",
        "publisher": publisher(),
        "encoding": document,
        "about": [topic.name for topic in report.topics.all()],
    }
    if report.page_count:
        data["numberOfPages"] = report.page_count
    return data

"""A WordPress post's body made local: its images, links, players and galleries pointed at
what the import brought over, and what a reader would miss listed as problems."""

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from news.wordpress.body import galleries_mark, gallery_classes, uploads_path
from news.wordpress.media import (
    IMAGE_EXTENSIONS,
    MEDIA_EXTENSIONS,
    OFFICE_EXTENSIONS,
    REPORT_EXTENSIONS,
    body_image_html,
)
from news.wordpress.values import plain_text

# What the sanitiser drops whole and a reader would miss: embeds, forms, scripts.
UNSAFE_TAGS = ["script", "style", "iframe", "object", "embed", "form", "video", "audio"]


class BodyRewrite:
    """The import's body pass: a part of WordPressImport (importer.py), on top of its files
    (media.UploadsImport: _image, _report_file, _media_file)."""

    def _gallery_expander(self, post_id, problems):
        """How [gallery] reads for one post: its images as figures, in WordPress's order.

        The gallery's `ids` (or `include`) name the attachments in order; without them it
        shows the images attached to the post, by their menu order. Each becomes an image
        that the body's image pass then brings into the library, with its alt text and caption.
        """

        def expand(name, attributes, content):
            if name != "gallery":
                return None
            wanted = re.findall(r"\d+", attributes.get("ids") or attributes.get("include") or "")
            if wanted:
                ids = [int(n) for n in wanted]
            else:
                ids = sorted(
                    (
                        wp_id
                        for wp_id, facts in self.attachments.items()
                        if facts["parent"] == post_id
                        and self._extension(facts["path"] or "") in IMAGE_EXTENSIONS
                    ),
                    key=lambda wp_id: (self.attachments[wp_id]["order"], wp_id),
                )
            figures = []
            for wp_id in ids:
                facts = self.attachments.get(wp_id)
                if facts is None or not facts["url"]:
                    problems.append(f"gallery image {wp_id} is not in the export: left out")
                    continue
                caption = html.escape(facts["caption"])
                figures.append(
                    f'<figure><img src="{html.escape(facts["url"])}" '
                    f'alt="{html.escape(facts["alt"])}">'
                    + (f"<figcaption>{caption}</figcaption>" if caption else "")
                    + "</figure>"
                )
            if not figures:
                problems.append("a gallery with no images in the export was left out")
                return ""
            classes = " ".join(gallery_classes(attributes.get("columns")))
            return f'<figure class="{classes}">' + "".join(figures) + "</figure>"

        return expand

    def _rewrite_body(self, soup, problems):
        """Point images and links at what was imported; returns the reports the body links."""
        galleries_mark(soup)
        for frame in soup.find_all("iframe", src=re.compile(r"^(https?:)?//")):
            # An embed (a video, a map) cannot be carried over; a link to it keeps the content.
            src = frame["src"] if not frame["src"].startswith("//") else "https:" + frame["src"]
            link = soup.new_tag("a", href=src)
            link.string = frame.get("title") or src
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            frame.replace_with(paragraph)
            problems.append(f"embedded frame replaced by a link: {src[:100]}")
        for player in soup.find_all(["audio", "video"]):
            self._media_link(soup, player, problems)
        removed = sorted({element.name for element in soup.find_all(UNSAFE_TAGS)})
        if removed:
            names = ", ".join(f"<{name}>" for name in removed)
            problems.append(f"removed by the sanitiser (not allowed in a body here): {names}")
        # The body has one page title above it and allows h2-h4: keep the outline's levels.
        for heading in soup.find_all(["h1", "h5", "h6"]):
            heading.name = {"h1": "h2"}.get(heading.name, "h4")
        for img in soup.find_all("img"):
            src = img.get("src", "")
            rel = uploads_path(src)
            image = self._image(rel, problems, old_url=src) if rel else None
            if rel is None:
                problems.append(f"image from outside the site removed: {src[:100]}")
            if image is None:
                img.decompose()
                continue
            attachment = self._attachment_for(rel) or {}
            alt = plain_text(img.get("alt")) or attachment.get("alt", "")
            if not alt:
                problems.append(f"image wp-content/uploads/{rel} has no alt text: add it")
            parent = img.parent
            # A link around an image to its own full-size file (a lightbox) is dropped.
            if parent and parent.name == "a" and uploads_path(parent.get("href", "")):
                parent.unwrap()
            img.replace_with(BeautifulSoup(body_image_html(image, alt), "html.parser"))
        reports = []
        for link in soup.find_all("a", href=True):
            rel = uploads_path(link["href"])
            if rel is None:
                link["href"] = self._local_href(link["href"])
                continue
            extension = self._extension(rel)
            if extension in REPORT_EXTENSIONS:
                report = self._report_file(rel, link.get_text(" ", strip=True), problems)
                if report is not None:
                    link["href"] = report.get_absolute_url()
                    if report not in reports:
                        reports.append(report)
            elif extension in IMAGE_EXTENSIONS:
                image = self._image(rel, problems, old_url=link["href"])
                if image is not None:
                    link["href"] = image.url
            elif extension in MEDIA_EXTENSIONS:
                url = self._media_file(rel, problems)
                if url is not None:
                    link["href"] = url
            else:
                kind = "an older Office format" if extension in OFFICE_EXTENSIONS else "a file"
                problems.append(
                    f"link to {kind} not imported as a report, left pointing at the old site: "
                    f"wp-content/uploads/{rel}"
                )
        empties_remove(soup)
        return reports

    def _media_link(self, soup, player, problems):
        """An <audio> or <video> player as a link to its file, which readers can still open."""
        source = player.get("src") or next(
            (s["src"] for s in player.find_all("source", src=True)), ""
        )
        source = source.strip()
        if not source.startswith(("http://", "https://", "/")):
            player.decompose()
            problems.append(f"{player.name} without a file address removed")
            return
        name = posixpath.basename(unquote(urlsplit(source).path)) or source
        link = soup.new_tag("a", href=source)
        link.string = f"{'Listen to' if player.name == 'audio' else 'Watch'} {name} ({player.name})"
        paragraph = soup.new_tag("p")
        paragraph.append(link)
        player.replace_with(paragraph)
        if uploads_path(source) is None:
            problems.append(f"{player.name} player replaced by a link to {source[:100]}")

    def _local_href(self, href):
        """A link to the old site becomes a path here, which its redirects then answer."""
        parts = urlsplit(href)
        old_hosts = {
            urlsplit(url).netloc
            for url in (self.channel.base_site_url, self.channel.base_blog_url)
            if url
        }
        if parts.netloc and parts.netloc in old_hosts:
            return (
                (parts.path or "/")
                + (f"?{parts.query}" if parts.query else "")
                + (f"#{parts.fragment}" if parts.fragment else "")
            )
        return href


def empties_remove(soup):
    """Drop what would be empty once images are gone: links and headings with no text
    (screen readers announce them with no name), figures and list items with nothing in them.

    A figure whose picture is gone keeps its text (its caption) as paragraphs. Innermost first, so a
    list left empty by its items goes too.
    """

    def empty(element):
        return not element.get_text(strip=True) and element.find("img") is None

    for element in reversed(soup.find_all(["a", "h1", "h2", "h3", "h4", "h5", "h6", "p"])):
        if empty(element):
            element.decompose()
    for figure in reversed(soup.find_all("figure")):
        if figure.find("img") is not None:
            continue
        if empty(figure):
            figure.decompose()
            continue
        # No picture, but text (a caption, a link that replaced an embed): kept as paragraphs.
        for caption in figure.find_all("figcaption"):
            caption.name = "p"
        figure.unwrap()
    for element in reversed(soup.find_all(["li", "ul", "ol", "blockquote"])):
        if empty(element):
            element.decompose()

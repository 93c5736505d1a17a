"""Reading a WordPress eXtended RSS (WXR) export safely, one item at a time, in bounded memory."""

from dataclasses import dataclass, field

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import iterparse

# WXR 1.0-1.2 differ only in the version inside these namespace addresses; WordPress.com
# writes them with https, and WordPress's own importer reads both spellings.
_WP_EXPORT = ("http://wordpress.org/export/", "https://wordpress.org/export/")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}


class WXRError(Exception):
    """The file is not a WordPress export we can read, or it is unsafe to read."""


@dataclass
class Term:
    kind: str  # "category" or "post_tag"
    slug: str
    name: str
    description: str = ""


@dataclass
class Channel:
    """What the export says about the whole site, read before its items."""

    version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    terms: dict = field(default_factory=dict)  # (kind, slug) -> Term


def _name(tag):
    """`{namespace}local` as `prefix:local`, whatever WXR version the namespace carries."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if namespace.startswith(_WP_EXPORT):
        prefix = "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    else:
        prefix = _PREFIXES.get(namespace, namespace)
    return f"{prefix}:{local}"


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _item(element):
    """One <item> as a plain dict: its fields, terms and post meta."""
    item = {"terms": [], "meta": {}}
    for child in element:
        name = _name(child.tag)
        if name == "category":
            item["terms"].append(
                (child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip())
            )
        elif name == "wp:postmeta":
            key = value = ""
            for part in child:
                if _name(part.tag) == "wp:meta_key":
                    key = _text(part)
                elif _name(part.tag) == "wp:meta_value":
                    value = part.text or ""
            item["meta"][key] = value
        elif name == "wp:comment":
            continue  # comments are not imported
        else:
            # Bodies keep their whitespace: WordPress turns blank lines into paragraphs.
            item[name] = child.text or ""
    return item


def _term(element, kind):
    values = {_name(child.tag): _text(child) for child in element}
    if kind == "category":
        return Term(
            kind,
            values.get("wp:category_nicename", ""),
            values.get("wp:cat_name", ""),
            values.get("wp:category_description", ""),
        )
    if kind == "post_tag":
        return Term(
            kind,
            values.get("wp:tag_slug", ""),
            values.get("wp:tag_name", ""),
            values.get("wp:tag_description", ""),
        )
    return Term(
        values.get("wp:term_taxonomy", ""),
        values.get("wp:term_slug", ""),
        values.get("wp:term_name", ""),
        values.get("wp:term_description", ""),
    )


def read_export(path, channel=None):
    """Yield each <item> of the export at `path` as a dict, filling `channel` on the way.

    Parsed incrementally: each item is dropped from the tree once yielded, so memory stays
    bounded whatever the file's size. Parsed with defusedxml: an export that declares
    entities (the "billion laughs" bomb) or refers to external ones is refused, not expanded.
    """
    channel = channel if channel is not None else Channel()
    depth = 0
    parents = []
    seen_channel = False
    try:
        # No DTD at all (WordPress writes none): an outside one would otherwise be skipped
        # silently, and an inside one is where entity bombs live.
        for event, element in iterparse(path, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                parents.append(element)
                if depth == 1 and element.tag != "rss":
                    raise WXRError("This is not a WordPress export: its root is not <rss>.")
                if depth == 2 and element.tag == "channel":
                    seen_channel = True
                continue
            depth -= 1
            parents.pop()
            if depth != 2:  # only direct children of <channel> are complete units
                continue
            name = _name(element.tag)
            if name == "item":
                yield _item(element)
            elif name == "wp:wxr_version":
                channel.version = _text(element)
                if channel.version not in SUPPORTED_VERSIONS:
                    raise WXRError(
                        f"WXR version {channel.version} is not supported "
                        f"(supported: {', '.join(sorted(SUPPORTED_VERSIONS))})."
                    )
            elif name == "wp:base_site_url":
                channel.base_site_url = _text(element)
            elif name == "wp:base_blog_url":
                channel.base_blog_url = _text(element)
            elif name in ("wp:category", "wp:tag", "wp:term"):
                term = _term(element, {"wp:category": "category", "wp:tag": "post_tag"}.get(name))
                if term.slug:
                    channel.terms[(term.kind, term.slug)] = term
            # The element is finished with: drop it, so the tree never grows.
            element.clear()
            parents[-1].remove(element)
    except DTDForbidden as exc:
        where = exc.sysid or exc.pubid
        if where:
            raise WXRError(
                f"The export refers to an outside DTD ({where}); such XML is refused for "
                "safety and was not read. WordPress exports have no DTD: remove the "
                "<!DOCTYPE> line if the file was edited by hand."
            ) from exc
        raise WXRError(
            "The export declares XML entities or refers to outside files in a <!DOCTYPE>; "
            "such XML is refused for safety and was not read (WordPress exports have none)."
        ) from exc
    except DefusedXmlException as exc:
        raise WXRError(
            "The export declares XML entities or refers to outside files; such XML is "
            f"refused for safety and was not read ({type(exc).__name__})."
        ) from exc
    except SyntaxError as exc:  # ElementTree's ParseError
        raise WXRError(f"The export is not well-formed XML: {exc}") from exc
    if not seen_channel:
        raise WXRError("This is not a WordPress export: it has no <channel>.")
    if not channel.version:
        raise WXRError("This is not a WordPress export: it has no <wp:wxr_version>.")

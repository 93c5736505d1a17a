"""Turning a WordPress post body into plain HTML: block comments, paragraphs and shortcodes."""

import posixpath
import re
from html import escape
from urllib.parse import unquote, urlsplit

UPLOADS = "/wp-content/uploads/"

GUTENBERG_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
# Block-level tags: WordPress's wpautop never wraps these in <p>.
_BLOCK = (
    r"(?:table|thead|tfoot|caption|colgroup|col|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    r"blockquote|address|p|h[1-6]|hr|section|article|aside|header|footer|nav|figure|figcaption|"
    r"details|summary|iframe|script|style|object|video|audio)"
)
_BLOCK_OPEN = re.compile(rf"(<{_BLOCK}(?=[\s/>])[^>]*>)", re.I)
_BLOCK_CLOSE = re.compile(rf"(</{_BLOCK}>)", re.I)
_STARTS_BLOCK = re.compile(rf"</?{_BLOCK}(?=[\s/>])", re.I)

# WordPress's own shortcode grammar (get_shortcode_regex), for any name: [name attrs],
# [name attrs /], [name attrs]content[/name], and [[name]] for a literal "[name]".
SHORTCODE = re.compile(
    r"\[(?P<open>\[?)(?P<name>[A-Za-z][\w-]*)(?![\w-])"
    r"(?P<attrs>[^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(?P<selfclose>/)\]|\](?:(?P<content>.*?)\[/(?P=name)\])?)"
    r"(?P<close>\]?)",
    re.S,
)
# Bracketed words in prose ("[sic]", "[Editor's note: ...]") are not shortcodes: only a
# name WordPress sites commonly register, a closing tag, or key="value" attributes are.
KNOWN_SHORTCODES = {
    "caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist",
    "contact-form-7", "contact-form", "gravityform", "ninja_form", "wpforms", "button",
}  # fmt: skip
_ATTRS = re.compile(r"""\s*(?:[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"']+)\s*)*""")
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_CAPTION = re.compile(r"^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
_URL = re.compile(r"https?://\S+")


def uploads_path(url):
    """The path of `url` under wp-content/uploads/ ("2021/10/report.pdf"), whatever its host.

    None for any other address, and for a path that would climb out of the uploads folder.
    """
    if not url:
        return None
    path = unquote(urlsplit(url.strip()).path)
    start = path.find(UPLOADS)
    if start < 0:
        return None
    rel = posixpath.normpath(path[start + len(UPLOADS) :])
    if rel in (".", "") or rel.startswith(("..", "/")):
        return None
    return rel


def autop(html):
    """WordPress's wpautop, simplified: blank lines make paragraphs, single newlines <br>."""
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    html = _BLOCK_OPEN.sub(r"\n\n\1", html)
    html = _BLOCK_CLOSE.sub(r"\1\n\n", html)
    out = []
    for chunk in re.split(r"\n\s*\n", html):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def _attributes(text):
    return {
        m[1].lower(): next(v for v in m.groups()[1:] if v is not None)
        for m in _ATTR.finditer(text or "")
    }


def _is_shortcode(match):
    name = match["name"].lower()
    if name in KNOWN_SHORTCODES or match["content"] is not None or match["selfclose"]:
        return True
    attrs = match["attrs"] or ""
    return bool(attrs.strip()) and _ATTRS.fullmatch(attrs) is not None


def _caption_figure(attrs, content):
    """[caption]<img ...> Text[/caption] as <figure><img ...><figcaption>Text</figcaption>."""
    found = _CAPTION.match(content or "")
    image, text = (found[1], found[2]) if found else ("", content or "")
    text = text.strip() or escape(_attributes(attrs).get("caption", ""))
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"<figure>{image}{caption}</figure>"


def shortcodes_replace(html, found):
    """[caption] becomes a figure; every other shortcode is removed (its inner text kept).

    The names removed are appended to `found`, for the import report.
    """

    def replace(match):
        if not _is_shortcode(match):
            return match[0]
        if match["open"] and match["close"]:
            return match[0][1:-1]  # [[name]] is WordPress's way to write a literal [name]
        name = match["name"].lower()
        if name in ("caption", "wp_caption"):
            out = _caption_figure(match["attrs"], match["content"])
        else:
            found.append(name)
            content = (match["content"] or "").strip()
            if _URL.fullmatch(content):  # [embed]https://...[/embed]: keep a link to it
                out = f'<p><a href="{escape(content)}">{escape(content)}</a></p>'
            else:
                out = shortcodes_replace(content, found)
        return match["open"] + out + match["close"]

    return SHORTCODE.sub(replace, html)


def body_prepare(html, found_shortcodes):
    """The body as WordPress would render it, before links and images are resolved."""
    html = html or ""
    is_blocks = "<!-- wp:" in html
    html = GUTENBERG_COMMENT.sub("", html)
    html = shortcodes_replace(html, found_shortcodes)
    # Block-editor posts are stored with their paragraphs; classic ones get them on display.
    return html if is_blocks else autop(html)

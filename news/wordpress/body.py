"""Turning a WordPress post body into plain HTML: block comments, paragraphs and shortcodes."""

import posixpath
import re
from bisect import bisect_left
from html import escape
from urllib.parse import unquote, urlsplit

UPLOADS = "/wp-content/uploads/"
WORDPRESS_COM_FILES = ".files.wordpress.com"  # <blog>.files.wordpress.com/2021/10/photo.jpg
# The file attributes of [audio] and [video] (wp_get_audio_extensions, wp_get_video_extensions).
MEDIA_SOURCES = ("src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac", "mp4", "m4v", "webm",
                 "ogv", "wmv", "flv", "mov")  # fmt: skip

# Where a block comment starts; its end is found with str.find, so an opener that is never
# closed costs one scan in all rather than one scan to the end of the body each (issue 22).
_BLOCK_COMMENT_START = re.compile(r"<!--\s*+/?wp:")
# Block-level tags: WordPress's wpautop never wraps these in <p>.
_BLOCK = (
    r"(?:table|thead|tfoot|caption|colgroup|col|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    r"blockquote|address|p|h[1-6]|hr|section|article|aside|header|footer|nav|figure|figcaption|"
    r"details|summary|iframe|script|style|object|video|audio)"
)
# [^<>] rather than [^>]: an unclosed "<div" then stops at the next tag, not the body's end.
_BLOCK_OPEN = re.compile(rf"(<{_BLOCK}(?=[\s/>])[^<>]*>)", re.I)
_BLOCK_CLOSE = re.compile(rf"(</{_BLOCK}>)", re.I)
_STARTS_BLOCK = re.compile(rf"</?{_BLOCK}(?=[\s/>])", re.I)

# WordPress's shortcode tags, for any name: [name attrs], [name attrs /] and [[name]] for a
# literal "[name]"; an opening tag's content runs to the first [/name] after it. Attributes
# hold no square brackets (WordPress's own rule), so each scan stops at the next "[": with
# the closing tags looked up by position, the whole body is read in linear time.
_SHORTCODE_OPEN = re.compile(r"\[(?P<open>\[?)(?P<name>[A-Za-z][\w-]*+)(?P<attrs>[^\[\]]*+)\]")
_SHORTCODE_CLOSE = re.compile(r"\[/(?P<name>[A-Za-z][\w-]*+)\]")
_NESTING_MAX = 50  # deeper shortcodes inside shortcodes are left as text
# Bracketed words in prose ("[sic]", "[Editor's note: ...]") are not shortcodes: only a
# name WordPress sites commonly register, a closing tag, or key="value" attributes are.
KNOWN_SHORTCODES = {
    "caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist",
    "contact-form-7", "contact-form", "gravityform", "ninja_form", "wpforms", "button",
}  # fmt: skip
# One way only to read each pair (an unquoted value ends at a space), so no backtracking blows up.
_ATTRS = re.compile(
    r"""\s*+(?:[\w-]++\s*+=\s*+(?:"[^"]*+"\s*+|'[^']*+'\s*+|[^\s"']++(?:\s++|\Z)))*+"""
)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_CAPTION = re.compile(r"^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
_URL = re.compile(r"https?://\S+")
_URL_IN = re.compile(r"""https?://[^\s"']+""")


def uploads_path(url):
    """The path of `url` under wp-content/uploads/ ("2021/10/report.pdf"), whatever its host.

    None for any other address, and for a path that would climb out of the uploads folder.
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    path = unquote(parts.path)
    start = path.find(UPLOADS)
    if start >= 0:
        rel = path[start + len(UPLOADS) :]
    elif (parts.hostname or "").endswith(WORDPRESS_COM_FILES):
        rel = path.lstrip("/")  # WordPress.com serves uploads from the root of its files host
    else:
        return None
    rel = posixpath.normpath(rel)
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


def _is_shortcode(name, attrs, content, selfclose):
    if name.lower() in KNOWN_SHORTCODES or content is not None or selfclose:
        return True
    return bool(attrs.strip()) and _ATTRS.fullmatch(attrs) is not None


def _caption_figure(attrs, content):
    """[caption]<img ...> Text[/caption] as <figure><img ...><figcaption>Text</figcaption>."""
    found = _CAPTION.match(content or "")
    image, text = (found[1], found[2]) if found else ("", content or "")
    text = text.strip() or escape(_attributes(attrs).get("caption", ""))
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"<figure>{image}{caption}</figure>"


class _Shortcodes:
    """The shortcode tags of one body, found once, and their replacement in one pass."""

    def __init__(self, html, found, expand=None):
        self.html = html
        self.found = found
        self.expand = expand
        self.opens = list(_SHORTCODE_OPEN.finditer(html))
        self.open_starts = [m.start() for m in self.opens]
        self.closes = {}  # name -> start positions of its [/name] tags, in order
        for m in _SHORTCODE_CLOSE.finditer(html):
            self.closes.setdefault(m["name"], []).append(m.start())

    def _close_after(self, name, position, end):
        """Where the first [/name] at or after `position` starts, if it ends by `end`."""
        starts = self.closes.get(name, ())
        i = bisect_left(starts, position)
        if i < len(starts) and starts[i] + len(name) + 3 <= end:
            return starts[i]
        return None

    def replace(self, start, end, depth=0):
        """The text between `start` and `end` with its shortcodes replaced."""
        html, out, position = self.html, [], start
        i = bisect_left(self.open_starts, start)
        while i < len(self.opens):
            tag = self.opens[i]
            if tag.end() > end:
                break
            if tag.start() < position:  # inside a shortcode already replaced
                i = bisect_left(self.open_starts, position, lo=i + 1)
                continue
            name, attrs = tag["name"], tag["attrs"]
            selfclose = attrs.endswith("/")
            attrs = attrs[:-1] if selfclose else attrs
            content = None
            finish = tag.end()
            if not selfclose:
                close = self._close_after(name, tag.end(), end)
                if close is not None:
                    content = html[tag.end() : close]
                    finish = close + len(name) + 3
            closing = "]" if finish < end and html[finish] == "]" else ""
            finish += len(closing)
            if not _is_shortcode(name, attrs, content, selfclose):
                i += 1
                continue
            out.append(html[position : tag.start()])
            if tag["open"] and closing:
                # [[name]] is WordPress's way to write a literal [name]
                out.append(html[tag.start() + 1 : finish - 1])
            else:
                out.append(tag["open"])
                out.append(self._one(name.lower(), attrs, content, tag.end(), depth))
                out.append(closing)
            position = finish
            i += 1
        out.append(html[position:end])
        return "".join(out)

    def _one(self, name, attrs, content, content_start, depth):
        if name in ("caption", "wp_caption"):
            return _caption_figure(attrs, content)
        if name in ("audio", "video") and (element := _media_element(name, attrs, content)):
            return element
        if self.expand is not None:
            expanded = self.expand(name, _attributes(attrs), content)
            if expanded is not None:
                return expanded
        self.found.append(name)
        if content is None:
            return ""
        if _URL.fullmatch(content.strip()):  # [embed]https://...[/embed]: keep a link to it
            url = escape(content.strip())
            return f'<p><a href="{url}">{url}</a></p>'
        if depth >= _NESTING_MAX:
            return content
        text = self.replace(content_start, content_start + len(content), depth + 1)
        return text.strip()


def _media_element(name, attrs, content):
    """[audio mp3="..."] or [video src="..."] as the <audio>/<video> element the block editor
    writes, so both become the same link to the file later."""
    values = _attributes(attrs)
    src = next((values[key] for key in MEDIA_SOURCES if values.get(key)), "")
    if not src:  # [audio https://...] or [video]https://...[/video]
        found = _URL_IN.search(attrs) or _URL.fullmatch((content or "").strip())
        src = found[0] if found else ""
    return f'<{name} src="{escape(src)}"></{name}>' if src else None


def shortcodes_replace(html, found, expand=None):
    """[caption] becomes a figure, [audio]/[video] their elements; `expand(name, attributes,
    content)` may give the HTML of others (a gallery); every other shortcode is removed (its
    inner text kept).

    The names removed are appended to `found`, for the import report.
    """
    return _Shortcodes(html, found, expand).replace(0, len(html))


def block_comments_remove(html):
    """The body without its Gutenberg block comments (<!-- wp:name {...} --> and their ends)."""
    out, position = [], 0
    while found := _BLOCK_COMMENT_START.search(html, position):
        close = html.find("-->", found.end())
        if close < 0:  # no comment can end after this point
            break
        out.append(html[position : found.start()])
        position = close + 3
    out.append(html[position:])
    return "".join(out)


def body_prepare(html, found_shortcodes, expand=None):
    """The body as WordPress would render it, before links and images are resolved."""
    html = html or ""
    is_blocks = "<!-- wp:" in html
    html = block_comments_remove(html)
    html = shortcodes_replace(html, found_shortcodes, expand)
    # Block-editor posts are stored with their paragraphs; classic ones get them on display.
    return html if is_blocks else autop(html)


# A gallery here is <figure class="gallery columns-N"> around its pictures' figures, N from 1
# to GALLERY_COLUMNS_MAX (publishing.richtext allows just these classes; site.css lays them
# out as a grid that narrows on small screens). WordPress allows 1 to 9 columns; past four,
# pictures in a news column would be thumbnails, so more become four.
GALLERY_COLUMNS_DEFAULT = 3  # WordPress's, for [gallery] and the Gallery block alike
GALLERY_COLUMNS_MAX = 4
_WP_GALLERY = re.compile(r"^(?:wp-block-gallery|gallery)$")
_WP_COLUMNS = re.compile(r"^(?:gallery-)?columns-(\d{1,2})$")


def gallery_classes(columns):
    """The classes of a gallery with `columns` columns as WordPress gave them (any text)."""
    try:
        n = int(columns)
    except (TypeError, ValueError):
        n = GALLERY_COLUMNS_DEFAULT
    return ["gallery", f"columns-{min(max(n, 1), GALLERY_COLUMNS_MAX)}"]


def galleries_mark(soup):
    """Give each gallery of a parsed body (the Gallery block, old and new markup, and what
    [gallery] became) the gallery classes, with its pictures' figures as direct children:
    the <ul class="blocks-gallery-grid"><li> of the Gallery block of WordPress 5 are unwrapped."""
    for wrapper in soup.find_all(["figure", "ul", "div"], class_=_WP_GALLERY):
        columns = next(
            (m.group(1) for name in wrapper.get("class", []) if (m := _WP_COLUMNS.match(name))),
            None,
        )
        # The list around the pictures (blocks-gallery-grid and its items): a gallery holds
        # nothing else that is a list.
        for holder in wrapper.find_all(["ul", "li"]):
            holder.unwrap()
        wrapper.name = "figure"
        wrapper.attrs = {"class": gallery_classes(columns)}

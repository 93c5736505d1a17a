"""What a post tells search engines, feeds and social sites: its picture and structured data."""

from django.utils.timezone import localtime

from publishing.sharing import absolute_url, publisher, share_image


def post_share_image(post):
    """The picture shown when a post is shared or syndicated: its hero's (see share_image)."""
    return share_image(post.hero_image)


def post_json_ld(post, image=None):
    """schema.org NewsArticle for an article page; `image`: post_share_image(post), when the
    caller has it already."""
    url = absolute_url(post.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title[:110],
        "description": post.standfirst,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        # A draft opened by an editor has no publish time yet. In the site's zone, as the
        # page's "Posted on" <time> has it.
        "datePublished": localtime(post.publish_at or post.updated_at).isoformat(
            timespec="seconds"
        ),
        "publisher": publisher(),
    }
    if post.major_change_at:
        # Only a major change (readers see "Last updated") modifies the post for machines.
        data["dateModified"] = localtime(post.major_change_at).isoformat(timespec="seconds")
    if image is None:
        image = post_share_image(post)
    if image is not None:
        data["image"] = [image.url]
    return data

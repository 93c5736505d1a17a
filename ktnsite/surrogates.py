"""What readers see: the public models and the list keys a change to each must purge.

Every `Publishable` model is public by being one; the others are declared here. A model
that is neither (log-in attempts, sessions, tasks, sign-ups, enquiries, revisions, preview
links) changes no public page, so saving it neither empties the page cache nor purges a front
cache. A new content model that is not Publishable must be declared here, or its changes
will show only when pages expire.
"""

from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect

from contacts.models import Contact
from ktnsite.models import SearchWord
from library.models import Image
from news.models import Post, PostChange
from publishing.frontcache import declare_public
from reports.models import Report
from topics.models import Topic


def _topic_keys(item):
    return [topic.surrogate_key for topic in item.topics.all()]


def declare():
    # A post is on the news lists, home, feeds, sitemap and search (`news`), on its topics'
    # hubs and feeds (`topic-<slug>`); pages that show it by name carry its own key.
    declare_public(Post, keys=lambda post: ["news", *_topic_keys(post)])
    # A change note shows on its post's page (the "Updated" history).
    declare_public(PostChange, keys=lambda change: [f"post-{change.post_id}"])
    declare_public(Report, keys=lambda report: ["reports", *_topic_keys(report)])
    declare_public(Contact, keys=lambda contact: ["contacts", *_topic_keys(contact)])
    # Topics are named on nearly every page (the mailing-list block lists them all): a change
    # to one purges the whole site. Editors rarely change topics.
    declare_public(Topic)
    # A redirect answers only where no page is (a 404), and no 404 is kept by any cache, so
    # a new redirect needs no purge; it still empties the in-app cache, like any public row.
    declare_public(Redirect, keys=lambda redirect: [])
    # A library image shows wherever it is a hero, photo, cover or body image (and its
    # renditions arrive by a save after the upload): a change purges the whole site, which
    # is always right. Editors change library images far less often than they publish.
    declare_public(Image, private_links=["tags"])  # tags sort the library for editors
    # Search suggests these words on the search page, which carries the keys of what it
    # searches. They are written in bulk (no signal) and only follow changes to that
    # content, whose own saves purge those keys.
    declare_public(SearchWord, keys=lambda word: ["news", "reports", "contacts"])
    # Site pages (privacy, accessibility...): the footer on every page links them.
    declare_public(FlatPage)

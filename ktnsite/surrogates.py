"""What readers see besides the content types: the other public models and what a change purges.

Every `Publishable` model is public by being one, and every content type declares itself
(and the keys a change to it purges) from its own app (`publishing.registry`). The other
public models are declared here. A model that is none of these (log-in attempts, sessions,
tasks, sign-ups, enquiries, revisions, preview links) changes no public page, so saving it
neither empties the page cache nor purges a front cache. A new public model that is neither
Publishable nor a declared content type must be declared here, or its changes will show only
when pages expire.
"""

from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect

from ktnsite.models import SearchWord
from publishing import registry
from publishing.frontcache import declare_public
from publishing.models import Image


def declare():
    # Posts, reports, contacts and topics declare themselves (publishing.registry), from
    # their own apps' ready(); so does a post's change note (news.apps).
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
    declare_public(SearchWord, keys=lambda word: registry.list_keys(registry.searchable()))
    # Site pages (privacy, accessibility...): the footer on every page links them.
    declare_public(FlatPage)

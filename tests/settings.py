"""The site's settings for the tests: the same, plus an app of content that exists only here."""

from ktnsite.settings import *  # noqa: F403
from ktnsite.settings import INSTALLED_APPS

# Before ktnsite, as a content app would be: the site layer starts last.
INSTALLED_APPS = [*INSTALLED_APPS[:-1], "tests.gadgets", INSTALLED_APPS[-1]]
assert INSTALLED_APPS[-1] == "ktnsite"  # noqa: S101 - the order the insert relies on
